/**
 * A flatbed or SANE scanner's hot folder: the scanner's own software (scanimage, a vendor's
 * scan button) saves each scanned page there as a file. After the citizen presses 扫描仪 the
 * kiosk waits for the next page to appear, lets the scanner finish writing it (its size
 * stops changing), reads it and deletes it at once: a scanned ID card is personal data and
 * must not stay on the kiosk's disk, whether it turned out to be a picture or not.
 */
import { readdir, readFile, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';

/** How often the folder is looked at while a scan is awaited. */
export const SCAN_POLL_MS = 200;
/** A file whose size has not changed for this long is taken as written. */
export const SCAN_SETTLE_MS = 600;
/** An empty file may be a scanner still warming up before it writes: it gets longer. */
export const SCAN_EMPTY_SETTLE_MS = 3_000;
/**
 * A page saved this shortly before the button was pressed still counts: citizens press the
 * scanner's button and the screen's nearly together, in either order.
 */
export const SCAN_PRESS_SLACK_MS = 2_000;
/** Nobody scanned within this long: the wait ends with a message. */
export const SCAN_WAIT_MS = 120_000;

export class ScanError extends Error {
  constructor(
    readonly reason: 'missing-folder' | 'empty' | 'too-large' | 'timeout' | 'cancelled',
    message: string,
  ) {
    super(message);
    this.name = 'ScanError';
  }
}

// Scanner software often writes under a temporary or hidden name and renames when done.
const unfinished = (name: string) => name.startsWith('.') || /\.(part|tmp|crdownload|partial)$/i.test(name);

interface Seen {
  size: number;
  mtimeMs: number;
  stableSince: number;
}

async function listing(folder: string): Promise<Map<string, { size: number; mtimeMs: number }>> {
  const out = new Map<string, { size: number; mtimeMs: number }>();
  for (const entry of await readdir(folder, { withFileTypes: true })) {
    if (!entry.isFile() || unfinished(entry.name)) continue;
    try {
      const s = await stat(join(folder, entry.name));
      out.set(entry.name, { size: s.size, mtimeMs: s.mtimeMs });
    } catch {
      // Renamed or taken away between the listing and the look: not a page.
    }
  }
  return out;
}

/**
 * Waits for the newest page saved into the folder after this call and returns its bytes,
 * the file already deleted. Older files there are left alone.
 */
export async function takeNextScan(folder: string, opts: { maxBytes: number; signal?: AbortSignal; waitMs?: number }): Promise<Buffer> {
  const started = Date.now();
  try {
    await readdir(folder);
  } catch (err) {
    throw new ScanError('missing-folder', `the scanner folder cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  const seen = new Map<string, Seen>();
  for (;;) {
    if (opts.signal?.aborted) throw new ScanError('cancelled', 'the scan was cancelled');
    const now = Date.now();
    if (now - started > (opts.waitMs ?? SCAN_WAIT_MS)) throw new ScanError('timeout', 'no scanned page arrived; place the page on the scanner and press its scan button');
    const files = await listing(folder).catch(() => new Map<string, { size: number; mtimeMs: number }>());
    let pick: { name: string; size: number; mtimeMs: number } | null = null;
    for (const [name, f] of files) {
      if (f.mtimeMs < started - SCAN_PRESS_SLACK_MS) continue;
      const last = seen.get(name);
      const stableSince = last && last.size === f.size && last.mtimeMs === f.mtimeMs ? last.stableSince : now;
      seen.set(name, { ...f, stableSince });
      const settle = f.size === 0 ? SCAN_EMPTY_SETTLE_MS : SCAN_SETTLE_MS;
      if (now - stableSince >= settle && (!pick || f.mtimeMs > pick.mtimeMs)) pick = { name, ...f };
    }
    if (pick) return take(join(folder, pick.name), pick.size, opts.maxBytes);
    await new Promise((done) => setTimeout(done, SCAN_POLL_MS));
  }
}

async function take(path: string, size: number, maxBytes: number): Promise<Buffer> {
  try {
    if (size === 0) throw new ScanError('empty', 'the scanned file is empty; scan the page again');
    if (size > maxBytes) throw new ScanError('too-large', 'the scanned picture is too large; scan at a lower resolution');
    return await readFile(path);
  } finally {
    await unlink(path).catch(() => undefined);
  }
}
