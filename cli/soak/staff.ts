/**
 * The windows' staff, through the platform's HTTP API as the window terminal calls it:
 * each morning up to three windows per line open, each calls the next ticket, serves it for the
 * group's service time and finishes; at the close each window closes. A call that fails
 * (the platform down) is tried again at the next beat: staff do not give up.
 */
import type { HallConfig } from '../../config/schema.ts';
import { dayPlan } from '../../common/hall-calendar.ts';
import { hallDay, hallInstant, type Clock } from '../../protocol/clock.ts';
import type { WindowStatus } from '../../protocol/queue-views.ts';

/** A staff member's session on the platform's HTTP API, signing in again when it lapses (a restarted platform keeps sessions, but not always). */
export class StaffApi {
  private token: string | null = null;

  /** `centralUrl`: the platform's base URL (staff reach it directly, not through a terminal's cable). */
  constructor(readonly centralUrl: string, private readonly username: string, private readonly password: string) {}

  async call<T = Record<string, unknown>>(method: 'GET' | 'POST', path: string): Promise<T> {
    if (!this.token) {
      const res = await fetch(`${this.centralUrl}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: this.username, password: this.password }) });
      if (!res.ok) throw new Error(`staff sign-in refused: HTTP ${res.status}`);
      this.token = ((await res.json()) as { token: string }).token;
    }
    const res = await fetch(`${this.centralUrl}${path}`, { method, headers: { authorization: `Bearer ${this.token}`, ...(method === 'POST' ? { 'content-type': 'application/json' } : {}) }, body: method === 'POST' ? '{}' : undefined });
    if (res.status === 401) this.token = null;
    if (!res.ok) {
      const code = ((await res.json().catch(() => ({}))) as { error?: { code?: string } }).error?.code ?? '';
      throw new Error(`${method} ${path}: HTTP ${res.status} ${code}`);
    }
    return (await res.json()) as T;
  }
}

export interface StaffOptions {
  api: StaffApi;
  config: HallConfig;
  clock: Clock;
  speed: number;
  /** Windows open per line (default 3). */
  perLine?: number;
}

export class WindowStaff {
  private readonly windows: { id: string; minutes: number }[];
  private stopped = false;
  private loops: Promise<void>[] = [];
  calls = 0;
  finished = 0;
  /** Failed calls by what failed (no personal data: the platform's error names the window and the rule). */
  readonly errors: Record<string, number> = {};

  constructor(private readonly o: StaffOptions) {
    // As many clerks per line as the hall staffs on an ordinary day, at the windows it has.
    const staffed = new Map<string, number>();
    this.windows = [];
    for (const w of o.config.hall.windows) {
      const group = o.config.hall.groups.find((g) => g.id === w.groups[0]);
      const n = staffed.get(group?.id ?? '') ?? 0;
      if (!group || n >= (o.perLine ?? 3)) continue;
      staffed.set(group.id, n + 1);
      this.windows.push({ id: w.id, minutes: group.defaultServiceMinutes ?? 8 });
    }
  }

  start(): void {
    this.loops = this.windows.map((w) => this.serve(w));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.allSettled(this.loops);
  }

  private api(method: 'GET' | 'POST', path: string): Promise<Record<string, unknown>> {
    return this.o.api.call(method, path);
  }

  private wait(simMinutes: number): Promise<void> {
    return new Promise((done) => setTimeout(done, Math.max(50, (simMinutes * 60_000) / this.o.speed)));
  }

  private isOpen(now: number): boolean {
    const plan = dayPlan(this.o.config, hallDay(now));
    return !!plan.open && !!plan.hours && now >= hallInstant(plan.date, plan.hours.open) && now < hallInstant(plan.date, plan.hours.close);
  }

  /**
   * Each beat reads the window as the window terminal shows it and does the one thing a
   * clerk would next, so a step lost to a platform restart is simply done at the next beat.
   */
  private async serve(w: { id: string; minutes: number }): Promise<void> {
    const path = `/api/queue/windows/${w.id}`;
    while (!this.stopped) {
      try {
        const hallOpen = this.isOpen(this.o.clock.now());
        const { window } = (await this.api('GET', path)) as { window: WindowStatus };
        if (window.current) {
          if (window.current.startedAt === null) await this.api('POST', `${path}/start`);
          await this.wait(w.minutes);
          await this.api('POST', `${path}/finish`);
          this.finished++;
          continue;
        }
        if (hallOpen && window.state === 'closed') await this.api('POST', `${path}/open`);
        else if (!hallOpen && window.state !== 'closed') await this.api('POST', `${path}/close`);
        else if (hallOpen) {
          const { call } = (await this.api('POST', `${path}/call-next`)) as { call: unknown };
          if (call) {
            this.calls++;
            continue;
          }
        }
      } catch (err) {
        const what = (err as Error).message.replace(/windows\/[A-Z0-9]+/, 'windows/:id').slice(0, 120);
        this.errors[what] = (this.errors[what] ?? 0) + 1;
      }
      // An idle clerk looks at the queue again every ten minutes.
      await this.wait(10);
    }
  }
}
