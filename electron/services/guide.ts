/**
 * The guide's behaviour on a real base: a state machine over BaseLink.
 *
 *   at-post ─yes→ guiding ─arrived→ arrived ─dwell→ returning → at-post
 *                    │ aborted/stuck: apology + directions → returning
 *                    │ link lost: fault + directions; link back → returning
 *   battery under `lowBattery`: finishes the walk, refuses new ones, returning → docking
 *   → charging; at `resumeBattery` it undocks and goes back to its post.
 *   estop: the goal is canceled at once → stopped, until resume().
 *   follow check: every `followCheck.everyMs` of a walk it stops and asks 您还跟着我吗?;
 *   stillFollowing() walks on, silence for `answerMs` ends the walk with an apology and
 *   directions → returning.
 *
 * Every walk starts from request(…, confirmed: true) only: the caller carries the
 * visitor's yes. Each plan (a walk, a return, docking) holds a ticket; a newer plan or a
 * stop voids the older one, so a late outcome of a canceled goal changes nothing.
 */
import { EventEmitter } from 'node:events';
import type { Battery, BaseLinkEvents, BaseSnapshot, GoalOutcome, GoalProgress } from '../../drivers/base/link.ts';
import type { Pose2D } from '../../drivers/base/messages.ts';
import { ApiError } from '../../protocol/ui/errors.ts';
import type { RobotTrip } from '../../protocol/sync.ts';
import type { RobotGuideState, RobotSay, RobotStateView } from '../../protocol/ui/domains/robot.ts';

/** The part of BaseLink the guide drives. */
export interface BasePort {
  readonly snapshot: BaseSnapshot;
  navigateTo(target: Pose2D): Promise<GoalOutcome>;
  dock(dockId: string): Promise<GoalOutcome>;
  undock(): Promise<GoalOutcome>;
  cancel(message?: string): void;
  on<K extends keyof BaseLinkEvents>(event: K, fn: (...args: BaseLinkEvents[K]) => void): unknown;
  off<K extends keyof BaseLinkEvents>(event: K, fn: (...args: BaseLinkEvents[K]) => void): unknown;
}

/** Where a walk goes, planned on the hall map by the caller. */
export interface GuideTarget {
  id: string;
  name: string;
  kind: 'window' | 'place';
  floor: string;
  /** The last point the base can reach on its own floor (the lift when the target is upstairs). */
  goal: Pose2D;
  /** Said instead of walking, and after a failed walk. */
  directions: string;
}

export interface GuideOptions {
  base: BasePort;
  dockId: string;
  /** Where the robot waits for visitors; by default where it stood when first ready. */
  post?: Pose2D;
  floor: string;
  /** Pause at the target before going back. */
  dwellMs?: number;
  /** Percent under which it walks nobody and docks (the hall's threshold). */
  lowBattery?: number;
  /** Percent at which it leaves the dock again. */
  resumeBattery?: number;
  /** Wait before trying a failed return or docking again. */
  retryMs?: number;
  /** Tickets waiting at a window, when the terminal knows; null skips the sentence. */
  waiting?: (windowId: string) => Promise<number | null>;
  /**
   * How often a walk pauses to ask whether the visitor still follows, and how long it waits
   * for the tap; null never asks. Read at each walk, so a new hall configuration counts at once.
   */
  followCheck?: () => { everyMs: number; answerMs: number } | null;
  /** The clock the guide's own waits run on (dwell, retries, the follow check); tests pass a manual one. */
  schedule?: (ms: number, fn: () => void) => () => void;
  now?: () => number;
}

/** One drive of the base, for the robot's history (a transaction of type robot-trip). */
export type Trip = RobotTrip;
export type TripKind = RobotTrip['kind'];
export type TripOutcome = RobotTrip['outcome'];

/** How a failed goal counts in the history: a blocked aisle apart from other aborts. */
export function tripOutcome(o: GoalOutcome): TripOutcome {
  if (o.ok) return 'ok';
  if (o.reason === 'stuck' || (o.reason === 'aborted' && o.recoveries > 0)) return 'blocked';
  if (o.reason === 'link-lost' || o.reason === 'canceled') return o.reason;
  return 'aborted';
}

/** A pose jump this long between two reports is a relocalisation, not distance walked. */
const MAX_STEP_METRES = 3;

const defaultSchedule = (ms: number, fn: () => void) => {
  const t = setTimeout(fn, ms);
  return () => clearTimeout(t);
};

export interface GuideEvents {
  state: [view: RobotStateView];
  say: [say: RobotSay];
  /** Every visitor request's end, for counts: arrived, apologised or refused. */
  request: [result: { target: string; ended: 'arrived' | 'apologised' | 'refused' }];
  trip: [trip: Trip];
}

const round = (n: number) => Math.round(n * 10) / 10;

export const FOLLOW_QUESTION = '您还跟着我吗？';

export class Guide extends EventEmitter<GuideEvents> {
  private stateValue: RobotGuideState = 'at-post';
  private ticket = 0;
  private target: GuideTarget | null = null;
  private reason: string | null = null;
  private progress: GoalProgress | null = null;
  private post: Pose2D | null;
  private timer: (() => void) | null = null;
  /** The walk is paused on the follow check: the question stands until this instant. */
  private asking: { until: number } | null = null;
  private trip: { kind: TripKind; target: string | null; fromMetres: number; at: number } | null = null;
  private odometer = 0;
  private lastPose: Pose2D | null = null;
  private readonly schedule: (ms: number, fn: () => void) => () => void;
  private readonly now: () => number;
  /** The fault is the link's: it clears when the link is back. */
  private linkFault = true;
  private readonly low: number;
  private readonly resume: number;
  private readonly baseListeners: { [K in keyof BaseLinkEvents]?: (...a: BaseLinkEvents[K]) => void } = {};

  constructor(private readonly opts: GuideOptions) {
    super();
    this.low = opts.lowBattery ?? 20;
    this.resume = Math.max(this.low, opts.resumeBattery ?? 80);
    this.post = opts.post ?? null;
    this.schedule = opts.schedule ?? defaultSchedule;
    this.now = opts.now ?? Date.now;
    this.stateValue = 'fault';
    this.reason = 'waiting for the robot base';
    this.baseListeners.link = (state, why) => this.onLink(state, why);
    this.baseListeners.battery = (b) => this.onBattery(b);
    this.baseListeners.progress = (p) => this.onProgress(p);
    this.baseListeners.pose = (pose) => {
      this.measure(pose);
      this.publish();
    };
    for (const [k, fn] of Object.entries(this.baseListeners)) opts.base.on(k as keyof BaseLinkEvents, fn as never);
    if (opts.base.snapshot.link === 'up') this.onLink('up', null);
  }

  get state(): RobotGuideState {
    return this.stateValue;
  }

  get lowBattery(): boolean {
    const b = this.opts.base.snapshot.battery;
    return b !== null && b.percent < this.low;
  }

  get view(): RobotStateView {
    const s = this.opts.base.snapshot;
    const pose = this.progress?.pose ?? s.pose;
    return {
      state: this.stateValue,
      base: true,
      link: s.link,
      target: this.target && ['guiding', 'arrived'].includes(this.stateValue) ? { id: this.target.id, name: this.target.name } : null,
      pose: pose ? { x: round(pose.x), y: round(pose.y), theta: Math.round(pose.theta * 100) / 100 } : null,
      floor: this.opts.floor,
      distanceRemaining: this.progress?.distanceRemaining != null ? round(this.progress.distanceRemaining) : null,
      battery: s.battery?.percent ?? null,
      charging: s.battery?.charging ?? false,
      lowBattery: this.lowBattery,
      reason: this.reason,
      followCheck: this.asking && this.stateValue === 'guiding' ? { question: FOLLOW_QUESTION, secondsLeft: Math.max(0, Math.ceil((this.asking.until - this.now()) / 1000)) } : null,
    };
  }

  /**
   * A visitor's request to be led. Without `confirmed` it is refused (the robot only
   * offered); with a low battery, a broken link or a stop it says the way instead.
   * Resolves with whether it is walking.
   */
  request(target: GuideTarget, confirmed: boolean): { walking: boolean } {
    if (!confirmed) throw new ApiError('bad-input', 'the visitor has not said yes: the robot walks only on a confirmed request');
    const refuse = (why: string) => {
      this.say('refuse', `${why}${target.directions}`);
      this.emit('request', { target: target.id, ended: 'refused' });
      return { walking: false };
    };
    if (this.lowBattery || this.stateValue === 'docking' || this.stateValue === 'charging') return refuse('抱歉，我的电量不足，需要去充电，不能带您过去了。');
    if (this.stateValue === 'fault' || this.opts.base.snapshot.link !== 'up') return refuse('抱歉，我现在不能走动。');
    if (this.stateValue === 'stopped') return refuse('我已被暂停，不能带您过去。');
    if (this.stateValue === 'guiding' && this.target) this.emit('request', { target: this.target.id, ended: 'apologised' });
    void this.lead(target);
    return { walking: true };
  }

  /** Emergency stop: the goal is canceled now and the robot stays put until resume(). */
  estop(why = '紧急停止'): RobotStateView {
    const wasGuiding = this.stateValue === 'guiding' ? this.target : null;
    this.void();
    this.opts.base.cancel('emergency stop');
    this.endTrip('stopped');
    this.reason = why;
    this.set('stopped');
    this.say('stopped', '我已停下。');
    if (wasGuiding) this.emit('request', { target: wasGuiding.id, ended: 'apologised' });
    return this.view;
  }

  /** Stop leading (the visitor's 停下): the goal is canceled at once and it goes back. */
  stopLeading(): RobotStateView {
    if (this.stateValue === 'guiding' || this.stateValue === 'arrived') {
      const t = this.target!;
      this.void();
      this.opts.base.cancel('the visitor stopped the walk');
      if (this.trip?.kind === 'guide') this.endTrip('canceled');
      this.emit('request', { target: t.id, ended: 'apologised' });
      void this.returnToPost();
    }
    return this.view;
  }

  /** The visitor's tap on the follow check's button: the walk goes on. */
  stillFollowing(): RobotStateView {
    if (this.asking && this.stateValue === 'guiding' && this.target) void this.lead(this.target, true);
    return this.view;
  }

  /** After a stop or a fault: back to the post (or the dock when the battery is low). */
  resumeDuty(): RobotStateView {
    if (this.stateValue === 'stopped' || (this.stateValue === 'fault' && this.opts.base.snapshot.link === 'up')) {
      this.reason = null;
      this.linkFault = false;
      void this.returnToPost();
    }
    return this.view;
  }

  close(): void {
    this.void();
    for (const [k, fn] of Object.entries(this.baseListeners)) this.opts.base.off(k as keyof BaseLinkEvents, fn as never);
  }

  // ---------------------------------------------------------------- plans

  /** Voids every plan under way and its timer. */
  private void(): number {
    this.timer?.();
    this.timer = null;
    this.progress = null;
    this.asking = null;
    return ++this.ticket;
  }

  private after(ms: number, t: number, fn: () => void): void {
    this.timer?.();
    this.timer = this.schedule(ms, () => {
      this.timer = null;
      if (t === this.ticket) fn();
    });
  }

  /** A walk, or (`resumed`) the rest of one after the visitor answered the follow check. */
  private async lead(target: GuideTarget, resumed = false): Promise<void> {
    const t = this.void();
    this.opts.base.cancel(resumed ? 'the visitor follows: walking on' : 'a new visitor request');
    this.target = target;
    this.reason = null;
    if (!resumed) this.startTrip('guide', target.id);
    this.set('guiding');
    this.say('follow', resumed ? '好的，请跟我来。' : `请跟我来，我带您去${target.name}。`);
    const check = this.opts.followCheck?.() ?? null;
    if (check) this.after(check.everyMs, t, () => this.askFollowing(target, check.answerMs));
    // Asked while still leaving the dock: get off it first, then lead.
    const docked = this.opts.base.snapshot.battery?.charging ? await this.opts.base.undock() : null;
    if (t !== this.ticket) return;
    const outcome = docked && !docked.ok ? docked : await this.opts.base.navigateTo(target.goal);
    if (t !== this.ticket) return;
    this.progress = null;
    // The follow check is for the way there only.
    this.timer?.();
    this.timer = null;
    if (outcome.ok || outcome.reason !== 'canceled') this.endTrip(tripOutcome(outcome));
    if (outcome.ok) {
      this.set('arrived');
      const waiting = target.kind === 'window' ? await this.opts.waiting?.(target.id).catch(() => null) : null;
      if (t !== this.ticket) return;
      this.say('arrived', `${target.name}到了${waiting != null ? `，现在有${waiting}位在等候` : ''}。请在这里办理。`);
      this.emit('request', { target: target.id, ended: 'arrived' });
      this.after(this.opts.dwellMs ?? 10_000, t, () => void this.returnToPost());
      return;
    }
    if (outcome.reason === 'canceled') return;
    this.emit('request', { target: target.id, ended: 'apologised' });
    if (outcome.reason === 'link-lost') {
      this.fault(outcome.message, true);
      this.say('directions', `抱歉，我暂时不能走动。${target.directions}`);
      return;
    }
    this.say('apology', `抱歉，路被挡住了，我过不去。${target.directions}`);
    void this.returnToPost();
  }

  /** Nobody tapped the follow check in time: the walk ends with an apology and the way. */
  private askFollowing(target: GuideTarget, answerMs: number): void {
    const t = this.void();
    this.opts.base.cancel('checking that the visitor follows');
    this.asking = { until: this.now() + answerMs };
    this.say('follow-check', FOLLOW_QUESTION);
    this.publish();
    this.after(answerMs, t, () => {
      this.asking = null;
      this.endTrip('not-followed');
      this.emit('request', { target: target.id, ended: 'apologised' });
      this.say('apology', `抱歉，您好像没有跟上，我先回去了。${target.directions}`);
      void this.returnToPost();
    });
  }

  private async returnToPost(attempt = 0): Promise<void> {
    const t = this.void();
    this.startTrip('return', null);
    this.set('returning');
    if (this.opts.base.snapshot.battery?.charging) {
      const off = await this.opts.base.undock();
      if (t !== this.ticket) return;
      if (!off.ok) return this.failed(t, off, attempt, () => this.returnToPost(attempt + 1));
    }
    const post = this.post;
    const outcome = post ? await this.opts.base.navigateTo(post) : ({ ok: true } as const);
    if (t !== this.ticket) return;
    this.progress = null;
    if (!outcome.ok) return this.failed(t, outcome, attempt, () => this.returnToPost(attempt + 1));
    this.endTrip('ok');
    this.post ??= this.opts.base.snapshot.pose;
    if (this.lowBattery) return void this.goDock();
    this.set('at-post');
  }

  private async goDock(attempt = 0): Promise<void> {
    const t = this.void();
    this.startTrip('dock', this.opts.dockId);
    this.set('docking');
    const outcome = await this.opts.base.dock(this.opts.dockId);
    if (t !== this.ticket) return;
    this.progress = null;
    if (!outcome.ok) return this.failed(t, outcome, attempt, () => this.goDock(attempt + 1));
    this.endTrip('ok');
    this.set('charging');
    this.checkCharged();
  }

  /** A return or docking that failed: try again a few times, then fault. */
  private failed(t: number, outcome: GoalOutcome & { ok: false }, attempt: number, again: () => Promise<void>): void {
    if (outcome.reason === 'canceled') return;
    this.endTrip(tripOutcome(outcome));
    if (outcome.reason === 'link-lost' || attempt >= 3) return this.fault(outcome.message, outcome.reason === 'link-lost');
    this.after(this.opts.retryMs ?? 5000, t, () => void again());
  }

  private fault(reason: string, link = false): void {
    this.void();
    this.linkFault = link;
    this.reason = reason;
    this.set('fault');
    this.say('fault', `我出了点故障：${reason}`);
  }

  // ---------------------------------------------------------------- base events

  private onLink(state: BaseSnapshot['link'], why: string | null): void {
    if (state === 'down' && !['fault', 'stopped'].includes(this.stateValue) && this.stateValue !== 'guiding') {
      // A running goal ends as link-lost by itself; an idle robot is in fault now.
      if (!this.opts.base.snapshot.goal) this.fault(why ?? 'the link to the base is down', true);
    }
    // Coming back needs the battery first (docked or not): without it, its first report does.
    if (state === 'up' && this.stateValue === 'fault' && this.linkFault && this.opts.base.snapshot.battery) this.recover();
    this.publish();
  }

  private recover(): void {
    this.reason = null;
    this.linkFault = false;
    const b = this.opts.base.snapshot.battery!;
    if (b.charging) {
      this.set('charging');
      this.checkCharged();
    } else void this.returnToPost();
  }

  private onBattery(b: Battery): void {
    if (this.stateValue === 'fault' && this.linkFault && this.opts.base.snapshot.link === 'up') return this.recover();
    if (this.stateValue === 'at-post' && b.percent < this.low) void this.goDock();
    else if (this.stateValue === 'charging') this.checkCharged();
    this.publish();
  }

  private checkCharged(): void {
    const b = this.opts.base.snapshot.battery;
    if (this.stateValue === 'charging' && b && b.percent >= this.resume) void this.returnToPost();
  }

  private onProgress(p: GoalProgress): void {
    if (p.kind !== 'navigate') return;
    const before = this.progress?.recoveries ?? 0;
    this.progress = p;
    if (this.stateValue === 'guiding' && before === 0 && p.recoveries > 0) this.say('make-way', '请让一让，谢谢。');
    this.publish();
  }

  // ---------------------------------------------------------------- history

  /** A new drive; one still open (a walk replaced by another request) ends as canceled. */
  private startTrip(kind: TripKind, target: string | null): void {
    this.endTrip('canceled');
    this.trip = { kind, target, fromMetres: this.odometer, at: this.now() };
  }

  private endTrip(outcome: TripOutcome): void {
    const trip = this.trip;
    if (!trip) return;
    this.trip = null;
    this.emit('trip', { kind: trip.kind, target: trip.target, outcome, metres: round(this.odometer - trip.fromMetres), seconds: Math.round((this.now() - trip.at) / 1000) });
  }

  private measure(pose: Pose2D): void {
    const last = this.lastPose;
    this.lastPose = pose;
    if (!last) return;
    const step = Math.hypot(pose.x - last.x, pose.y - last.y);
    if (step < MAX_STEP_METRES) this.odometer += step;
  }

  // ---------------------------------------------------------------- out

  private set(state: RobotGuideState): void {
    this.stateValue = state;
    if (state !== 'fault' && state !== 'stopped') this.reason = null;
    this.publish();
  }

  private publish(): void {
    this.emit('state', this.view);
  }

  private say(kind: RobotSay['kind'], text: string): void {
    this.emit('say', { kind, text });
  }
}
