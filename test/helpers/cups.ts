/**
 * A private CUPS for one test file (or one benchmark run): its own cupsd (own config, spool and log folders,
 * a loopback port, never the system's service) with a cups-pdf queue whose PDFs land in
 * the test's own folder. cups-pdf reads its per-queue settings only from
 * /etc/cups/cups-pdf-<queue>.conf, so that one file is written there and removed again.
 *
 * Text must survive the trip: cups-filters' default PostScript step loses the PDF's
 * ToUnicode map (pdftotext then reads glyph ids), pdftocairo keeps it, so the queue
 * renders with it.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';

export const CUPSD = '/usr/sbin/cupsd';
const CUPS_PDF_PPD = '/usr/share/ppd/cups-pdf/CUPS-PDF_noopt.ppd';

/** Why CUPS tests cannot run here, or null when they can. */
export function cupsMissing(): string | null {
  if (!existsSync(CUPSD)) return `cupsd is not installed (${CUPSD}); apt-get install cups printer-driver-cups-pdf poppler-utils, as .ci/run does`;
  return null;
}

export interface PrivateCups {
  port: number;
  queue: string;
  printerUri: string;
  /** Where cups-pdf writes each printed job's PDF. */
  outDir: string;
  lpadmin(...args: string[]): void;
  /** The PDFs cups-pdf has written so far. */
  outputs(): string[];
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => resolve(typeof addr === 'object' && addr ? addr.port : 0));
    });
  });
}

export async function startCups(): Promise<PrivateCups> {
  if (process.getuid?.() !== 0) throw new Error('the cups-pdf backend runs only under a cupsd started as root: run the CUPS tests as root (CI does)');
  const root = mkdtempSync(join(tmpdir(), 'xj-cups-'));
  chmodSync(root, 0o755);
  for (const d of ['spool/tmp', 'cache', 'state', 'log']) mkdirSync(join(root, d), { recursive: true });
  const outDir = join(root, 'out');
  mkdirSync(outDir);
  // cups-pdf drops to an unprivileged user for jobs from unknown users: it must be able to write here.
  chmodSync(outDir, 0o1777);
  const port = await freePort();
  writeFileSync(
    join(root, 'cupsd.conf'),
    [
      `Listen 127.0.0.1:${port}`,
      'LogLevel warn',
      'WebInterface no',
      'Browsing No',
      'DefaultAuthType None',
      '<Location />\n  Order allow,deny\n  Allow all\n</Location>',
      '<Location /admin>\n  Order allow,deny\n  Allow all\n</Location>',
      '<Policy default>\n  <Limit All>\n    Order deny,allow\n  </Limit>\n</Policy>',
      '',
    ].join('\n'),
  );
  writeFileSync(
    join(root, 'cups-files.conf'),
    [`ServerRoot ${root}`, `RequestRoot ${root}/spool`, `TempDir ${root}/spool/tmp`, `CacheDir ${root}/cache`, `StateDir ${root}/state`, `ErrorLog ${root}/log/error_log`, `AccessLog ${root}/log/access_log`, `PageLog ${root}/log/page_log`, ''].join('\n'),
  );
  const cupsd: ChildProcess = spawn(CUPSD, ['-f', '-c', join(root, 'cupsd.conf'), '-s', join(root, 'cups-files.conf')], { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => cupsd.once('exit', () => resolve()));
  const server = `127.0.0.1:${port}`;
  const lpadmin = (...args: string[]) => {
    execFileSync('lpadmin', ['-h', server, ...args], { stdio: 'pipe' });
  };
  // Waits for the scheduler to answer (not a fixed sleep); plain Node, so bench/ can start one too.
  for (const started = Date.now(); ; await delay(100)) {
    if (cupsd.exitCode !== null) throw new Error(`cupsd exited with ${cupsd.exitCode}; see ${root}/log/error_log`);
    try {
      execFileSync('lpstat', ['-h', server, '-r'], { stdio: 'pipe' });
      break;
    } catch (err) {
      if (Date.now() - started > 15_000) throw new Error(`cupsd did not answer on ${server} within 15 s`, { cause: err });
    }
  }
  const queue = `xj${process.pid}${port}`;
  const queueConf = `/etc/cups/cups-pdf-${queue}.conf`;
  writeFileSync(queueConf, `Out ${outDir}\nAnonDirName ${outDir}\nLabel 1\n`);
  lpadmin('-p', queue, '-E', '-v', `cups-pdf:/${queue}`, '-P', CUPS_PDF_PPD, '-o', 'pdftops-renderer-default=pdftocairo');
  return {
    port,
    queue,
    printerUri: `ipp://${server}/printers/${queue}`,
    outDir,
    lpadmin,
    outputs: () => readdirSync(outDir).filter((f) => f.endsWith('.pdf')).map((f) => join(outDir, f)),
    async stop() {
      if (cupsd.exitCode === null) {
        cupsd.kill('SIGTERM');
        await exited;
      }
      rmSync(queueConf, { force: true });
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** The text pdftotext reads from a PDF file. */
export function pdfText(file: string): string {
  return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
}
