/**
 * A teller machine's own hours: around the clock unless set, weekly hours otherwise, an
 * entry that closes before it opens running past midnight; the terminal tells its screen
 * when it opens or closes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { terminalServiceAt } from '../../../common/terminal-hours.ts';
import { hallInstant } from '../../../protocol/clock.ts';
import type { TerminalServiceView } from '../../../protocol/ui/domains/kiosk.ts';
import { composeTerminal, type KioskServices } from '../../../electron/services/kiosk-services.ts';
import { createLogger } from '../../../electron/services/log.ts';
import { copyDefaultHall, editJson } from '../config/helpers.ts';

// 2026-12-07 is a Monday, 2026-12-06 a Sunday; 2026-10-01 is National Day (the hall is shut).
const at = (day: string, time: string) => hallInstant(day, time);

describe('a terminal’s own hours', () => {
  it('a teller without hours serves around the clock, holidays too; a hall kiosk is not self-service', () => {
    for (const [day, time] of [['2026-12-06', '03:00'], ['2026-10-01', '23:59'], ['2026-12-07', '00:00']]) {
      expect(terminalServiceAt({ kind: 'teller' }, at(day, time))).toEqual({ selfService: true, hours: null, open: true });
    }
    expect(terminalServiceAt({ kind: 'kiosk' }, at('2026-12-06', '03:00')).selfService).toBe(false);
  });

  it('weekly hours open at the opening minute and close at the closing one', () => {
    const teller = { kind: 'teller' as const, serviceHours: [{ days: [1, 2, 3, 4, 5], open: '08:00', close: '20:00' }] };
    expect(terminalServiceAt(teller, at('2026-12-07', '07:59')).open).toBe(false);
    expect(terminalServiceAt(teller, at('2026-12-07', '08:00')).open).toBe(true);
    expect(terminalServiceAt(teller, at('2026-12-07', '19:59')).open).toBe(true);
    expect(terminalServiceAt(teller, at('2026-12-07', '20:00')).open).toBe(false);
    expect(terminalServiceAt(teller, at('2026-12-06', '12:00')).open).toBe(false);
  });

  it('an entry closing before it opens runs past midnight, on the day it names', () => {
    // Friday and Saturday nights until two; a Saturday 01:00 is Friday's night.
    const teller = { kind: 'teller' as const, serviceHours: [{ days: [5, 6], open: '06:00', close: '02:00' }] };
    expect(terminalServiceAt(teller, at('2026-12-12', '01:00')).open).toBe(true); // Saturday, Friday's night
    expect(terminalServiceAt(teller, at('2026-12-12', '23:00')).open).toBe(true);
    expect(terminalServiceAt(teller, at('2026-12-13', '01:59')).open).toBe(true); // Sunday, Saturday's night
    expect(terminalServiceAt(teller, at('2026-12-13', '02:00')).open).toBe(false);
    expect(terminalServiceAt(teller, at('2026-12-11', '01:00')).open).toBe(false); // Friday, after a Thursday it does not open
    expect(terminalServiceAt(teller, at('2026-12-11', '05:59')).open).toBe(false);
  });
});

describe('the teller terminal and its screen', () => {
  let services: KioskServices | null = null;
  const dirs: string[] = [];
  afterEach(async () => {
    await services?.close();
    services = null;
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('reports its hours in kiosk.info and pushes kiosk.service when a new configuration closes it', async () => {
    const configDir = copyDefaultHall();
    const dataDir = mkdtempSync(join(tmpdir(), 'xj-teller-'));
    dirs.push(configDir, dataDir);
    services = await composeTerminal({ kioskId: 'teller-1', dataDir, configDir, watchConfig: true, log: createLogger('test', 'silent') }, []);
    services.context.clock.source = { now: () => at('2026-12-06', '22:00') };
    const info = (await services.router.dispatch('kiosk.info', {})) as { ok: true; value: { kind: string; service: TerminalServiceView } };
    expect(info.value.kind).toBe('teller');
    expect(info.value.service).toEqual({ selfService: true, hours: null, open: true });

    const pushed: TerminalServiceView[] = [];
    services.hub.on('kiosk.service', (s) => pushed.push(s));
    editJson(configDir, 'kiosks.json', (kiosks: { id: string; serviceHours?: unknown }[]) => {
      kiosks.find((k) => k.id === 'teller-1')!.serviceHours = [{ days: [1, 2, 3, 4, 5], open: '08:00', close: '20:00' }];
    });
    await expect.poll(() => pushed.length).toBe(1);
    expect(pushed[0]).toMatchObject({ selfService: true, open: false, hours: [{ days: [1, 2, 3, 4, 5], open: '08:00', close: '20:00' }] });
  });
});
