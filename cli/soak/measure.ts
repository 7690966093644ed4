/**
 * What the soak run samples every simulated hour, from outside the processes: resident
 * memory and open descriptors from /proc, each terminal's outbox depth read from its
 * SQLite file, and the database and WAL sizes; and the growth per simulated day after the
 * first day by least squares.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { SoakSample } from './contract.ts';

/** Resident set size in MB of a live process, or null when it is gone. */
export function rssMb(pid: number): number | null {
  try {
    const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/** Every live process below pid (a terminal's Chromium and its renderers), from /proc's parent links. */
export function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      // The command name in parentheses may hold spaces: the parent id is the second field after it.
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(name)]);
    } catch {
      // Gone between the listing and the read.
    }
  }
  const out: number[] = [];
  const walk = (p: number) => {
    for (const c of children.get(p) ?? []) {
      out.push(c);
      walk(c);
    }
  };
  walk(pid);
  return out;
}

export function openFds(pid: number): number | null {
  try {
    return readdirSync(`/proc/${pid}/fd`).length;
  } catch {
    return null;
  }
}

/** Transactions not yet acknowledged by the platform (the outbox deletes a row on acknowledgement). */
export function outboxDepth(dataDir: string): number | null {
  const file = join(dataDir, 'outbox.db');
  if (!existsSync(file)) return null;
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 2000');
    return (db.prepare('SELECT COUNT(*) AS n FROM outbox').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

const sizeMb = (file: string) => (existsSync(file) ? statSync(file).size / (1024 * 1024) : 0);

/** The database file and its WAL, in MB, under the given name. */
export function dbSizes(name: string, file: string): Record<string, number> {
  return { [name]: sizeMb(file), [`${name}-wal`]: sizeMb(`${file}-wal`) };
}

export interface Sampled {
  processes: Record<string, number | null>;
  /** Processes whose children are sampled too, summed under `<name>-screen` (the terminal's Chromium; shared pages count once per process, so the level is high and the growth is what tells). */
  withScreens?: string[];
  outboxes: Record<string, string>;
  databases: Record<string, string>;
  /** Folders whose files are summed under a name in `dbMb` (PostgreSQL's databases and its WAL). */
  folders?: Record<string, string>;
}

/** Bytes of the files under a folder, in MB; files vanishing while it is read (WAL recycled) are skipped. */
export function folderMb(dir: string): number {
  let bytes = 0;
  const walk = (d: string) => {
    let entries;
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const path = join(d, e.name);
      if (e.isDirectory()) walk(path);
      else if (e.isFile()) {
        try {
          bytes += statSync(path).size;
        } catch {
          // Removed between listing and stat.
        }
      }
    }
  };
  walk(dir);
  return bytes / (1024 * 1024);
}

export function sample(day: number, what: Sampled): SoakSample {
  const out: SoakSample = { day, rssMb: {}, fds: {}, outbox: {}, dbMb: {}, pids: {} };
  for (const [name, pid] of Object.entries(what.processes)) {
    if (pid === null) continue;
    out.pids![name] = pid;
    const rss = rssMb(pid);
    const fds = openFds(pid);
    if (rss !== null) out.rssMb[name] = Math.round(rss * 10) / 10;
    if (fds !== null) out.fds[name] = fds;
    if (!what.withScreens?.includes(name)) continue;
    const screen = descendants(pid);
    if (!screen.length) continue;
    out.rssMb[`${name}-screen`] = Math.round(screen.reduce((sum, p) => sum + (rssMb(p) ?? 0), 0) * 10) / 10;
    out.fds[`${name}-screen`] = screen.reduce((sum, p) => sum + (openFds(p) ?? 0), 0);
  }
  for (const [name, dir] of Object.entries(what.outboxes)) {
    try {
      const n = outboxDepth(dir);
      if (n !== null) out.outbox[name] = n;
    } catch {
      // Busy past the timeout: this hour's sample goes without it.
    }
  }
  for (const [name, file] of Object.entries(what.databases)) for (const [k, v] of Object.entries(dbSizes(name, file))) out.dbMb[k] = Math.round(v * 1000) / 1000;
  for (const [name, dir] of Object.entries(what.folders ?? {})) out.dbMb[name] = Math.round(folderMb(dir) * 1000) / 1000;
  return out;
}

/** Least-squares slope of y over x (units of y per unit of x); 0 with fewer than two points. */
export function slope(points: { x: number; y: number }[]): number {
  return pooledSlope([points]);
}

/**
 * Growth per simulated day of each process's memory and descriptors. Every life of a process
 * (the platform is killed and restarted during a run) is judged after its own first simulated
 * day, the warm-up the floor allows: a fresh Node process takes about a day of traffic to
 * grow its heap and compiled code to their working size, so the shortly-lived last life alone
 * would mostly measure that. The slope is fitted within each life and pooled over the lives
 * (each life keeps its own level, the lives share one slope), so a leak shows in every life
 * and a restart's drop is not read as shrinking. A run shorter than two days judges after a
 * quarter day instead; lives with less than half a judged day are left out.
 */
export function growthPerDay(samples: SoakSample[], days: number): Record<string, { rssMb: number; fds: number }> {
  const warm = days >= 2 ? 1 : 0.25;
  const names = new Set(samples.flatMap((s) => Object.keys(s.rssMb)));
  const out: Record<string, { rssMb: number; fds: number }> = {};
  for (const name of names) {
    // A screen's processes belong to their terminal: its restarts are the terminal's.
    const owner = name.endsWith('-screen') ? name.slice(0, -'-screen'.length) : name;
    const lives = new Map<number | undefined, SoakSample[]>();
    for (const s of samples) {
      const pid = s.pids?.[owner];
      const life = lives.get(pid) ?? [];
      life.push(s);
      lives.set(pid, life);
    }
    const rss: { x: number; y: number }[][] = [];
    const fds: { x: number; y: number }[][] = [];
    for (const life of lives.values()) {
      const from = life[0].day + warm;
      const later = life.filter((s) => s.day >= from);
      const r = later.filter((s) => s.rssMb[name] !== undefined).map((s) => ({ x: s.day, y: s.rssMb[name] }));
      if (r.length < 2 || r[r.length - 1].x - r[0].x < 0.5) continue;
      rss.push(r);
      fds.push(later.filter((s) => s.fds[name] !== undefined).map((s) => ({ x: s.day, y: s.fds[name] })));
    }
    if (rss.length === 0) continue;
    out[name] = { rssMb: Math.round(pooledSlope(rss) * 100) / 100, fds: Math.round(pooledSlope(fds) * 100) / 100 };
  }
  return out;
}

/** One slope fitted to several series that each keep their own level (least squares within each series). */
export function pooledSlope(series: { x: number; y: number }[][]): number {
  let num = 0;
  let den = 0;
  for (const points of series) {
    const n = points.length;
    if (n < 2) continue;
    const mx = points.reduce((s, p) => s + p.x, 0) / n;
    const my = points.reduce((s, p) => s + p.y, 0) / n;
    for (const p of points) {
      num += (p.x - mx) * (p.y - my);
      den += (p.x - mx) ** 2;
    }
  }
  return den === 0 ? 0 : num / den;
}

/** The rolled log files of each process in a folder written by pino-roll (`<name>.<n>.log`). */
export function rolledLogs(dir: string): Record<string, { files: number; rolls: number; largestKb: number }> {
  const out: Record<string, { files: number; rolls: number; largestKb: number }> = {};
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return out;
  }
  for (const file of names) {
    const m = /^(.+)\.(\d+)\.log$/.exec(file);
    if (!m) continue;
    const entry = (out[m[1]] ??= { files: 0, rolls: 0, largestKb: 0 });
    entry.files++;
    // Numbering starts at 1 and goes on across restarts, so the highest number less one is how often it rolled.
    entry.rolls = Math.max(entry.rolls, Number(m[2]) - 1);
    entry.largestKb = Math.max(entry.largestKb, Math.round(statSync(join(dir, file)).size / 102.4) / 10);
  }
  return out;
}
