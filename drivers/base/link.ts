/**
 * The robot base as a device: a rosbridge v2 client (roslib) to ROS 2 Nav2 and
 * opennav_docking. It keeps the link up (reconnecting with backoff), tracks pose and
 * battery, and runs one goal at a time. Every goal ends in an outcome with a reason:
 * arrived, or link-lost / refused / aborted / stuck / timeout / canceled / busy; none hangs.
 * Poses in and out are in the hall's frame; `transform` maps them onto the robot's map.
 */
import { EventEmitter } from 'node:events';
import { Action, Ros, Topic } from 'roslib';
import { Backoff, type BackoffOptions } from '../../common/retry.ts';
import { IDENTITY, hallToMap, mapToHall, type MapTransform } from './frame.ts';
import {
  ActionTypes,
  GoalStatus,
  MessageTypes,
  PowerSupplyStatus,
  pose2D,
  poseStamped,
  seconds,
  type BatteryState,
  type DockRobotFeedback,
  type NavigateToPoseFeedback,
  type Pose2D,
  type PoseWithCovarianceStamped,
} from './messages.ts';

export type LinkState = 'connecting' | 'up' | 'down';
export type GoalKind = 'navigate' | 'dock' | 'undock';
export type FailureReason = 'link-lost' | 'refused' | 'aborted' | 'stuck' | 'timeout' | 'canceled' | 'busy';

export interface Battery {
  /** 0…100. */
  percent: number;
  charging: boolean;
  voltage: number;
}

export interface GoalProgress {
  kind: GoalKind;
  /** Hall frame. */
  pose: Pose2D | null;
  distanceRemaining: number | null;
  recoveries: number;
  navigationSeconds: number;
  etaSeconds: number | null;
  /** opennav_docking's state while docking. */
  dockState?: number;
}

export type GoalOutcome =
  | { ok: true; kind: GoalKind; recoveries: number }
  | { ok: false; kind: GoalKind; reason: FailureReason; message: string; recoveries: number; errorCode?: number };

export interface BaseSnapshot {
  link: LinkState;
  pose: Pose2D | null;
  battery: Battery | null;
  goal: GoalProgress | null;
}

export interface BaseLinkEvents {
  link: [state: LinkState, reason: string | null];
  pose: [pose: Pose2D];
  battery: [battery: Battery];
  progress: [progress: GoalProgress];
  outcome: [outcome: GoalOutcome];
}

export interface BaseLinkOptions {
  url: string;
  transform?: MapTransform;
  /** A goal with no progress this long is canceled as stuck. */
  stuckSeconds?: number;
  /** A goal with no word at all (feedback or result) this long fails as timed out. */
  answerTimeoutMs?: number;
  /** Longest any goal may run. */
  goalTimeoutMs?: number;
  backoff?: BackoffOptions;
  names?: { navigate?: string; dock?: string; undock?: string; battery?: string; pose?: string };
}

/** Less than this along the path since the last check is no progress. */
const PROGRESS_METRES = 0.05;

interface Running {
  kind: GoalKind;
  action: Action<unknown, unknown, unknown>;
  id: string;
  progress: GoalProgress;
  resolve: (o: GoalOutcome) => void;
  timers: NodeJS.Timeout[];
  answerTimer: NodeJS.Timeout | null;
  best: { metres: number; at: number } | null;
}

export class BaseLink extends EventEmitter<BaseLinkEvents> {
  private readonly ros = new Ros({});
  private readonly backoff: Backoff;
  private readonly transform: MapTransform;
  private readonly names: Required<NonNullable<BaseLinkOptions['names']>>;
  private linkState: LinkState = 'down';
  private stopped = true;
  private poseValue: Pose2D | null = null;
  private batteryValue: Battery | null = null;
  private running: Running | null = null;
  private topics: Topic<unknown>[] = [];

  constructor(private readonly options: BaseLinkOptions) {
    super();
    this.transform = options.transform ?? IDENTITY;
    this.backoff = new Backoff(options.backoff ?? { baseMs: 250, maxMs: 8000, jitter: true });
    this.names = {
      navigate: '/navigate_to_pose',
      dock: '/dock_robot',
      undock: '/undock_robot',
      battery: '/battery_state',
      pose: '/amcl_pose',
      ...options.names,
    };
    this.ros.on('connection', () => {
      this.backoff.reset();
      this.setLink('up', null);
    });
    this.ros.on('close', () => this.lost('the rosbridge connection closed'));
    this.ros.on('error', () => undefined);
  }

  get snapshot(): BaseSnapshot {
    return { link: this.linkState, pose: this.poseValue, battery: this.batteryValue, goal: this.running ? { ...this.running.progress } : null };
  }

  /** Connects and keeps connecting until stop(). */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    const pose = new Topic<PoseWithCovarianceStamped>({ ros: this.ros, name: this.names.pose, messageType: MessageTypes.amclPose });
    pose.subscribe((m) => {
      this.poseValue = mapToHall(pose2D(m.pose.pose), this.transform);
      this.emit('pose', this.poseValue);
    });
    const battery = new Topic<BatteryState>({ ros: this.ros, name: this.names.battery, messageType: MessageTypes.battery });
    battery.subscribe((m) => {
      const charging = m.power_supply_status === PowerSupplyStatus.CHARGING || m.power_supply_status === PowerSupplyStatus.FULL;
      this.batteryValue = { percent: Math.round(m.percentage * 1000) / 10, charging, voltage: m.voltage };
      this.emit('battery', this.batteryValue);
    });
    this.topics = [pose as Topic<unknown>, battery as Topic<unknown>];
    this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.backoff.cancel();
    if (this.running) this.end({ ok: false, kind: this.running.kind, reason: 'canceled', message: 'the link was stopped', recoveries: this.running.progress.recoveries }, true);
    for (const t of this.topics) t.unsubscribe();
    this.topics = [];
    this.ros.close();
    this.setLink('down', 'stopped');
  }

  /** Sends the base to a pose in the hall frame. */
  navigateTo(target: Pose2D): Promise<GoalOutcome> {
    const goal = { pose: poseStamped(hallToMap(target, this.transform), Date.now()), behavior_tree: '' };
    return this.run('navigate', this.names.navigate, ActionTypes.navigate, goal);
  }

  dock(dockId: string): Promise<GoalOutcome> {
    const goal = { use_dock_id: true, dock_id: dockId, dock_pose: poseStamped({ x: 0, y: 0, theta: 0 }, Date.now()), dock_type: '', max_staging_time: 1000, navigate_to_staging_pose: true };
    return this.run('dock', this.names.dock, ActionTypes.dock, goal);
  }

  undock(): Promise<GoalOutcome> {
    return this.run('undock', this.names.undock, ActionTypes.undock, { dock_type: '', max_undocking_time: 30 });
  }

  /** Cancels the running goal; its promise resolves as canceled. */
  cancel(message = 'canceled'): void {
    const r = this.running;
    if (r) this.end({ ok: false, kind: r.kind, reason: 'canceled', message, recoveries: r.progress.recoveries }, true);
  }

  private connect(): void {
    if (this.stopped) return;
    this.setLink('connecting', null);
    this.ros.connect(this.options.url).catch((err: Error) => this.lost(`cannot open ${this.options.url}: ${err.message}`));
  }

  private lost(reason: string): void {
    if (this.running) this.end({ ok: false, kind: this.running.kind, reason: 'link-lost', message: reason, recoveries: this.running.progress.recoveries }, false);
    if (this.stopped) return;
    this.setLink('down', reason);
    this.backoff.schedule(() => this.connect());
  }

  private setLink(state: LinkState, reason: string | null): void {
    if (state === this.linkState) return;
    this.linkState = state;
    this.emit('link', state, reason);
  }

  private run(kind: GoalKind, name: string, type: string, goal: unknown): Promise<GoalOutcome> {
    const fail = (reason: FailureReason, message: string) => Promise.resolve<GoalOutcome>({ ok: false, kind, reason, message, recoveries: 0 });
    if (this.linkState !== 'up') return fail('link-lost', 'the robot base is not connected');
    if (this.running) return fail('busy', `a ${this.running.kind} goal is running`);
    const action = new Action<unknown, unknown, unknown>({ ros: this.ros, name, actionType: type });
    const noop = () => undefined;
    // roslib's callbacks flatten the status into a string; the raw frames keep it.
    const id = action.sendGoal(goal, noop, noop, noop);
    if (!id) return fail('refused', 'roslib did not send the goal');
    return new Promise<GoalOutcome>((resolve) => {
      const r: Running = {
        kind,
        action,
        id,
        resolve,
        timers: [],
        answerTimer: null,
        best: null,
        progress: { kind, pose: null, distanceRemaining: null, recoveries: 0, navigationSeconds: 0, etaSeconds: null },
      };
      this.running = r;
      this.ros.on(id, (m) => this.onGoalMessage(r, m as unknown as Record<string, unknown>));
      this.armAnswerTimer(r);
      const goalMs = this.options.goalTimeoutMs ?? 15 * 60_000;
      r.timers.push(setTimeout(() => this.end({ ok: false, kind, reason: 'timeout', message: `the goal ran longer than ${goalMs / 1000} s`, recoveries: r.progress.recoveries }, true), goalMs));
      if (kind === 'navigate') {
        const stuckMs = (this.options.stuckSeconds ?? 20) * 1000;
        const check = setInterval(() => {
          if (r.best && Date.now() - r.best.at >= stuckMs) this.end({ ok: false, kind, reason: 'stuck', message: `no progress for ${stuckMs / 1000} s`, recoveries: r.progress.recoveries }, true);
        }, Math.min(1000, stuckMs / 4));
        r.timers.push(check);
      }
    });
  }

  private armAnswerTimer(r: Running): void {
    if (r.answerTimer) clearTimeout(r.answerTimer);
    const ms = this.options.answerTimeoutMs ?? 5000;
    r.answerTimer = setTimeout(() => this.end({ ok: false, kind: r.kind, reason: 'timeout', message: `the base said nothing for ${ms / 1000} s`, recoveries: r.progress.recoveries }, true), ms);
  }

  private onGoalMessage(r: Running, m: Record<string, unknown>): void {
    if (this.running !== r) return;
    this.armAnswerTimer(r);
    if (m.op === 'action_feedback') {
      this.onFeedback(r, m.values as Record<string, unknown>);
      return;
    }
    if (m.op !== 'action_result') return;
    const status = Number(m.status);
    const values = m.values;
    const recoveries = r.progress.recoveries;
    if (m.result === false) {
      const text = typeof values === 'string' ? values : JSON.stringify(values ?? null);
      this.end({ ok: false, kind: r.kind, reason: /reject/i.test(text) ? 'refused' : 'aborted', message: text, recoveries }, false);
      return;
    }
    const v = (values ?? {}) as { error_code?: number; error_msg?: string; success?: boolean };
    if (status === GoalStatus.SUCCEEDED && v.success !== false) return this.end({ ok: true, kind: r.kind, recoveries }, false);
    const message = v.error_msg || (status === GoalStatus.CANCELED ? 'canceled by the base' : `the base ended the goal with status ${status}, error ${v.error_code ?? 'none'}`);
    this.end({ ok: false, kind: r.kind, reason: status === GoalStatus.CANCELED ? 'canceled' : 'aborted', message, recoveries, errorCode: v.error_code }, false);
  }

  private onFeedback(r: Running, values: Record<string, unknown>): void {
    if (r.kind === 'navigate') {
      const f = values as unknown as NavigateToPoseFeedback;
      r.progress = {
        kind: r.kind,
        pose: mapToHall(pose2D(f.current_pose.pose), this.transform),
        distanceRemaining: f.distance_remaining,
        recoveries: f.number_of_recoveries,
        navigationSeconds: seconds(f.navigation_time),
        etaSeconds: seconds(f.estimated_time_remaining),
      };
    } else {
      const f = values as unknown as DockRobotFeedback;
      r.progress = { ...r.progress, dockState: f.state, recoveries: f.num_retries, navigationSeconds: seconds(f.docking_time), pose: this.poseValue };
    }
    const metres = r.progress.distanceRemaining;
    if (r.kind === 'navigate' && metres !== null && (!r.best || metres < r.best.metres - PROGRESS_METRES)) r.best = { metres, at: Date.now() };
    this.emit('progress', { ...r.progress });
  }

  /** Ends the running goal once; `cancelOnBase` also tells the base to stop. */
  private end(outcome: GoalOutcome, cancelOnBase: boolean): void {
    const r = this.running;
    if (!r) return;
    this.running = null;
    for (const t of r.timers) clearTimeout(t);
    if (r.answerTimer) clearTimeout(r.answerTimer);
    this.ros.removeAllListeners(r.id);
    if (cancelOnBase && this.ros.isConnected) r.action.cancelGoal(r.id);
    r.resolve(outcome);
    this.emit('outcome', outcome);
  }
}
