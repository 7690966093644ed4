/**
 * The robot's host-side service: answers questions with the understanding engine and
 * leads visitors around the hall.
 *
 *   const robot = new RobotService(store, { schedule, now, dwellSeconds, timeScale, emit });
 *   await robot.ready();                       // the engine's index is built (about a second)
 *   host.register(robot.handlers);             // 'robot.ask' | 'robot.guide' | 'robot.stop' | 'robot.reset' | 'robot.home'
 *   robot.on('robot.guide', (status) => …);    // leading → arrived → returning → docked
 *
 * - store: the ConfigStore; on its 'change' event the engine is rebuilt from the new
 *   configuration (catalogue, FAQ, synonyms, hall map, robot.reranker) and the
 *   conversation is forgotten. Questions asked during a rebuild use the previous engine.
 * - opts.schedule(ms, fn) → cancel: the clock the simulated walk runs on (default
 *   setTimeout); tests pass a manual scheduler. opts.now: the clock for conversation
 *   expiry (robot.contextSeconds). opts.dwellSeconds: pause at the target before going
 *   back (default 10). opts.timeScale: how much faster than robot.speed the simulated
 *   walk runs (default 1). opts.emit: also called with every event, for hosts that do
 *   not use EventEmitter. opts.templates: answer templates (default config/default/answers.json).
 *
 * A guide started while another is under way replaces it (the robot turns to the new
 * target); "停下" / robot.stop sends it back to its dock from where it is.
 */
import { EventEmitter } from 'node:events';
import type { ConfigStore } from '../../config/load.ts';
import type { HallConfig } from '../../config/schema.ts';
import { createEngineFromConfig, type AnswerTemplates, type Engine } from '../../models/language/index.ts';
import { DialogueSession } from '../../models/language/session.ts';
import { fill, joinList, loadTemplates } from '../../models/language/templates.ts';
import { CASE_STATE_EN, CASE_STATE_ZH, type CaseView } from '../../protocol/cases.ts';
import { casesOfSignedIn } from './cases.ts';
import { planRoute, reverseRoute, RouteError, type Route } from '../../models/navigation/route.ts';
import { ApiError } from '../../protocol/ui/errors.ts';
import type { GuideStatus, RobotAnswer, RobotEvents, RobotHome, RobotStateView } from '../../protocol/ui/domains/robot.ts';
import { BaseLink } from '../../drivers/base/link.ts';
import { recordBaseLink } from './fault-log.ts';
import type { Events } from '../../protocol/ui/contract.ts';
import { definePart } from './compose.ts';
import type { KioskQueue } from './queue.ts';
import { Guide, type BasePort, type GuideTarget, type Trip } from './guide.ts';
import { answerRobotCommand } from './robot-commands.ts';
import { ROBOT_COMMAND_EVENT } from '../../protocol/robot-command.ts';

export interface RobotServiceOptions {
  schedule?: (ms: number, fn: () => void) => () => void;
  now?: () => number;
  dwellSeconds?: number;
  timeScale?: number;
  /** Seconds added for a lift ride between floors. */
  liftSeconds?: number;
  emit?: <E extends keyof RobotEvents>(event: E, payload: RobotEvents[E]) => void;
  templates?: AnswerTemplates;
  /** The robot base: guidance drives it instead of the timed walk on the map. */
  base?: BasePort;
  /** Tickets waiting at a window, when the terminal knows. */
  waiting?: (windowId: string) => Promise<number | null>;
  /** Wait before a failed return or docking is tried again (default 5 s). */
  retryMs?: number;
  /** Each drive of the base, for the robot's history (the terminal records it as a transaction). */
  recordTrip?: (trip: Trip) => void;
  /** The signed-in citizen's cases (办件进度), or null when nobody is signed in at this terminal. */
  myCases?: () => Promise<CaseView[] | null>;
}

/** 居住证办理：待领取（B02窗口）: each case's state as the robot says it. */
export function caseProgressAnswer(cases: CaseView[], lang: 'zh' | 'en', templates: AnswerTemplates): string {
  const t = templates[lang];
  if (!cases.length) return t.spoken.caseProgressNone;
  const one = (c: CaseView): string => {
    const name = (lang === 'en' && c.itemNameEn) || c.itemName;
    const state = (lang === 'en' ? CASE_STATE_EN : CASE_STATE_ZH)[c.state];
    const missing = c.state === 'returned' ? (c.timeline[c.timeline.length - 1]?.missing ?? []) : [];
    const more =
      c.state === 'ready' ? (lang === 'en' ? ` (window ${c.windowId})` : `（${c.windowId}窗口领取）`) : missing.length ? (lang === 'en' ? ` (bring ${joinList(missing, t)})` : `（请补交${joinList(missing, t)}）`) : '';
    return `${name}${lang === 'en' ? ': ' : '：'}${state}${more}`;
  };
  return fill(t.spoken.caseProgress, { cases: joinList(cases.map(one), t) });
}


/** Said instead of walking and after a failed walk: the way in words. */
export function directionsTo(config: HallConfig, route: Route): string {
  const floorName = (id: string) => config.hall.floors.find((f) => f.id === id)?.name ?? id;
  const first = route.legs[0];
  const metres = Math.round(first.metres);
  if (route.lift) return `${route.to.name}在${floorName(route.to.floor)}：沿大厅中间通道走约${metres}米到电梯，上到${floorName(route.to.floor)}后再走约${Math.round(route.legs.at(-1)!.metres)}米就到。`;
  return `${route.to.name}在${floorName(route.to.floor)}：从这里沿大厅中间通道走约${metres}米就到。`;
}

/** Where the base drives for a route: the end of its own floor's leg, facing along it. */
export function goalOf(config: HallConfig, route: Route): GuideTarget {
  const pts = route.legs[0].points;
  const end = pts.at(-1)!;
  const prev = pts.length > 1 ? pts.at(-2)! : end;
  return {
    id: route.to.id,
    name: route.to.name,
    kind: route.to.kind,
    floor: route.legs[0].floor,
    goal: { x: end.x, y: end.y, theta: Math.atan2(end.y - prev.y, end.x - prev.x) },
    directions: directionsTo(config, route),
  };
}

/** Put instead of walking when a request to be taken was only heard. */
const OFFER = { zh: '需要我带您过去吗？', en: 'Shall I take you there?' } as const;

interface Walk {
  route: Route;
  status: GuideStatus;
  startedAt: number;
  leadMs: number;
  cancel: () => void;
}

const defaultSchedule = (ms: number, fn: () => void) => {
  const t = setTimeout(fn, ms);
  return () => clearTimeout(t);
};

export class RobotService extends EventEmitter {
  private engine: Engine | null = null;
  private building: Promise<Engine>;
  private session = new DialogueSession();
  private walk: Walk | null = null;
  private config: HallConfig;
  private readonly schedule: (ms: number, fn: () => void) => () => void;
  private readonly now: () => number;
  private readonly templates: AnswerTemplates;
  private readonly onChange = ({ config }: { config: HallConfig }) => this.rebuild(config);
  /** The behaviour on a real base; null when the robot has none (the walk is then timed). */
  readonly guideMachine: Guide | null = null;

  constructor(
    private readonly store: ConfigStore,
    private readonly opts: RobotServiceOptions = {},
  ) {
    super();
    this.schedule = opts.schedule ?? defaultSchedule;
    this.now = opts.now ?? Date.now;
    this.templates = opts.templates ?? loadTemplates();
    this.config = store.config;
    this.building = this.rebuild(store.config);
    store.on('change', this.onChange);
    if (opts.base) {
      const dock = this.config.hall.places.find((p) => p.id === this.config.robot.dock);
      const g = new Guide({
        base: opts.base,
        dockId: this.config.robot.dock,
        floor: dock?.floor ?? this.config.hall.floors[0].id,
        dwellMs: (this.opts.dwellSeconds ?? this.config.robot.dwellSeconds) * 1000 / (this.opts.timeScale ?? 1),
        lowBattery: this.config.robot.battery.low,
        resumeBattery: this.config.robot.battery.resume,
        retryMs: opts.retryMs,
        waiting: opts.waiting,
        followCheck: () => this.followCheck(),
        schedule: opts.schedule,
        now: opts.now,
      });
      g.on('state', (v) => this.onGuideState(v));
      g.on('say', (say) => this.send('robot.say', say));
      if (opts.recordTrip) g.on('trip', opts.recordTrip);
      this.guideMachine = g;
    }
  }

  /** The hall's follow check in the guide's real milliseconds (a faster simulated base shortens it alike). */
  private followCheck(): { everyMs: number; answerMs: number } | null {
    const f = this.store.config.robot.followCheck;
    const scale = this.opts.timeScale ?? 1;
    return f.enabled ? { everyMs: (f.everySeconds * 1000) / scale, answerMs: (f.answerSeconds * 1000) / scale } : null;
  }

    private send<E extends keyof RobotEvents>(event: E, payload: RobotEvents[E]): void {
    this.emit(event, payload);
    this.opts.emit?.(event, payload);
  }

  /** The robot's state; without a base it is at its post or on a timed walk. */
  get robotState(): RobotStateView {
    if (this.guideMachine) return this.guideMachine.view;
    const s = this.walk?.status;
    const state = !s || s.state === 'docked' ? 'at-post' : s.state === 'leading' ? 'guiding' : s.state;
    const target = s && (state === 'guiding' || state === 'arrived') ? { id: s.target, name: s.name } : null;
    return { state, base: false, link: null, target, pose: null, floor: null, distanceRemaining: null, battery: null, charging: false, lowBattery: false, reason: null, followCheck: null };
  }

  /** The base's states drawn as the walk the screen already knows (route on the map). */
  private onGuideState(v: RobotStateView): void {
    this.send('robot.state', v);
    const walk = this.walk;
    if (!walk) return;
    const shown = walk.status.state;
    const status = (state: GuideStatus['state'], route: GuideStatus['route']): GuideStatus => ({ target: walk.status.target, name: walk.status.name, metres: walk.status.metres, state, route, seconds: 0 });
    let next: GuideStatus | null = null;
    if (v.state === 'arrived' && shown !== 'arrived') next = status('arrived', walk.route.legs);
    else if (v.state === 'returning' && shown !== 'returning') next = status('returning', reverseRoute(walk.route));
    else if (['at-post', 'docking', 'charging', 'fault', 'stopped'].includes(v.state) && shown !== 'docked') next = status('docked', []);
    if (!next) return;
    this.publish(next);
    if (next.state === 'docked') this.walk = null;
  }

  /** Resolves once the engine for the current configuration is built. */
  async ready(): Promise<void> {
    await this.building;
  }

  private rebuild(config: HallConfig): Promise<Engine> {
    const p = createEngineFromConfig(config, { now: this.now, templates: this.templates }).then((engine) => {
      // Only the latest configuration wins if rebuilds overlap.
      if (this.building === p) {
        this.engine = engine;
        this.config = config;
        this.session = new DialogueSession();
      }
      return engine;
    });
    this.building = p;
    // A broken reranker path must not leave the robot mute: keep the last engine and report.
    p.catch((err: unknown) => this.emit('engine-error', err));
    return p;
  }

  private async current(): Promise<Engine> {
    return this.engine ?? (await this.building);
  }

  /** The handlers of the robot domain, keyed by method name. */
  readonly handlers = {
    'robot.ask': (input: { text: string; lang?: 'zh' | 'en'; choice?: number }) => this.ask(input),
    'robot.guide': async (input: { target: string; confirmed?: boolean }) => {
      // The contract requires it too; a host calling the handler directly must not skip it.
      if (input.confirmed !== true) throw new ApiError('bad-input', 'the visitor has not said yes: the robot walks only on a confirmed request');
      return this.guide(input.target);
    },
    'robot.stop': async () => this.stop(),
    'robot.estop': async () => this.estop(),
    'robot.resume': async () => this.resume(),
    'robot.following': async () => this.guideMachine?.stillFollowing() ?? this.robotState,
    'robot.reset': async () => {
      this.session = new DialogueSession();
      return { ok: true as const };
    },
    'robot.home': async (input: { lang?: 'zh' | 'en' } = {}) => this.home(input.lang ?? 'zh'),
  };

  /**
   * Answer a question; an answer that leads starts the walk. A spoken question (`spoken`,
   * from the voice pipeline) never starts one by itself: words heard in a busy hall, or a
   * command word spotted in someone else's talk, are not the visitor's yes. It asks
   * 需要我带您过去吗? instead, and walks on the spoken yes to that very offer (or the
   * screen's 带我去 button).
   */
  async ask(input: { text: string; lang?: 'zh' | 'en'; choice?: number }, opts: { spoken?: boolean } = {}): Promise<RobotAnswer> {
    const engine = await this.current();
    const before = this.session.last as RobotAnswer | null;
    const offered = before?.guide && !before.lead ? before.guide.id : null;
    const a = await engine.ask(input.text, this.session, { lang: input.lang, choice: input.choice });
    if (a.intent === 'case.progress') return this.withCases(a, input.lang ?? 'zh');
    if (a.intent === 'stop') this.stop();
    else if (a.lead && a.guide && opts.spoken && a.guide.id !== offered) {
      const offer: RobotAnswer = { ...a, lead: false, answer: `${a.answer.replace(/请跟我来。?$|Please follow me\.?$/, '')}${OFFER[input.lang ?? 'zh']}` };
      // The next turn's 好 / 带我去 is then a yes to this offer.
      this.session.last = { ...(this.session.last as object), lead: false };
      return offer;
    } else if (a.lead && a.guide) {
      try {
        this.guide(a.guide.id);
      } catch (err) {
        if (!(err instanceof ApiError)) throw err;
        return { ...a, lead: false };
      }
    }
    return a;
  }

  /** The engine says how to look a case up; with the citizen signed in here, the robot says how their cases stand. */
  private async withCases(a: RobotAnswer, lang: 'zh' | 'en'): Promise<RobotAnswer> {
    try {
      const cases = (await this.opts.myCases?.()) ?? null;
      return cases ? { ...a, answer: caseProgressAnswer(cases, lang, this.templates) } : a;
    } catch (err) {
      // Cut off from the platform, the how-to still helps.
      this.emit('cases-error', err);
      return a;
    }
  }

    home(lang: 'zh' | 'en'): RobotHome {
    const hall = this.config.hall;
    const dock = hall.places.find((p) => p.id === this.config.robot.dock)!;
    return {
      name: this.config.robot.name,
      hallName: lang === 'en' ? (hall.nameEn ?? hall.name) : hall.name,
      suggestions: this.templates[lang].suggestions,
      dock: { id: dock.id, floor: dock.floor, position: dock.position },
      map: {
        floors: hall.floors.map((f) => ({ id: f.id, name: f.name, width: f.width, height: f.height })),
        zones: hall.zones.map((z) => ({ id: z.id, name: z.name, floor: z.floor, rect: z.rect })),
        windows: hall.windows.map((w) => ({ id: w.id, floor: w.floor, zone: w.zone, position: w.position })),
        places: hall.places.map((p) => ({ id: p.id, name: lang === 'en' ? (p.nameEn ?? p.name) : p.name, kind: p.kind, floor: p.floor, position: p.position })),
      },
      guide: this.walk?.status ?? null,
      robot: this.robotState,
    };
  }

  private speed(): number {
    return this.config.robot.speed * (this.opts.timeScale ?? 1);
  }

  private publish(status: GuideStatus): void {
    if (this.walk) this.walk.status = status;
    this.send('robot.guide', status);
    if (!this.guideMachine) this.send('robot.state', this.robotState);
  }

  /**
   * Start leading to a window or place, on the visitor's yes (the caller has it); returns
   * the 'leading' status. On a base that cannot walk now (battery, fault, stop) it says
   * the way instead and the call fails 'unavailable' with the directions.
   */
  guide(target: string): GuideStatus {
    let route: Route;
    try {
      route = planRoute(this.config.hall, this.config.robot.dock, target);
    } catch (err) {
      if (err instanceof RouteError) throw new ApiError('not-found', err.message);
      throw err;
    }
    if (this.guideMachine) return this.guideOnBase(route);
    this.walk?.cancel();
    const liftMs = route.lift ? (this.opts.liftSeconds ?? 20) * 1000 / (this.opts.timeScale ?? 1) : 0;
    const leadMs = (route.metres / this.speed()) * 1000 + liftMs;
    const dwellMs = ((this.opts.dwellSeconds ?? 10) * 1000) / (this.opts.timeScale ?? 1);
    const base = { target: route.to.id, name: route.to.name, metres: Math.round(route.metres * 10) / 10 };
    const leading: GuideStatus = { ...base, state: 'leading', route: route.legs, seconds: Math.round(leadMs / 100) / 10 };
    const cancels: (() => void)[] = [];
    const walk: Walk = { route, status: leading, startedAt: this.now(), leadMs, cancel: () => cancels.forEach((c) => c()) };
    this.walk = walk;
    this.publish(leading);
    cancels.push(
      this.schedule(leadMs, () => {
        if (this.walk !== walk) return;
        this.publish({ ...base, state: 'arrived', route: route.legs, seconds: Math.round(dwellMs / 100) / 10 });
        cancels.push(this.schedule(dwellMs, () => this.goBack(walk, leadMs)));
      }),
    );
    return leading;
  }

  private goBack(walk: Walk, backMs: number): void {
    if (this.walk !== walk) return;
    const base = { target: walk.status.target, name: walk.status.name, metres: walk.status.metres };
    const route = reverseRoute(walk.route);
    this.publish({ ...base, state: 'returning', route, seconds: Math.round(backMs / 100) / 10 });
    walk.cancel = this.schedule(backMs, () => {
      if (this.walk !== walk) return;
      this.publish({ ...base, state: 'docked', route: [], seconds: 0 });
      this.walk = null;
    });
  }

  private guideOnBase(route: Route): GuideStatus {
    const target = goalOf(this.config, route);
    const base = { target: route.to.id, name: route.to.name, metres: Math.round(route.metres * 10) / 10 };
    const leading: GuideStatus = { ...base, state: 'leading', route: route.legs, seconds: Math.round(route.metres / this.config.robot.speed) };
    const previous = this.walk;
    this.walk = { route, status: leading, startedAt: this.now(), leadMs: 0, cancel: () => undefined };
    const { walking } = this.guideMachine!.request(target, true);
    if (!walking) {
      this.walk = previous;
      throw new ApiError('unavailable', target.directions);
    }
    this.publish(leading);
    return leading;
  }

  /** Emergency stop (the screen's 急停, or the console's with its reason): the goal is canceled at once. */
  estop(why?: string): RobotStateView {
    if (this.guideMachine) return this.guideMachine.estop(why);
    this.stop();
    return this.robotState;
  }

  /** After an emergency stop or a fault: back to the post. */
  resume(): RobotStateView {
    return this.guideMachine?.resumeDuty() ?? this.robotState;
  }

  /** Stop leading: the robot walks back from where it got to. */
  stop(): GuideStatus | null {
    if (this.guideMachine) {
      this.guideMachine.stopLeading();
      return this.walk?.status ?? null;
    }
    const walk = this.walk;
    if (!walk) return null;
    if (walk.status.state === 'returning') return walk.status;
    walk.cancel();
    const back = walk.status.state === 'leading' ? Math.min(walk.leadMs, this.now() - walk.startedAt) : walk.leadMs;
    this.goBack(walk, Math.max(0, back));
    return walk.status;
  }

  /** Stop listening to the configuration and cancel any walk. */
  close(): void {
    this.store.off('change', this.onChange);
    this.walk?.cancel();
    this.walk = null;
    this.guideMachine?.close();
  }
}

/**
 * The robot as a terminal part. Its understanding loads only on a robot: a kiosk has no
 * use for the index, so there it provides no robot. Events go out through the terminal's
 * hub; the service closes with the terminal.
 */
export const robotPart = definePart({
  name: 'robot',
  needs: ['queue', 'central', 'transactions', 'session'],
  provides: ['robot'],
  build: async (rt, deps) => {
    if (rt.kiosk.kind !== 'robot') return { provides: { robot: null } };
    const url = rt.options.robotBaseUrl ?? rt.store.config.robot.baseUrl;
    let base: BaseLink | undefined;
    if (url) {
      base = new BaseLink({ url, transform: rt.store.config.robot.mapTransform });
      base.on('link', (state, reason) => rt.log.info({ state, reason }, 'robot base link'));
      recordBaseLink(base, deps.transactions, rt.log);
      base.start();
      rt.onClose(() => base!.stop());
    }
    const robot = new RobotService(rt.store, {
      emit: (event, payload) => rt.hub.emit(event, payload as Events[typeof event]),
      base,
      waiting: (windowId) => waitingAt(rt.store.config, deps.queue, windowId),
      // Through the outbox like every transaction, so a day offline loses none of the history.
      recordTrip: (trip) => void deps.transactions.append('robot-trip', trip).catch((err: Error) => rt.log.error({ err: err.message, kind: trip.kind }, 'robot trip not recorded')),
      // A robot with a card reader knows the citizen in front of it; one without says how to look a case up.
      myCases: () => casesOfSignedIn(deps.central, deps.session, rt.log),
    });
    robot.on('cases-error', (err: Error) => rt.log.warn({ err: err.message }, 'cases not answered; the robot said how to look them up'));
    robot.on('engine-error', (err: Error) => rt.log.error({ err: err.message }, 'robot engine rebuild failed; the previous one stays'));
    await robot.ready();
    rt.onClose(() => robot.close());
    // Staff stop and resume the robot from the console through the platform.
    const offCommands = deps.central?.answer(ROBOT_COMMAND_EVENT, (raw) => answerRobotCommand(robot, raw, rt.log));
    if (offCommands) rt.onClose(offCommands);
    return { provides: { robot }, handlers: robot.handlers };
  },
});

/** Tickets waiting for a window's queue groups; null when the platform cannot say. */
async function waitingAt(config: HallConfig, queue: KioskQueue, windowId: string): Promise<number | null> {
  const win = config.hall.windows.find((w) => w.id === windowId);
  if (!win) return null;
  const lines = await queue.lineViews().catch(() => null);
  if (!lines) return null;
  return lines.filter((l) => win.groups.includes(l.groupId)).reduce((n, l) => n + l.waiting, 0);
}
