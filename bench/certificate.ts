/**
 * Card on the reader → certificate spooled to CUPS, on the hall `npm start` runs with a
 * private cupsd's cups-pdf queue as the kiosk's A4 printer: the simulated resident card is
 * placed, the kiosk signs the citizen in, asks the platform to sign the certificate, lays
 * it out and sends it over IPP. "Spooled" is the moment CUPS accepted the Print-Job (the
 * whole document is with the print server); "printed" is when CUPS reports it completed.
 *
 * Baseline, in the same run: `lp` handing CUPS the same PDF (spooled when lp returns).
 * Rounds alternate between the two so machine noise falls on both.
 *
 *   npm run bench:certificate [-- --rounds 15]
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHall } from '../cli/hall.ts';
import { DEFAULT_CONFIG_DIR } from '../config/load.ts';
import { createLogger } from '../electron/services/log.ts';
import { renderCertificatePdf } from '../common/pdf/certificate.ts';
import type { A4JobStatus } from '../drivers/a4printer/printer.ts';
import { socialSecurityCertificate } from '../test/helpers/certificates.ts';
import { cupsMissing, startCups } from '../test/helpers/cups.ts';
import { percentile, writeSection } from './report.ts';

const COMMAND = 'npm run bench:certificate';
const roundsArg = process.argv.indexOf('--rounds');
const ROUNDS = roundsArg > 0 ? Number(process.argv[roundsArg + 1]) : 15;

const missing = cupsMissing();
if (missing) {
  console.error(`bench:certificate needs CUPS: ${missing}`);
  process.exit(1);
}

const certificate = socialSecurityCertificate(36);

const cups = await startCups();
const dataDir = mkdtempSync(join(tmpdir(), 'xj-bench-cert-'));
const configDir = mkdtempSync(join(tmpdir(), 'xj-bench-cert-config-'));
cpSync(DEFAULT_CONFIG_DIR, configDir, { recursive: true });
const kiosksFile = join(configDir, 'kiosks.json');
const kiosks = JSON.parse(readFileSync(kiosksFile, 'utf8')) as { id: string; devices: unknown[] }[];
kiosks.find((k) => k.id === 'kiosk-1')!.devices.push({ id: 'a4', kind: 'a4printer', port: cups.printerUri, pollMs: 100 });
writeFileSync(kiosksFile, JSON.stringify(kiosks, null, 1));
const hall = await startHall({ dataDir, configDir, ports: { central: 0, kiosk: 0, robot: 0 }, log: createLogger('bench', 'error') });
const kioskBase = new URL(hall.urls.kiosk).origin;
const manager = hall.kiosk.get('devices').manager!;
const sim = (path: string, body: unknown = {}) => fetch(`${kioskBase}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

/** Every A4 job event with the time it came, to read a job's spooled and printed moments from. */
const events: Array<{ at: number; job: A4JobStatus }> = [];
manager.on('a4-print-job', (job) => events.push({ at: performance.now(), job }));

/** Waits for a condition the hall reaches by itself (a sign-in, the platform link), checking every 5 ms. */
async function until(what: string, test: () => boolean, timeoutMs = 20_000): Promise<void> {
  for (const start = performance.now(); !test(); await new Promise((r) => setTimeout(r, 5))) {
    if (performance.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
  }
}

let cardOnReader = false;
manager.on('card-present', () => (cardOnReader = true));
manager.on('card-removed', () => (cardOnReader = false));

async function ours(): Promise<{ signedIn: number; spooled: number; printed: number }> {
  // The reader must have seen the last card go, or it would not report the next one as new.
  await sim('/sim/idcard/remove');
  await until('the card to be taken off', () => !cardOnReader);
  await hall.kiosk.get('session').signOut('reset');
  const session = hall.kiosk.get('session');
  const t0 = performance.now();
  await sim('/sim/idcard/insert', { card: 'resident' });
  await until('the sign-in', () => session.currentCard() !== null);
  const signedIn = performance.now() - t0;
  const { job } = await hall.kiosk.get('certificates').print(certificate);
  await until('the job to complete', () => events.some((e) => e.job.jobId === job.jobId && e.job.state === 'done'));
  const mine = events.filter((e) => e.job.jobId === job.jobId);
  return { signedIn, spooled: mine.find((e) => e.job.serverJobId !== undefined)!.at - t0, printed: mine.find((e) => e.job.state === 'done')!.at - t0 };
}

// The same PDF the kiosk sends, made once outside the timing.
const pdfFile = join(dataDir, 'certificate.pdf');
writeFileSync(pdfFile, await renderCertificatePdf(certificate, { hallName: '广州市小今政务服务中心', verification: { code: 'ABCD2345EFGH', url: `${hall.urls.central}/verify/t/x` } }));
function baseline(): number {
  const t0 = performance.now();
  execFileSync('lp', ['-h', `127.0.0.1:${cups.port}`, '-d', cups.queue, '-t', 'baseline', pdfFile], { stdio: 'pipe' });
  return performance.now() - t0;
}

// The platform link hands the kiosk the hall's ID key on connecting; certificates need it.
await until('the platform link', () => !!hall.kiosk.get('central')?.idKeySecret());
// Warm-up: the first document parses the font and JITs the layout.
await ours();
baseline();
const signedIn: number[] = [];
const spooled: number[] = [];
const printed: number[] = [];
const lp: number[] = [];
for (let i = 0; i < ROUNDS; i++) {
  const r = await ours();
  signedIn.push(r.signedIn);
  spooled.push(r.spooled);
  printed.push(r.printed);
  lp.push(baseline());
}
await hall.close();
await cups.stop();
rmSync(dataDir, { recursive: true, force: true });
rmSync(configDir, { recursive: true, force: true });

const row = (label: string, xs: number[]) => `| ${label} | ${percentile(xs, 50).toFixed(0)} | ${percentile(xs, 95).toFixed(0)} |`;
const body = `
## Certificate: card on the reader → spooled to CUPS

Command: \`${COMMAND}\` (${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model.trim() ?? 'cpu'}, load average ${loadavg()[0].toFixed(2)} when written)

The hall \`npm start\` runs, its kiosk's A4 printer a cups-pdf queue of a private cupsd on
loopback; a social-security record of 36 monthly rows (one A4 page and a half). Each round
places the simulated card, waits for the sign-in, has the platform sign the certificate,
lays it out (pdf-lib, wqy-microhei subset) and sends it over IPP. ${ROUNDS} rounds after one
warm-up, alternating with the baseline.

| path | median ms | p95 ms |
|---|---|---|
${row('card placed → citizen signed in (reader poll and read)', signedIn)}
${row('card placed → Print-Job accepted by CUPS (spooled)', spooled)}
${row('card placed → CUPS reports the job completed (cups-pdf wrote it)', printed)}
${row('baseline: lp of the same PDF to the same queue (spooled)', lp)}

The difference between the first and the last row is the kiosk's own work: the reader
poll (300 ms), the platform's signature, laying the document out and embedding the font
subset; the baseline starts from a finished PDF on disk.
`;
writeSection('certificate', body);
console.log(body);
