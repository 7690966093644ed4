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
import { loadTemplates } from '../../models/language/templates.ts';
import { planRoute, reverseRoute, RouteError, type Route } from '../../models/navigation/route.ts';
import { ApiError } from '../../protocol/ui/errors.ts';
import type { GuideStatus, RobotAnswer, RobotHome } from '../../protocol/ui/domains/robot.ts';
import { definePart } from './compose.ts';

export interface RobotServiceOptions {
  schedule?: (ms: number, fn: () => void) => () => void;
  now?: () => number;
  dwellSeconds?: number;
  timeScale?: number;
  /** Seconds added for a lift ride between floors. */
  liftSeconds?: number;
  emit?: (event: 'robot.guide', payload: GuideStatus) => void;
  templates?: AnswerTemplates;
}

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
    'robot.guide': async (input: { target: string }) => this.guide(input.target),
    'robot.stop': async () => this.stop(),
    'robot.reset': async () => {
      this.session = new DialogueSession();
      return { ok: true as const };
    },
    'robot.home': async (input: { lang?: 'zh' | 'en' } = {}) => this.home(input.lang ?? 'zh'),
  };

  async ask(input: { text: string; lang?: 'zh' | 'en'; choice?: number }): Promise<RobotAnswer> {
    const engine = await this.current();
    const a = await engine.ask(input.text, this.session, { lang: input.lang, choice: input.choice });
    if (a.intent === 'stop') this.stop();
    else if (a.lead && a.guide) {
      try {
        this.guide(a.guide.id);
      } catch (err) {
        if (!(err instanceof ApiError)) throw err;
        return { ...a, lead: false };
      }
    }
    return a;
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
    };
  }

  private speed(): number {
    return this.config.robot.speed * (this.opts.timeScale ?? 1);
  }

  private publish(status: GuideStatus): void {
    if (this.walk) this.walk.status = status;
    this.emit('robot.guide', status);
    this.opts.emit?.('robot.guide', status);
  }

  /** Start leading to a window or place; returns the 'leading' status. */
  guide(target: string): GuideStatus {
    let route: Route;
    try {
      route = planRoute(this.config.hall, this.config.robot.dock, target);
    } catch (err) {
      if (err instanceof RouteError) throw new ApiError('not-found', err.message);
      throw err;
    }
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

  /** Stop leading: the robot walks back from where it got to. */
  stop(): GuideStatus | null {
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
  }
}

/**
 * The robot as a terminal part. Its understanding loads only on a robot: a kiosk has no
 * use for the index, so there it provides no robot. Events go out through the terminal's
 * hub; the service closes with the terminal.
 */
export const robotPart = definePart({
  name: 'robot',
  needs: [],
  provides: ['robot'],
  build: async (rt) => {
    if (rt.kiosk.kind !== 'robot') return { provides: { robot: null } };
    const robot = new RobotService(rt.store, { emit: (event, payload) => rt.hub.emit(event, payload) });
    robot.on('engine-error', (err: Error) => rt.log.error({ err: err.message }, 'robot engine rebuild failed; the previous one stays'));
    await robot.ready();
    rt.onClose(() => robot.close());
    return { provides: { robot }, handlers: robot.handlers };
  },
});
