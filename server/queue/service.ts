/**
 * The queue as one platform node runs it: the store, the appointment book and the
 * announcer, wired so every call is announced and every change reaches the displays.
 */
import type { Logger } from 'pino';
import type { Db } from '../db/types.ts';
import type { HallConfig } from '../../config/schema.ts';
import { Announcer, type Player } from './announcer.ts';
import { AppointmentBook } from './appointments.ts';
import { SwitchableClock, type Clock } from './clock.ts';
import { QueueStore, type TicketStatus } from './store.ts';
import { detectTts, type TtsEngine } from '../../models/speech/tts.ts';

export interface QueueServiceOptions {
  db: Db;
  config: () => HallConfig;
  clock?: Clock;
  log?: Logger;
  /** The speech engine; by default the first one found on this machine (espeak-ng). */
  tts?: TtsEngine | null;
  player?: Player;
}

export class QueueService {
  readonly clock: SwitchableClock;
  readonly store: QueueStore;
  readonly appointments: AppointmentBook;
  readonly announcer: Announcer;

  constructor(opts: QueueServiceOptions) {
    this.clock = new SwitchableClock(opts.clock);
    this.store = new QueueStore({ db: opts.db, config: opts.config, clock: this.clock });
    this.appointments = new AppointmentBook(this.store);
    const detected = opts.tts === undefined ? detectTts() : { engine: opts.tts, reason: opts.tts ? undefined : 'no speech engine configured' };
    this.announcer = new Announcer({
      engine: detected.engine,
      engineReason: detected.reason,
      repeat: () => opts.config().queue.announceRepeat,
      player: opts.player,
      log: opts.log,
    });
    this.store.onEvent((ev) => {
      if (ev.type === 'called') this.announcer.announce({ number: ev.call.number, windowId: ev.call.windowId, recall: ev.recall });
    });
  }

  async start(): Promise<void> {
    await this.store.migrate();
  }

  async stop(): Promise<void> {
    await this.announcer.stop();
  }
}

/** A ticket as kiosks and phones see it: no device, no identity. */
export interface PublicTicket {
  id: string;
  number: string;
  groupId: string;
  groupName: string;
  itemCode: string | null;
  priority: boolean;
  state: string;
  windowId: string | null;
  windows: string[];
  ahead: number;
  estimatedWaitMinutes: number;
  issuedAt: string;
  offline: boolean;
  /** Path on the platform where a phone follows the ticket. */
  followPath: string;
}

export function publicTicket(store: QueueStore, s: TicketStatus): PublicTicket {
  const t = s.ticket;
  return {
    id: t.id,
    number: t.number,
    groupId: t.groupId,
    groupName: store.config.hall.groups.find((g) => g.id === t.groupId)?.name ?? t.groupId,
    itemCode: t.itemCode,
    priority: t.cls > 0,
    state: t.state,
    windowId: t.windowId,
    windows: s.windows,
    ahead: s.ahead,
    estimatedWaitMinutes: s.estimatedWaitMinutes,
    issuedAt: new Date(t.issuedAt).toISOString(),
    offline: t.origin === 'offline',
    followPath: `/display/?ticket=${encodeURIComponent(t.id)}`,
  };
}
