/**
 * A terminal's screen as the renderer faults see it: the Chromium renderer that runs the
 * kiosk page, found in /proc under the terminal's process, and the screen's health as the
 * terminal's host reports it (alive, last beat, pages opened).
 */
import { readFileSync, readdirSync } from 'node:fs';
import type { SoakHall } from '../contract.ts';
import type { ScreenState } from '../../../electron/services/watchdog.ts';
import { terminalHealth, terminalOf } from './terminal-health.ts';

interface Proc {
  pid: number;
  ppid: number;
  rssPages: number;
  /** The command line as one string: Chromium rewrites its own, joining its arguments with spaces. */
  cmdline: string;
}

function readProc(pid: number): Proc | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name is in parentheses and may hold spaces; the fields follow the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
    return { pid, ppid: Number(fields[1]), rssPages: Number(fields[21]), cmdline };
  } catch {
    // Gone between the listing and the read.
    return null;
  }
}

/** Every live process under `root` (not `root` itself). */
export function descendants(root: number): Proc[] {
  const all = readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .map((d) => readProc(Number(d)))
    .filter((p): p is Proc => p !== null);
  const children = new Map<number, Proc[]>();
  for (const p of all) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p]);
  const out: Proc[] = [];
  const walk = (pid: number) => {
    for (const c of children.get(pid) ?? []) {
      out.push(c);
      walk(c.pid);
    }
  };
  walk(root);
  return out;
}

/**
 * The renderer that runs the kiosk page: of the terminal's Chromium renderers (not the
 * browser, GPU or utility processes, not extensions) the one holding the most memory.
 * The kiosk browser shows one page; what else may run as a renderer (a spare one kept
 * warm for the next tab) holds a few MB, the page with React and its catalogue far more.
 */
export function pageRenderer(hall: SoakHall, terminal: string): number {
  const root = terminalOf(hall, terminal).pid();
  if (root === null) throw new Error(`terminal ${terminal} has no running process`);
  const renderers = descendants(root).filter((p) => / --type=renderer /.test(`${p.cmdline} `) && !p.cmdline.includes(' --extension-process'));
  if (!renderers.length) throw new Error(`terminal ${terminal} (pid ${root}) runs no Chromium renderer`);
  return renderers.reduce((a, b) => (b.rssPages > a.rssPages ? b : a)).pid;
}

/** The screen's state from the terminal's host; null when the host does not answer. */
export async function screenState(hall: SoakHall, terminal: string): Promise<ScreenState | null> {
  return (await terminalHealth(hall, terminal))?.screen ?? null;
}
