import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CompositionError, definePart, orderParts, type Capabilities, type Capability, type TerminalPart } from '../../../electron/services/compose.ts';
import { composeTerminal, type KioskServices } from '../../../electron/services/kiosk-services.ts';
import { terminalParts } from '../../../electron/services/modules.ts';
import { syncPart } from '../../../electron/services/sync.ts';
import { devicesPart } from '../../../electron/services/devices.ts';
import { sessionPart } from '../../../electron/services/session.ts';
import { queuePart } from '../../../electron/services/queue.ts';
import { speechPart } from '../../../electron/services/speech.ts';
import { robotPart } from '../../../electron/services/robot.ts';
import { createLogger } from '../../../electron/services/log.ts';

/** A part for ordering questions only: building it would be a mistake in the test. */
function declared(name: string, needs: Capability[], provides: Capability[]): TerminalPart {
  return {
    name,
    needs,
    provides,
    build: () => Promise.reject(new Error(`${name} is not built in ordering tests`)),
  };
}

/** The same part, noting when the root builds it. */
function traced(part: TerminalPart, built: string[]): TerminalPart {
  return { ...part, build: (ctx, deps) => (built.push(part.name), part.build(ctx, deps)) };
}

const options = () => ({ kioskId: 'kiosk-1', dataDir: mkdtempSync(join(tmpdir(), 'xj-compose-')), log: createLogger('test', 'silent') });
const noVoice = speechPart({ engines: { zh: null, en: null } });

let running: KioskServices | null = null;
afterEach(async () => {
  await running?.close();
  running = null;
});

describe('ordering a terminal from declared parts', () => {
  it('names the part and the need when nothing provides it', () => {
    expect(() => orderParts([declared('print', ['devices'], [])])).toThrow(new CompositionError("part 'print' needs 'devices', which no part provides"));
  });

  it('names the parts that need each other', () => {
    const parts = [declared('a', ['session'], ['queue']), declared('b', ['queue'], ['session'])];
    expect(() => orderParts(parts)).toThrow(new CompositionError('parts need each other: a → b → a'));
  });

  it('refuses two parts providing the same thing', () => {
    expect(() => orderParts([declared('sync', [], ['transactions']), declared('outbox', [], ['transactions'])])).toThrow(/'sync' and 'outbox' both provide 'transactions'/);
  });

  it('orders the real terminal as it always ran: sync, devices, then the services built on them', () => {
    expect(orderParts(terminalParts()).map((p) => p.name)).toEqual(['sync', 'devices', 'speech', 'session', 'print', 'rating', 'queue', 'robot', 'voice', 'help', 'certificates', 'records', 'id-copy', 'eligibility', 'bundles', 'cases', 'prereview', 'screen-faults']);
  });

  it('keeps that order when the terminal is listed backwards', () => {
    const order = orderParts(terminalParts().reverse()).map((p) => p.name);
    for (const [before, after] of [['sync', 'devices'], ['devices', 'session'], ['session', 'queue'], ['devices', 'print']]) {
      expect(order.indexOf(before)).toBeLessThan(order.indexOf(after));
    }
  });
});

describe('building a terminal through the root', () => {
  it('builds the real parts after what they need, whatever the listed order, and hands out what they provide', async () => {
    const built: string[] = [];
    const parts = [queuePart(), sessionPart, noVoice, devicesPart(), syncPart(), robotPart].map((p) => traced(p, built));
    running = await composeTerminal(options(), parts);
    expect(built.indexOf('sync')).toBeLessThan(built.indexOf('devices'));
    expect(built.indexOf('devices')).toBeLessThan(built.indexOf('session'));
    expect(built.indexOf('session')).toBeLessThan(built.indexOf('queue'));
    // A stand-alone kiosk: no platform and no robot, said as such rather than left unset.
    expect(running.get('central')).toBeNull();
    expect(running.get('robot')).toBeNull();
    expect(running.get('session').state()).toEqual({ person: null, card: null, senior: null });
    expect(running.get('queue').blocks.all()).toEqual([]);
    expect(running.get('devices').health().map((h) => h.kind).sort()).toEqual(running.context.kiosk.devices.map((d) => d.kind).sort());
  });

  it('says which capability a terminal lacks when asked for it', async () => {
    running = await composeTerminal(options(), [noVoice]);
    expect(running.has('speech')).toBe(true);
    expect(running.has('queue')).toBe(false);
    expect(() => running!.get('queue')).toThrow(new CompositionError("this terminal has no part providing 'queue'"));
  });

  it('refuses a part reading what it did not declare it needs', async () => {
    const sneaky = definePart({
      name: 'sneaky',
      needs: ['transactions'],
      provides: [],
      build: (_ctx, deps) => {
        // Deliberately past the types: the root must catch what a cast would hide.
        void (deps as Capabilities).central;
        return { provides: {} };
      },
    });
    await expect(composeTerminal(options(), [syncPart(), sneaky])).rejects.toThrow(new CompositionError("part 'sneaky' read 'central' without declaring that it needs it"));
  });

  it('refuses a part that does not provide what it declared, and closes what was already built', async () => {
    const closed: string[] = [];
    const opener = definePart({
      name: 'opener',
      needs: [],
      provides: ['speech'],
      build: (ctx) => {
        ctx.onClose(() => void closed.push('opener'));
        return { provides: { speech: { tts: false } } };
      },
    });
    const liar: TerminalPart = { name: 'liar', needs: ['speech'], provides: ['transactions'], build: async () => ({ handlers: {}, provides: {} }) };
    await expect(composeTerminal(options(), [opener, liar])).rejects.toThrow(new CompositionError("part 'liar' declared 'transactions' but did not provide it"));
    expect(closed).toEqual(['opener']);
  });
});
