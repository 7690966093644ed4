/**
 * The 24/7 teller machine beside the hall (issue 18, the teller profile), in Chromium:
 * at night it still serves what finishes at the machine but offers no ticket buttons the
 * closed hall could not honour, while the hall kiosk keeps its own; with hours of its own
 * that exclude now, its screen says it is not in service and when it is. And the journey
 * the issue names: a citizen signs in at the teller, is reminded the card runs out soon,
 * and prints a social-security record on its (simulated, IPP-speaking) A4 printer whose
 * code the platform's verify page accepts.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startHall, type RunningHall } from '../../cli/hall.ts';
import { DEFAULT_CONFIG_DIR } from '../../config/load.ts';
import { createLogger } from '../../electron/services/log.ts';
import { hallInstant } from '../../protocol/clock.ts';
import { execFileSync } from 'node:child_process';
import { artifactDir, launchChromium, openKioskHome, RESIDENT, waitForTakeover, type LaunchedBrowser } from './browser.ts';

const SUNDAY_NIGHT = { now: () => hallInstant('2026-12-06', '22:30') };
const shots = artifactDir('teller');

let hall: RunningHall | undefined;
let chromium: LaunchedBrowser | undefined;
const dirs: string[] = [];

afterEach(async () => {
  await chromium?.close();
  await hall?.close();
  chromium = hall = undefined;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function tellerHall(edit?: (kiosks: { id: string; serviceHours?: unknown }[]) => void): Promise<RunningHall> {
  const dataDir = mkdtempSync(join(tmpdir(), 'xj-teller-e2e-'));
  const configDir = mkdtempSync(join(tmpdir(), 'xj-teller-config-'));
  dirs.push(dataDir, configDir);
  cpSync(DEFAULT_CONFIG_DIR, configDir, { recursive: true });
  if (edit) {
    const file = join(configDir, 'kiosks.json');
    const kiosks = JSON.parse(readFileSync(file, 'utf8'));
    edit(kiosks);
    writeFileSync(file, JSON.stringify(kiosks, null, 1));
  }
  hall = await startHall({ dataDir, configDir, teller: true, ports: { central: 0, kiosk: 0, robot: 0 }, log: createLogger('e2e', 'warn') });
  return hall;
}

describe('the teller machine', () => {
  it('at night offers its own services and no ticket buttons; the hall kiosk keeps them', async () => {
    const h = await tellerHall();
    h.teller!.services.get('queue').clock.source = SUNDAY_NIGHT;
    h.kiosk.get('queue').clock.source = SUNDAY_NIGHT;
    chromium = await launchChromium();
    const teller = await openKioskHome(chromium.browser, h.urls.teller!);
    await waitForTakeover(teller);
    await teller.getByTestId('tickets-closed-note').waitFor();
    expect(await teller.locator('[data-testid="group-tiles"] [data-group]').count()).toBe(0);
    expect(await teller.getByTestId('home-records').isVisible()).toBe(true);
    expect(await teller.getByTestId('home-check-in').isVisible()).toBe(true);
    expect(await teller.getByTestId('self-service-hours').innerText()).toBe('自助服务 · 24小时');
    await teller.screenshot({ path: join(shots, '01-teller-night.png') });

    const kiosk = await openKioskHome(chromium.browser, h.urls.kiosk);
    await waitForTakeover(kiosk);
    expect(await kiosk.locator('[data-testid="group-tiles"] [data-group]').count()).toBeGreaterThan(0);
    expect(await kiosk.getByTestId('tickets-closed-note').count()).toBe(0);
  });

  it('outside hours of its own says it is not in service and when it is', async () => {
    // Hours that exclude whatever the time is now: the hour that has just begun is left out.
    const hour = Number(new Date(Date.now() + 8 * 3600_000).toISOString().slice(11, 13));
    const open = `${String((hour + 1) % 24).padStart(2, '0')}:00`;
    const close = `${String(hour).padStart(2, '0')}:00`;
    const h = await tellerHall((kiosks) => {
      kiosks.find((k) => k.id === 'teller-1')!.serviceHours = [{ days: [1, 2, 3, 4, 5, 6, 7], open, close }];
    });
    chromium = await launchChromium();
    const page = await chromium.browser.newPage();
    await page.goto(h.urls.teller!);
    await page.getByTestId('out-of-service').waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('out-of-service').innerText()).toContain(`${open}–${close}`);
    expect(await page.getByTestId('home').count()).toBe(0);
    await page.screenshot({ path: join(shots, '02-out-of-service.png') });
  });

  it('signs a citizen in, reminds them the card runs out soon, and prints a record whose code verifies', async () => {
    const h = await tellerHall();
    chromium = await launchChromium();
    const page = await openKioskHome(chromium.browser, h.urls.teller!);
    await waitForTakeover(page);
    const soon = new Date(Date.now() + 30 * 86400_000).toISOString().slice(0, 10);
    const tellerBase = new URL(h.urls.teller!).origin;
    const insert = await fetch(`${tellerBase}/sim/idcard/insert`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ card: 'resident', validTo: soon }) });
    expect(insert.ok).toBe(true);
    await expect.poll(() => page.getByTestId('person').innerText().catch(() => '')).toContain(RESIDENT.maskedName);
    await page.getByTestId('card-expiry').waitFor();

    await page.getByTestId('home-records').click();
    await page.locator('[data-testid="record-kinds"] [data-kind="social-security"]').click();
    await page.getByTestId('record').waitFor({ timeout: 15_000 });
    await page.getByTestId('record-print-button').click();
    await expect.poll(() => page.getByTestId('record-print-state').getAttribute('data-state').catch(() => null), { timeout: 20_000 }).toBe('done');
    const code = /核验码 ([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})/.exec(await page.getByTestId('record-print-state').innerText())?.[1]?.replaceAll('-', '');
    expect(code).toBeTruthy();
    await page.screenshot({ path: join(shots, '03-teller-record-printed.png') });

    // The paper the simulated printer took: the record's title and the code, the number masked.
    const printed = h.teller!.services.get('devices').manager?.simulators.a4?.printed ?? [];
    expect(printed).toHaveLength(1);
    const pdfFile = join(dirs[0], 'printed.pdf');
    writeFileSync(pdfFile, printed[0].pdf);
    const text = execFileSync('pdftotext', ['-layout', pdfFile, '-'], { encoding: 'utf8' });
    expect(text).toContain('广州市社会保险参保缴费记录');
    expect(text).toContain(RESIDENT.maskedId);
    expect(text.replace(/-/g, '')).toContain(code!);
    const verified = await (await fetch(`${h.urls.central}/api/verify?code=${code}`)).json();
    expect(verified).toMatchObject({ valid: true, claims: { kind: 'social-security' } });
  });
});
