/**
 * The hall's voice: "请A001号到B01窗口办理", each call spoken in turn. Announcements wait
 * in a line so a new call never cuts off the one being spoken; each is repeated as the
 * hall configures. Audio is kept for the most recent ones so the call display can play
 * the same words through its own speakers.
 */
import { EventEmitter } from 'node:events';
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { speechOf, wavDurationMs, type TtsEngine } from '../../models/speech/tts.ts';
import type { Announcement, AnnouncementState, AnnouncerState } from '../../protocol/queue-views.ts';

/**
 * What the queue needs of the hall's voice: this node's Announcer on one node, the
 * database-backed HallAnnouncer when several nodes share PostgreSQL.
 */
export interface Voice extends EventEmitter {
  announce(call: { number: string; windowId: string; recall?: boolean }): Announcement;
  state(): AnnouncerState | Promise<AnnouncerState>;
  audio(id: string): Buffer | undefined | Promise<Buffer | undefined>;
  idle(): Promise<void>;
  stop(): Promise<void>;
}

/** Plays WAV audio `repeat` times and resolves when done. */
export type Player = (wav: Buffer, repeat: number, durationMs: number) => Promise<void>;

export const REPEAT_GAP_MS = 800;

/**
 * Holds the line for as long as the hall's speaker would be busy. The platform itself
 * usually has no speaker (the display plays the audio); `rate` > 1 speeds a simulated day.
 */
export function timedPlayer(rate = 1): Player {
  return (_wav, repeat, durationMs) => new Promise((r) => setTimeout(r, Math.max(0, (durationMs * repeat + REPEAT_GAP_MS * (repeat - 1)) / rate)));
}

export interface AnnouncerOptions {
  engine: TtsEngine | null;
  /** Why there is no engine, for announcements skipped because of it. */
  engineReason?: string;
  repeat: () => number;
  player?: Player;
  /** How many finished announcements (and their audio) to keep. */
  keep?: number;
  log?: Logger;
}

export class Announcer extends EventEmitter implements Voice {
  private line: Announcement[] = [];
  private speaking: Announcement | null = null;
  private recent: Announcement[] = [];
  private audioById = new Map<string, Buffer>();
  private running: Promise<void> | null = null;
  private stopped = false;
  private readonly player: Player;
  private readonly keep: number;

  constructor(private readonly opts: AnnouncerOptions) {
    super();
    this.player = opts.player ?? timedPlayer();
    this.keep = opts.keep ?? 20;
  }

  static sentence(number: string, windowId: string): string {
    return `请${number}号到${windowId}窗口办理`;
  }

  /** A call's announcement as it enters the line. */
  static queued(call: { number: string; windowId: string; recall?: boolean }, repeat: number): Announcement {
    return {
      id: randomUUID(),
      number: call.number,
      windowId: call.windowId,
      text: Announcer.sentence(call.number, call.windowId),
      repeat: Math.max(1, repeat),
      recall: !!call.recall,
      state: 'queued',
      queuedAt: new Date().toISOString(),
      audio: false,
    };
  }

  announce(call: { number: string; windowId: string; recall?: boolean }): Announcement {
    const a = Announcer.queued(call, this.opts.repeat());
    if (this.stopped) return this.finish(a, 'skipped', 'the platform is stopping');
    this.line.push(a);
    this.emit('change', a);
    if (!this.running) this.running = this.drain().finally(() => (this.running = null));
    return a;
  }

  private async drain(): Promise<void> {
    while (this.line.length && !this.stopped) {
      const a = this.line.shift()!;
      if (!this.opts.engine) {
        this.finish(a, 'skipped', this.opts.engineReason ?? 'no speech engine');
        continue;
      }
      let wav: Buffer;
      try {
        wav = await this.opts.engine.synthesize(speechOf(a.text));
      } catch (err) {
        this.opts.log?.warn({ err: (err as Error).message }, 'speech synthesis failed');
        this.finish(a, 'skipped', `speech synthesis failed: ${(err as Error).message}`.slice(0, 200));
        continue;
      }
      a.durationMs = wavDurationMs(wav);
      a.audio = true;
      a.state = 'speaking';
      a.startedAt = new Date().toISOString();
      this.speaking = a;
      this.remember(a, wav);
      this.emit('change', a);
      try {
        await this.player(wav, a.repeat, a.durationMs);
      } catch (err) {
        this.opts.log?.warn({ err: (err as Error).message }, 'announcement playback failed');
      }
      this.speaking = null;
      this.finish(a, 'done');
    }
  }

  private remember(a: Announcement, wav: Buffer): void {
    this.audioById.set(a.id, wav);
    while (this.audioById.size > this.keep) this.audioById.delete(this.audioById.keys().next().value!);
  }

  private finish(a: Announcement, state: AnnouncementState, reason?: string): Announcement {
    a.state = state;
    if (reason) a.reason = reason;
    a.endedAt = new Date().toISOString();
    this.recent.unshift(a);
    this.recent.length = Math.min(this.recent.length, this.keep);
    this.emit('change', a);
    return a;
  }

  audio(id: string): Buffer | undefined {
    return this.audioById.get(id);
  }

  state(): AnnouncerState {
    return {
      engine: this.opts.engine?.name ?? null,
      engineReason: this.opts.engine ? undefined : this.opts.engineReason,
      speaking: this.speaking,
      queued: [...this.line],
      recent: [...this.recent],
    };
  }

  /** Resolves once every queued announcement has been spoken or skipped. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const a of this.line.splice(0)) this.finish(a, 'skipped', 'the platform is stopping');
    await this.idle();
  }
}
