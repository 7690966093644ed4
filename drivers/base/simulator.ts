/**
 * A simulated robot base behind a rosbridge v2 endpoint: a stock roslib client connects
 * to it as it would to rosbridge_server on a ROS 2 robot running Nav2 and opennav_docking.
 * The base drives a differential-drive model along the path `plan` gives (the hall's
 * aisles), publishes /amcl_pose and /cmd_vel at 10 Hz and /battery_state at 1 Hz, and
 * runs navigate_to_pose, dock_robot and undock_robot goals. Its control endpoint, on the
 * same port under /sim/base/, blocks the aisle, stalls the wheels, drops the link, fails
 * docking and sets the battery. `timeScale` runs simulated time faster than the clock.
 */
import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { z } from 'zod';
import { normalizeAngle } from './frame.ts';
import {
  ActionTypes,
  DockErrorCode,
  DockState,
  GoalStatus,
  MessageTypes,
  NavErrorCode,
  PowerSupplyStatus,
  pose2D,
  poseStamped,
  timeFromMs,
  type BatteryState,
  type Pose2D,
  type RosPose,
} from './messages.ts';
import { DEFAULT_LIMITS, PathFollower, distance, type DriveState, type MotionLimits, type Point } from './motion.ts';
import { RosbridgeProtocolError, parseClientOp, resolveName, sameType, type ClientOp } from './rosbridge.ts';

export interface BaseSimulatorOptions {
  port?: number;
  host?: string;
  /** Simulated seconds per real second. */
  timeScale?: number;
  start?: Pose2D;
  /** Starts on its dock (at `start`), charging; goals are refused until it undocks. */
  docked?: boolean;
  /** Dock id → the pose the base holds when docked (facing the dock). */
  docks?: Record<string, Pose2D>;
  /** Waypoints from one map point to another; a straight line when absent. */
  plan?: (from: Point, to: Point) => Point[];
  /** Goals outside this rectangle are aborted as outside the map. */
  bounds?: { minX: number; minY: number; maxX: number; maxY: number };
  limits?: MotionLimits;
  battery?: { percent?: number; drainMovingPerHour?: number; drainIdlePerHour?: number; chargePerHour?: number };
  /** Simulated seconds a blocked base waits before each recovery. */
  recoverySeconds?: number;
  /** Recoveries before the navigator gives up. */
  maxRecoveries?: number;
}

export interface BaseSimulatorEvents {
  goal: [action: string, args: unknown];
}

const TICK_SIM_MS = 100;
const STAGING_METRES = 0.7;
const DOCK_RETRIES = 3;
const TOPIC_TYPES: Record<string, string> = { '/amcl_pose': MessageTypes.amclPose, '/cmd_vel': MessageTypes.cmdVel, '/battery_state': MessageTypes.battery };
const ACTIONS: Record<string, string> = { '/navigate_to_pose': ActionTypes.navigate, '/dock_robot': ActionTypes.dock, '/undock_robot': ActionTypes.undock };

const PoseArgs = z.object({
  header: z.object({ frame_id: z.string() }).loose(),
  pose: z.object({
    position: z.object({ x: z.number(), y: z.number(), z: z.number().default(0) }),
    orientation: z.object({ x: z.number().default(0), y: z.number().default(0), z: z.number().default(0), w: z.number().default(1) }),
  }),
});
const NavArgs = z.object({ pose: PoseArgs, behavior_tree: z.string().default('') }).loose();
const DockArgs = z.object({ use_dock_id: z.boolean().default(true), dock_id: z.string().default(''), dock_pose: PoseArgs.optional(), navigate_to_staging_pose: z.boolean().default(true) }).loose();

interface Client {
  ws: WebSocket;
  subs: Set<string>;
  adverts: Map<string, string>;
}

interface Goal {
  client: Client;
  id: string;
  action: string;
  kind: 'navigate' | 'dock' | 'undock';
  startSimMs: number;
  follower: PathFollower | null;
  recoveries: number;
  heldSinceMs: number | null;
  dockState: number;
  dockRetries: number;
  phaseUntilMs: number;
  dockPose?: Pose2D;
  reverseFrom?: Point;
}

const Control = {
  aisle: z.object({ blocked: z.boolean() }).strict(),
  stall: z.object({ stalled: z.boolean() }).strict(),
  drop: z.object({ refuseMs: z.number().int().min(0).max(600_000) }).strict(),
  dock: z.object({ fail: z.boolean() }).strict(),
  battery: z.object({ percent: z.number().min(0).max(100) }).strict(),
};

export class BaseSimulator extends EventEmitter<BaseSimulatorEvents> {
  private readonly opts: Required<Omit<BaseSimulatorOptions, 'bounds' | 'plan' | 'battery' | 'docked'>> & Pick<BaseSimulatorOptions, 'bounds' | 'plan'>;
  private server: Server | null = null;
  private wss: WebSocketServer | null = null;
  private timer: NodeJS.Timeout | null = null;
  private readonly clients = new Set<Client>();
  private drive: DriveState;
  private simMs = Date.now();
  private ticks = 0;
  private goal: Goal | null = null;
  private percent: number;
  private readonly rates: { moving: number; idle: number; charge: number };
  private docked = false;
  blocked = false;
  stalled = false;
  failDocking = false;
  private refuseUntil = 0;

  constructor(options: BaseSimulatorOptions = {}) {
    super();
    this.opts = {
      port: options.port ?? 0,
      host: options.host ?? '127.0.0.1',
      timeScale: options.timeScale ?? 1,
      start: options.start ?? { x: 0, y: 0, theta: 0 },
      docks: options.docks ?? {},
      limits: options.limits ?? DEFAULT_LIMITS,
      recoverySeconds: options.recoverySeconds ?? 4,
      maxRecoveries: options.maxRecoveries ?? 3,
      bounds: options.bounds,
      plan: options.plan,
    };
    if (!(this.opts.timeScale > 0)) throw new Error('timeScale must be positive');
    this.drive = { pose: { ...this.opts.start }, v: 0, w: 0 };
    this.percent = options.battery?.percent ?? 100;
    this.docked = options.docked ?? false;
    this.rates = { moving: options.battery?.drainMovingPerHour ?? 12, idle: options.battery?.drainIdlePerHour ?? 2, charge: options.battery?.chargePerHour ?? 50 };
  }

  /** Listens; the rosbridge URL is ws://host:port and the controls are under /sim/base/. */
  async start(): Promise<{ url: string; controlUrl: string; port: number }> {
    const server = createServer((req, res) => void this.control(req, res));
    const wss = new WebSocketServer({ noServer: true });
    server.on('upgrade', (req, socket, head) => {
      if (Date.now() < this.refuseUntil) {
        socket.end('HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.opts.port, this.opts.host, () => resolve());
    });
    this.server = server;
    this.wss = wss;
    const tickMs = Math.max(1, TICK_SIM_MS / this.opts.timeScale);
    this.timer = setInterval(() => this.tick(), tickMs);
    const port = (server.address() as AddressInfo).port;
    return { url: `ws://${this.opts.host}:${port}`, controlUrl: `http://${this.opts.host}:${port}/sim/base`, port };
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    for (const c of this.clients) c.ws.terminate();
    this.clients.clear();
    this.wss?.close();
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  // ------------------------------------------------------------ controls

  /** Closes every connection and refuses new ones for `refuseMs` of real time. */
  dropLink(refuseMs: number): void {
    this.refuseUntil = Date.now() + refuseMs;
    for (const c of [...this.clients]) c.ws.terminate();
  }

  setBattery(percent: number): void {
    this.percent = Math.min(100, Math.max(0, percent));
    this.publishBattery();
  }

  get state() {
    const g = this.goal;
    return {
      pose: { ...this.drive.pose },
      speed: this.drive.v,
      battery: Math.round(this.percent * 100) / 100,
      docked: this.docked,
      goal: g ? { action: g.action, recoveries: g.recoveries, dockState: g.dockState } : null,
      blocked: this.blocked,
      stalled: this.stalled,
      failDocking: this.failDocking,
      clients: this.clients.size,
      linkRefused: Date.now() < this.refuseUntil,
    };
  }

  private async control(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const send = (code: number, body: unknown) => {
      res.writeHead(code, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const addr = req.socket.remoteAddress ?? '';
    if (!['127.0.0.1', '::1', '::ffff:127.0.0.1'].includes(addr)) return send(403, { error: { code: 'forbidden', message: 'the simulator answers only on this machine' } });
    const path = (req.url ?? '').split('?')[0];
    if (req.method === 'GET' && path === '/sim/base/state') return send(200, this.state);
    if (req.method !== 'POST') return send(404, { error: { code: 'not-found', message: `no ${req.method} ${path}` } });
    let raw = '';
    for await (const chunk of req) raw += chunk;
    let body: unknown;
    try {
      body = raw ? JSON.parse(raw) : {};
    } catch {
      return send(400, { error: { code: 'bad-input', message: 'the body is not JSON' } });
    }
    const parse = <T>(schema: z.ZodType<T>): T | null => {
      const r = schema.safeParse(body);
      if (r.success) return r.data;
      send(400, { error: { code: 'bad-input', message: r.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ') } });
      return null;
    };
    switch (path) {
      case '/sim/base/aisle': {
        const b = parse(Control.aisle);
        if (b) this.blocked = b.blocked;
        break;
      }
      case '/sim/base/stall': {
        const b = parse(Control.stall);
        if (b) this.stalled = b.stalled;
        break;
      }
      case '/sim/base/link/drop': {
        const b = parse(Control.drop);
        if (b) this.dropLink(b.refuseMs);
        break;
      }
      case '/sim/base/dock': {
        const b = parse(Control.dock);
        if (b) this.failDocking = b.fail;
        break;
      }
      case '/sim/base/battery': {
        const b = parse(Control.battery);
        if (b) this.setBattery(b.percent);
        break;
      }
      default:
        return send(404, { error: { code: 'not-found', message: `no control ${path}` } });
    }
    if (!res.headersSent) send(200, this.state);
  }

  // ------------------------------------------------------------ rosbridge

  private accept(ws: WebSocket): void {
    const client: Client = { ws, subs: new Set(), adverts: new Map() };
    this.clients.add(client);
    ws.on('message', (data, isBinary) => {
      if (isBinary) return this.status(client, 'error', 'Binary frames (CBOR, BSON) are not supported by this endpoint; send JSON text');
      this.handle(client, data.toString());
    });
    ws.on('close', () => {
      this.clients.delete(client);
      // A client that vanished cannot watch its robot: its goal stops, the safe way.
      if (this.goal?.client === client) this.finish(GoalStatus.CANCELED, this.resultFor(this.goal, 0, 'client disconnected'));
    });
    ws.on('error', () => undefined);
  }

  private send(client: Client, message: object): void {
    if (client.ws.readyState === client.ws.OPEN) client.ws.send(JSON.stringify(message));
  }

  private status(client: Client, level: 'error' | 'warning' | 'info', msg: string, id?: string): void {
    this.send(client, id === undefined ? { op: 'status', level, msg } : { op: 'status', level, msg, id });
  }

  private handle(client: Client, text: string): void {
    let op: ClientOp;
    try {
      op = parseClientOp(text);
    } catch (err) {
      if (err instanceof RosbridgeProtocolError) return this.status(client, 'error', err.message, err.opId);
      throw err;
    }
    switch (op.op) {
      case 'subscribe': {
        const topic = resolveName(op.topic);
        const known = TOPIC_TYPES[topic] ?? this.advertisedType(topic);
        if (!known && !op.type) return this.status(client, 'error', `Cannot infer topic type for topic ${topic} as it is not yet advertised`, op.id);
        if (known && op.type && !sameType(known, op.type)) return this.status(client, 'error', `${topic} already established with type ${known}, not ${op.type}`, op.id);
        client.subs.add(topic);
        // amcl_pose and battery are latched on a real robot: a new subscriber hears the last value.
        if (topic === '/amcl_pose') this.send(client, { op: 'publish', topic, msg: this.amclPose() });
        if (topic === '/battery_state') this.send(client, { op: 'publish', topic, msg: this.battery() });
        return;
      }
      case 'unsubscribe':
        client.subs.delete(resolveName(op.topic));
        return;
      case 'advertise': {
        const topic = resolveName(op.topic);
        const known = TOPIC_TYPES[topic] ?? this.advertisedType(topic);
        if (known && !sameType(known, op.type)) return this.status(client, 'error', `${topic} already established with type ${known}, not ${op.type}`, op.id);
        client.adverts.set(topic, op.type);
        return;
      }
      case 'unadvertise':
        client.adverts.delete(resolveName(op.topic));
        return;
      case 'publish': {
        const topic = resolveName(op.topic);
        if (!client.adverts.has(topic) && !TOPIC_TYPES[topic]) return this.status(client, 'error', `Cannot infer topic type for topic ${topic} as it is not yet advertised`, op.id);
        if (topic === '/initialpose') this.initialPose(op.msg);
        this.broadcast(topic, op.msg);
        return;
      }
      case 'call_service':
        return this.callService(client, op);
      case 'send_action_goal':
        return this.sendGoal(client, op);
      case 'cancel_action_goal': {
        const g = this.goal;
        if (g && g.client === client && g.id === op.id) this.finish(GoalStatus.CANCELED, this.resultFor(g, 0, 'canceled'));
        return;
      }
      case 'set_level':
        return;
    }
  }

  private advertisedType(topic: string): string | undefined {
    for (const c of this.clients) {
      const t = c.adverts.get(topic);
      if (t) return t;
    }
    return undefined;
  }

  private broadcast(topic: string, msg: unknown): void {
    for (const c of this.clients) if (c.subs.has(topic)) this.send(c, { op: 'publish', topic, msg });
  }

  private callService(client: Client, op: Extract<ClientOp, { op: 'call_service' }>): void {
    const service = resolveName(op.service);
    const answer = (values: unknown, result = true) => this.send(client, { op: 'service_response', id: op.id, service: op.service, values, result });
    if (service === '/rosapi/topics') {
      const topics = { ...TOPIC_TYPES };
      for (const c of this.clients) for (const [t, ty] of c.adverts) topics[t] = ty;
      return answer({ topics: Object.keys(topics), types: Object.values(topics) });
    }
    if (service === '/rosapi/action_servers') return answer({ action_servers: Object.keys(ACTIONS) });
    const cancel = /^(.*)\/_action\/cancel_goal$/.exec(service);
    if (cancel && ACTIONS[cancel[1]]) {
      const g = this.goal;
      const canceling = g && g.action === cancel[1] ? [{ goal_id: { uuid: [] }, stamp: timeFromMs(this.simMs) }] : [];
      if (g && g.action === cancel[1]) this.finish(GoalStatus.CANCELED, this.resultFor(g, 0, 'canceled'));
      return answer({ return_code: 0, goals_canceling: canceling });
    }
    answer(`Service ${service} does not exist`, false);
  }

  private reject(client: Client, id: string, action: string, why: string): void {
    // rosbridge reports a refused goal as a failed action_result carrying the reason.
    this.send(client, { op: 'action_result', id, action, status: GoalStatus.UNKNOWN, values: `Goal was rejected: ${why}`, result: false });
  }

  private sendGoal(client: Client, op: Extract<ClientOp, { op: 'send_action_goal' }>): void {
    const action = resolveName(op.action);
    const type = ACTIONS[action];
    if (!type) return this.reject(client, op.id, op.action, `no action server ${action}`);
    if (!sameType(type, op.action_type)) return this.reject(client, op.id, op.action, `${action} is ${type}, not ${op.action_type}`);
    this.emit('goal', action, op.args);
    const base = { client, id: op.id, action: op.action, startSimMs: this.simMs, follower: null, recoveries: 0, heldSinceMs: null, dockState: DockState.NONE, dockRetries: 0, phaseUntilMs: 0 };
    if (type === ActionTypes.navigate) {
      const args = NavArgs.safeParse(op.args ?? {});
      if (!args.success) return this.reject(client, op.id, op.action, `bad goal: ${args.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
      const target = args.data.pose;
      if (target.header.frame_id !== 'map') return this.reject(client, op.id, op.action, `frame '${target.header.frame_id}' is not the map frame`);
      if (this.docked) return this.reject(client, op.id, op.action, 'the robot is on its dock; undock first');
      if (this.percent <= 0) return this.reject(client, op.id, op.action, 'battery empty');
      this.preempt();
      const goalPose = pose2D(target.pose as RosPose);
      this.goal = { ...base, kind: 'navigate' };
      const b = this.opts.bounds;
      if (b && (goalPose.x < b.minX || goalPose.x > b.maxX || goalPose.y < b.minY || goalPose.y > b.maxY)) {
        return this.finish(GoalStatus.ABORTED, { error_code: NavErrorCode.PLANNER_GOAL_OUTSIDE_MAP, error_msg: `goal (${goalPose.x}, ${goalPose.y}) is outside the map` });
      }
      this.goal.follower = new PathFollower(this.path(goalPose), goalPose.theta, this.opts.limits);
      return;
    }
    if (type === ActionTypes.dock) {
      const args = DockArgs.safeParse(op.args ?? {});
      if (!args.success) return this.reject(client, op.id, op.action, `bad goal: ${args.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
      this.preempt();
      const dock = args.data.use_dock_id ? this.opts.docks[args.data.dock_id] : args.data.dock_pose ? pose2D(args.data.dock_pose.pose as RosPose) : undefined;
      this.goal = { ...base, kind: 'dock', dockPose: dock };
      if (!dock) return this.finish(GoalStatus.ABORTED, { success: false, error_code: DockErrorCode.DOCK_NOT_IN_DB, num_retries: 0 });
      if (this.docked) return this.finish(GoalStatus.SUCCEEDED, { success: true, error_code: DockErrorCode.NONE, num_retries: 0 });
      const staging = this.staging(dock);
      this.goal.dockState = DockState.NAV_TO_STAGING_POSE;
      this.goal.follower = new PathFollower(this.path(staging), staging.theta, this.opts.limits);
      return;
    }
    this.preempt();
    this.goal = { ...base, kind: 'undock', reverseFrom: { x: this.drive.pose.x, y: this.drive.pose.y } };
    if (!this.docked) return this.finish(GoalStatus.ABORTED, { success: false, error_code: DockErrorCode.DOCK_NOT_VALID });
    this.docked = false;
  }

  /** Nav2 aborts the running goal when a new one arrives. */
  private preempt(): void {
    const g = this.goal;
    if (g) this.finish(GoalStatus.ABORTED, this.resultFor(g, NavErrorCode.UNKNOWN, 'preempted by a new goal'));
  }

  private resultFor(g: Goal, code: number, msg: string): object {
    if (g.kind === 'navigate') return { error_code: code, error_msg: msg };
    if (g.kind === 'dock') return { success: false, error_code: code, num_retries: g.dockRetries };
    return { success: false, error_code: code };
  }

  private finish(status: number, values: object): void {
    const g = this.goal;
    if (!g) return;
    this.goal = null;
    this.send(g.client, { op: 'action_result', id: g.id, action: g.action, status, values, result: true });
  }

  private path(to: Point): Point[] {
    const from = { x: this.drive.pose.x, y: this.drive.pose.y };
    const points = this.opts.plan ? this.opts.plan(from, to) : [from, to];
    const last = points[points.length - 1];
    return last && distance(last, to) < 1e-6 ? points : [...points, to];
  }

  private staging(dock: Pose2D): Pose2D {
    return { x: dock.x - STAGING_METRES * Math.cos(dock.theta), y: dock.y - STAGING_METRES * Math.sin(dock.theta), theta: dock.theta };
  }

  private initialPose(msg: Record<string, unknown>): void {
    const parsed = z.object({ pose: z.object({ pose: PoseArgs.shape.pose }) }).safeParse(msg);
    if (parsed.success && !this.goal) this.drive = { pose: pose2D(parsed.data.pose.pose as RosPose), v: 0, w: 0 };
  }

  // ------------------------------------------------------------ time

  private tick(): void {
    const dt = TICK_SIM_MS / 1000;
    this.simMs += TICK_SIM_MS;
    this.ticks++;
    const g = this.goal;
    if (g?.kind === 'navigate') this.stepNavigate(g, dt);
    else if (g?.kind === 'dock') this.stepDock(g, dt);
    else if (g?.kind === 'undock') this.stepUndock(g, dt);
    else this.brake(dt);
    const moving = Math.abs(this.drive.v) > 1e-3 || Math.abs(this.drive.w) > 1e-3;
    const perHour = this.docked ? this.rates.charge : -(moving ? this.rates.moving : this.rates.idle);
    this.percent = Math.min(100, Math.max(0, this.percent + (perHour * dt) / 3600));
    this.broadcast('/amcl_pose', this.amclPose());
    if (moving || g) this.broadcast('/cmd_vel', { linear: { x: this.drive.v, y: 0, z: 0 }, angular: { x: 0, y: 0, z: this.drive.w } });
    if (this.ticks % 10 === 0) this.publishBattery();
  }

  private brake(dt: number): void {
    const { maxAccel, maxTurnAccel } = this.opts.limits;
    const v = Math.abs(this.drive.v) <= maxAccel * dt ? 0 : this.drive.v - Math.sign(this.drive.v) * maxAccel * dt;
    const w = Math.abs(this.drive.w) <= maxTurnAccel * dt ? 0 : this.drive.w - Math.sign(this.drive.w) * maxTurnAccel * dt;
    const p = this.drive.pose;
    this.drive = { pose: { x: p.x + v * Math.cos(p.theta) * dt, y: p.y + v * Math.sin(p.theta) * dt, theta: normalizeAngle(p.theta + w * dt) }, v, w };
  }

  /** Drives the goal's path; returns true when the path is done. */
  private follow(g: Goal, dt: number, canBlock: boolean): boolean {
    const hold = this.stalled || (canBlock && this.blocked);
    this.drive = g.follower!.step(this.drive, dt, hold);
    return g.follower!.done;
  }

  private stepNavigate(g: Goal, dt: number): void {
    const arrived = this.follow(g, dt, true);
    if (this.blocked && !this.stalled) {
      g.heldSinceMs ??= this.simMs;
      if (this.simMs - g.heldSinceMs >= this.opts.recoverySeconds * 1000) {
        g.heldSinceMs = this.simMs;
        if (g.recoveries >= this.opts.maxRecoveries) {
          return this.finish(GoalStatus.ABORTED, { error_code: NavErrorCode.CONTROLLER_FAILED_TO_MAKE_PROGRESS, error_msg: `Failed to make progress: path blocked after ${g.recoveries} recoveries` });
        }
        g.recoveries++;
      }
    } else g.heldSinceMs = null;
    const remaining = g.follower!.remaining(this.drive.pose);
    if (g.client.ws.readyState === g.client.ws.OPEN) {
      this.send(g.client, {
        op: 'action_feedback',
        id: g.id,
        action: g.action,
        values: {
          current_pose: poseStamped(this.drive.pose, this.simMs),
          navigation_time: timeFromMs(this.simMs - g.startSimMs),
          estimated_time_remaining: timeFromMs((remaining / this.opts.limits.maxSpeed) * 1000),
          number_of_recoveries: g.recoveries,
          distance_remaining: remaining,
        },
      });
    }
    if (arrived) this.finish(GoalStatus.SUCCEEDED, { error_code: NavErrorCode.NONE, error_msg: '' });
  }

  private stepDock(g: Goal, dt: number): void {
    const dock = g.dockPose!;
    switch (g.dockState) {
      case DockState.NAV_TO_STAGING_POSE:
        if (this.follow(g, dt, true)) {
          g.dockState = DockState.INITIAL_PERCEPTION;
          g.phaseUntilMs = this.simMs + 1000;
        }
        break;
      case DockState.INITIAL_PERCEPTION:
      case DockState.RETRY:
        this.brake(dt);
        if (this.simMs < g.phaseUntilMs) break;
        if (this.failDocking) {
          if (g.dockRetries >= DOCK_RETRIES) return this.finish(GoalStatus.ABORTED, { success: false, error_code: DockErrorCode.FAILED_TO_DETECT_DOCK, num_retries: g.dockRetries });
          g.dockRetries++;
          g.dockState = DockState.RETRY;
          g.phaseUntilMs = this.simMs + 1000;
          break;
        }
        g.dockState = DockState.CONTROLLING;
        g.follower = new PathFollower([dock], dock.theta, { ...this.opts.limits, maxSpeed: 0.15 });
        break;
      case DockState.CONTROLLING:
        if (this.follow(g, dt, false)) {
          this.docked = true;
          g.dockState = DockState.WAIT_FOR_CHARGE;
          g.phaseUntilMs = this.simMs + 500;
        }
        break;
      case DockState.WAIT_FOR_CHARGE:
        if (this.simMs >= g.phaseUntilMs) return this.finish(GoalStatus.SUCCEEDED, { success: true, error_code: DockErrorCode.NONE, num_retries: g.dockRetries });
        break;
    }
    this.send(g.client, { op: 'action_feedback', id: g.id, action: g.action, values: { state: g.dockState, docking_time: timeFromMs(this.simMs - g.startSimMs), num_retries: g.dockRetries } });
  }

  /** Backs straight off the dock to the staging distance. */
  private stepUndock(g: Goal, dt: number): void {
    const { maxAccel } = this.opts.limits;
    const backed = distance(this.drive.pose, g.reverseFrom!);
    const stopping = Math.sqrt(2 * maxAccel * Math.max(0, STAGING_METRES - backed));
    const wanted = -Math.min(0.15, stopping);
    const v = this.drive.v + Math.max(-maxAccel * dt, Math.min(maxAccel * dt, wanted - this.drive.v));
    const p = this.drive.pose;
    this.drive = { pose: { x: p.x + v * Math.cos(p.theta) * dt, y: p.y + v * Math.sin(p.theta) * dt, theta: p.theta }, v, w: 0 };
    if (backed >= STAGING_METRES - 0.02) {
      this.drive = { ...this.drive, v: 0 };
      this.finish(GoalStatus.SUCCEEDED, { success: true, error_code: DockErrorCode.NONE });
    }
  }

  // ------------------------------------------------------------ messages

  private amclPose() {
    const ps = poseStamped(this.drive.pose, this.simMs);
    const covariance = new Array<number>(36).fill(0);
    covariance[0] = covariance[7] = 0.0025;
    covariance[35] = 0.0007;
    return { header: ps.header, pose: { pose: ps.pose, covariance } };
  }

  private battery(): BatteryState {
    const full = this.percent >= 99.95;
    return {
      header: { stamp: timeFromMs(this.simMs), frame_id: 'base_link' },
      voltage: 22 + 0.032 * this.percent,
      temperature: 28,
      current: this.docked ? (full ? 0 : 5) : Math.abs(this.drive.v) > 1e-3 ? -3.5 : -0.8,
      charge: (40 * this.percent) / 100,
      capacity: 40,
      design_capacity: 40,
      percentage: this.percent / 100,
      power_supply_status: this.docked ? (full ? PowerSupplyStatus.FULL : PowerSupplyStatus.CHARGING) : PowerSupplyStatus.DISCHARGING,
      power_supply_health: 1,
      power_supply_technology: 2,
      present: true,
      cell_voltage: [],
      cell_temperature: [],
      location: 'base',
      serial_number: '',
    };
  }

  private publishBattery(): void {
    this.broadcast('/battery_state', this.battery());
  }
}
