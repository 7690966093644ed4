/**
 * The queue as one platform node runs it: the store, the appointment book and the
 * announcer, wired so every call is announced and every change reaches the displays.
 */
import type { Logger } from 'pino';
import type { Db } from '../db/types.ts';
import type { HallConfig } from '../../config/schema.ts';
import { Announcer, type Player, type Voice } from './announcer.ts';
import { HallAnnouncer } from './hall-announcer.ts';
import { AppointmentBook } from './appointments.ts';
import { SwitchableClock, type Clock } from '../../protocol/clock.ts';
import { QueueStore, type TicketStatus } from './store.ts';
import type { PublicTicket } from '../../protocol/queue.ts';
import { detectTts, type TtsEngine } from '../../models/speech/tts.ts';

export interface QueueServiceOptions {
  db: Db;
  config: () => HallConfig;
  clock?: Clock;
  log?: Logger;
  /** The speech engine; by default the first one found on this machine (espeak-ng). */
  tts?: TtsEngine | null;
  player?: Player;
  /** This platform node, named in the hall's shared announcement line (PostgreSQL). */
  nodeId?: string;
}

export class QueueService {
  readonly clock: SwitchableClock;
  readonly store: QueueStore;
  readonly appointments: AppointmentBook;
  readonly announcer: Voice;
  private readonly hallAnnouncer: HallAnnouncer | null;

  constructor(opts: QueueServiceOptions) {
    this.clock = new SwitchableClock(opts.clock);
    this.store = new QueueStore({ db: opts.db, config: opts.config, clock: this.clock });
    this.appointments = new AppointmentBook(this.store);
    const detected = opts.tts === undefined ? detectTts() : { engine: opts.tts, reason: opts.tts ? undefined : 'no speech engine configured' };
    const voice = { engine: detected.engine, engineReason: detected.reason, repeat: () => opts.config().queue.announceRepeat, player: opts.player, log: opts.log };
    // On PostgreSQL other nodes may share the hall, so the line is the database's; SQLite is one node.
    this.hallAnnouncer = opts.db.kind === 'postgres' ? new HallAnnouncer({ ...voice, db: opts.db, nodeId: opts.nodeId ?? 'node' }) : null;
    this.announcer = this.hallAnnouncer ?? new Announcer(voice);
    this.store.onEvent((ev) => {
      if (ev.type === 'called') this.announcer.announce({ number: ev.call.number, windowId: ev.call.windowId, recall: ev.recall });
    });
  }

  async start(): Promise<void> {
    await this.store.migrate();
    await this.hallAnnouncer?.migrate();
  }

  async stop(): Promise<void> {
    await this.announcer.stop();
  }
}

/** A ticket as kiosks and phones see it: no device, no identity. */
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
