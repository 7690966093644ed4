/**
 * The host's half of the screen watchdog. The kiosk page beats every few seconds
 * (`kiosk.heartbeat`); its worker thread reports 'hung' when the page's own thread has
 * stopped. Either way, a screen that has gone quiet after it was seen alive is declared
 * hung once: the citizen's session is wiped (a frozen screen may still show a name) and
 * whoever owns the browser — Electron's main process or the browser-kiosk launcher —
 * gets the 'hung' event to reload it. A renderer that crashed is reported by that owner
 * (`crashed`). Either fault ends with 'recovered' at the first beat of the page that
 * replaced it, which is what the terminal's fault history records.
 */
import { EventEmitter } from 'node:events';

export interface WatchdogOptions {
  /** Silence after the last beat that counts as a hang (default 20 s: four missed beats). */
  silenceMs?: number;
  /** How often silence is checked (default 1 s). */
  checkMs?: number;
}

/** The screen as the terminal's health shows it to a technician or the soak run. */
export interface ScreenState {
  /** Beating and not declared hung. */
  alive: boolean;
  /** Wall-clock ms of the page's last beat (null: the current page has not beaten yet). */
  lastBeatAt: number | null;
  /** Pages opened on purpose so far (the first one and each reload after a crash or hang). */
  pages: number;
}

export interface HangReport {
  reason: 'silent' | 'reported';
  /** The screen the page last said it showed. */
  screen: string;
  silentMs: number;
}

export class ScreenWatchdog extends EventEmitter<{ hung: [HangReport]; crashed: [reason: string]; recovered: [] }> {
  private lastBeat = 0;
  private lastScreen = '';
  private hung = false;
  /** A hang or crash not yet followed by a live page. */
  private failed = false;
  private readonly timer: NodeJS.Timeout;
  private readonly silenceMs: number;
  /** Pages opened on purpose (reset) so far. */
  private pages = 0;

  constructor(opts: WatchdogOptions = {}) {
    super();
    this.silenceMs = opts.silenceMs ?? 20_000;
    this.timer = setInterval(() => this.check(), opts.checkMs ?? 1000);
    this.timer.unref();
  }

  /** A heartbeat from the page; 'hung' and 'recovered' come from its worker. */
  beat(screen: string): void {
    const now = Date.now();
    if (screen === 'hung') {
      this.declare('reported', now);
      return;
    }
    this.lastBeat = now;
    if (screen !== 'recovered') this.lastScreen = screen;
    if (this.hung || this.failed) {
      this.hung = false;
      this.failed = false;
      this.emit('recovered');
    }
  }

  /** The browser's owner saw the renderer crash (it reloads it; the next beat is the recovery). */
  crashed(reason: string): void {
    if (this.failed) return;
    this.failed = true;
    this.emit('crashed', reason);
  }

  /** A page was (re)loaded on purpose: wait for its first beat before judging it. */
  reset(): void {
    this.lastBeat = 0;
    this.hung = false;
    this.pages += 1;
  }

  get alive(): boolean {
    return this.lastBeat > 0 && !this.hung;
  }

  get state(): ScreenState {
    return { alive: this.alive, lastBeatAt: this.lastBeat || null, pages: this.pages };
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private check(): void {
    if (this.lastBeat === 0 || this.hung) return;
    if (Date.now() - this.lastBeat > this.silenceMs) this.declare('silent', Date.now());
  }

  private declare(reason: HangReport['reason'], now: number): void {
    if (this.hung) return;
    this.hung = true;
    this.failed = true;
    this.emit('hung', { reason, screen: this.lastScreen, silentMs: this.lastBeat ? now - this.lastBeat : 0 });
  }
}
