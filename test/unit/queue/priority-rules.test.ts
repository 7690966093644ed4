/**
 * One priority rule set, in the hall configuration: the kiosk offers exactly the kinds it
 * lists (and refuses others), the robot states the same rule, and both follow a new
 * configuration version together.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import pino from 'pino';
import { ConfigStore } from '../../../config/load.ts';
import { PriorityRules } from '../../../config/schema.ts';
import { composeTerminal, type KioskServices } from '../../../electron/services/kiosk-services.ts';
import { queuePart } from '../../../electron/services/queue.ts';
import { sessionPart } from '../../../electron/services/session.ts';
import { RobotService } from '../../../electron/services/robot.ts';
import { devicesWith, keepingPrinter, linkPart } from '../../helpers/terminal-parts.ts';

let dir: string;
let kiosk: KioskServices | undefined;
let robot: RobotService | undefined;
afterEach(async () => {
  robot?.close();
  await kiosk?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function hall() {
  dir = mkdtempSync(join(tmpdir(), 'xj-priority-'));
  const transactions = { append: async () => ({ id: '1' }) };
  kiosk = await composeTerminal({ kioskId: 'kiosk-1', dataDir: dir, watchConfig: false, log: pino({ level: 'silent' }) }, [
    linkPart(transactions, null),
    devicesWith(keepingPrinter([])),
    sessionPart,
    queuePart(),
  ]);
  // The robot is another terminal given the same configuration version by the platform.
  const robotStore = new ConfigStore(kiosk.context.store.config);
  robot = new RobotService(robotStore);
  const offered = async () => {
    const r = await kiosk!.router.dispatch('queue.priority', {});
    if (!r.ok) throw new Error(r.error.message);
    return r.value;
  };
  const said = async () => {
    const a = await robot!.ask({ text: '老年人办事有什么帮助？' });
    expect(a.match?.id).toBe('elderly');
    // Spoken and shown on the robot's screen alike.
    return `${a.answer}\n${JSON.stringify(a.card)}`;
  };
  return { offered, said, kiosk, robotStore };
}

describe('priority rules', () => {
  // Each test builds the robot's understanding of the whole catalogue, which takes a while on a busy machine.
  it('the kiosk and the robot read the one rule set in the hall configuration', async () => {
    const h = await hall();
    expect(await h.offered()).toEqual({ elderlyAge: 60, kinds: ['elderly', 'disabled', 'military', 'pregnant'] });
    const answer = await h.said();
    expect(answer.split('\n')[0]).toContain('60岁及以上老年人、残疾人、现役军人和孕妇');
    expect(answer.split('\n')[1]).toContain('60岁及以上老年人、残疾人、现役军人和孕妇');
    expect(answer).not.toContain('65');
    expect(answer).not.toContain('{priority}');
  }, 120_000);

  it('both change together when the configuration changes, and the kiosk refuses a kind no longer served first', async () => {
    const h = await hall();
    const next = structuredClone(h.kiosk.context.store.config);
    next.queue.priority = { elderlyAge: 65, kinds: ['elderly', 'disabled'] };
    // The platform hands the new version to every terminal.
    expect(h.kiosk.context.store.apply(next)).toBeNull();
    expect(h.robotStore.apply(next)).toBeNull();

    expect(await h.offered()).toEqual({ elderlyAge: 65, kinds: ['elderly', 'disabled'] });
    await expect.poll(h.said).toContain('65岁及以上老年人和残疾人');
    expect(await h.said()).not.toContain('孕妇');
    const refused = await h.kiosk.router.dispatch('queue.take', { itemCode: 'GZ-GJJ-001', priority: 'pregnant', requestId: randomUUID() });
    expect(refused.ok).toBe(false);
    expect(!refused.ok && refused.error).toMatchObject({ code: 'bad-input', message: expect.stringContaining("does not serve 'pregnant' first") });
  }, 120_000);

  it('the schema keeps the rule set sound', () => {
    expect(PriorityRules.safeParse({ elderlyAge: 60, kinds: [] }).error?.issues[0].message).toBe('at least one kind of visitor served first');
    expect(PriorityRules.safeParse({ elderlyAge: 60, kinds: ['elderly', 'elderly'] }).error?.issues[0].message).toBe('each kind once');
    expect(PriorityRules.safeParse({ elderlyAge: 60, kinds: ['children'] }).success).toBe(false);
    expect(PriorityRules.safeParse({ elderlyAge: 30, kinds: ['elderly'] }).success).toBe(false);
  });
});
