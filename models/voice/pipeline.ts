/**
 * The robot's voice pipeline, after Home Assistant's Assist: named stages
 * wake → vad → stt → intent → tts over 16 kHz mono frames, each stage behind an interface
 * (so engines can be swapped), each timed, and every run leaving a trace.
 *
 *   idle ──wake word / touch──▶ listening ──end of speech──▶ thinking ──answer──▶ speaking
 *     ▲                            ▲                                                  │
 *     └──── follow-up window ends ─┴──────────── follow-up window (no wake word) ◀────┘
 *
 * Frames arrive through feed() from any source (the page's microphone, arecord, a WAV
 * file) into a bounded queue; what does not fit is dropped and counted rather than
 * delaying the robot. Time inside the pipeline is audio time (samples received), so the
 * follow-up window and the listening timeout mean the same thing live and from a file.
 *
 * Without a recognition model (no SttStage) the keyword spotter's command words act
 * directly and a free question gets a plain message saying questions need the model.
 * Audio is never kept beyond the frame being processed; transcripts in traces are scrubbed
 * of digit runs (ID and phone numbers).
 */
import { EventEmitter } from 'node:events';
import { VAD_FRAME, VAD_FRAME_MS, type VadEvent } from './vad.ts';
import { SAMPLE_RATE } from './wav.ts';

export type VoiceState = 'idle' | 'listening' | 'thinking' | 'speaking';
export type StageName = 'wake' | 'vad' | 'stt' | 'intent' | 'tts';

/** The keyword spotter: the wake phrase and the hall's command words, one stream. */
export interface WakeStage {
  readonly name: string;
  /** Feeds one frame; the keywords decided within it (as configured, e.g. 小今小今). */
  accept(frame: Float32Array): Promise<SpottedWord[]> | SpottedWord[];
  reset(): void;
}

export interface VadStage {
  readonly name: string;
  /** `hangMs`, when given, is the quiet that ends speech for this frame instead of the stage's own. */
  push(frame: Float32Array, hangMs?: number): Promise<{ probability: number; event: VadEvent | null }>;
  reset(): void;
}

/** Streaming recognition: frames of one utterance in, its text out. */
export interface SttStage {
  readonly name: string;
  accept(frame: Float32Array): void;
  /** The text of the utterance fed since the last finish/reset. */
  finish(): Promise<string>;
  reset(): void;
}

export interface IntentReply {
  /** What is said aloud and shown as captions. */
  speech: string;
  /** What the screen shows (the engine's answer), passed through untouched. */
  answer?: unknown;
  /** Short label for the trace (the intent name), never the visitor's words. */
  summary?: string;
}

export interface IntentStage {
  readonly name: string;
  ask(text: string, lang: 'zh' | 'en'): Promise<IntentReply>;
}

export interface TtsStage {
  readonly name: string;
  synthesize(sentence: string): Promise<Buffer>;
}

/** Where synthesised audio goes; play resolves when it has been heard, stop cuts it at once. */
export interface AudioSink {
  play(wav: Buffer, caption: string): Promise<void>;
  stop(): void;
}

export interface SpottedWord {
  text: string;
  kind: 'wake' | 'command';
  /** The second look that confirmed a wake word (its engine, wall-clock cost and verdict), traced as a stage of its own. */
  check?: { engine: string; ms: number; result: string };
}

export interface PipelineOptions {
  /** Seconds of listening after an answer during which no wake word is needed. */
  followUpSeconds: number;
  /** Seconds of listening without speech before giving up. */
  listenSeconds: number;
  /** Frames (of any length) the queue holds before dropping. */
  maxQueuedFrames: number;
  lang: 'zh' | 'en';
  /**
   * Without a recognition model, the quiet that ends an utterance once a command word has
   * been heard in it: the command is all the robot will act on, so waiting the full hang
   * for more words only delays the answer. Null keeps the VAD's own hang.
   */
  commandHangMs: number | null;
  /** Command words that need another after them (带我去 needs where): they keep the full hang. */
  openCommands: readonly string[];
  /** Said when a free question arrives and there is no recognition model. */
  needsModelMessage: string;
  /** Said when nothing was understood. */
  notUnderstoodMessage: string;
  now: () => number;
}

export const DEFAULT_PIPELINE: PipelineOptions = {
  followUpSeconds: 6,
  listenSeconds: 8,
  maxQueuedFrames: 64,
  commandHangMs: null,
  openCommands: [],
  lang: 'zh',
  needsModelMessage: '我现在只听得懂指令词，比如“取号”“人工服务”“洗手间”。自由提问需要安装语音识别模型，您也可以在屏幕上输入问题。',
  notUnderstoodMessage: '抱歉，我没有听清，请再说一遍，或者在屏幕上点选。',
  now: () => performance.now(),
};

export interface StageTrace {
  stage: StageName;
  engine: string;
  /** Milliseconds since the run started (wall clock). */
  start: number;
  end: number;
  result: string;
}

export interface RunTrace {
  id: number;
  trigger: 'wake' | 'touch' | 'follow-up';
  startedAt: string;
  stages: StageTrace[];
  outcome: 'answered' | 'timeout' | 'barge-in' | 'error' | 'stopped' | null;
}

export interface PipelineEvents {
  state: [VoiceState];
  /** Input level 0..1 (RMS of a frame, scaled), a few times a second. */
  level: [number];
  transcript: [string];
  answer: [IntentReply];
  caption: [string];
  trace: [RunTrace];
  /** A stage failed; the run ends and the robot stays usable. (Not 'error', which would throw when nobody listens.) */
  'stage-error': [Error];
}

/** Digit runs long enough to be an ID, phone or account number never reach a trace. */
export function scrubTranscript(text: string): string {
  return text.replace(/[0-9０-９零〇一二三四五六七八九幺两]{6,}[xX]?/g, '#').slice(0, 120);
}

/** Sentences for speaking one by one: split after 。！？；!?; and after newlines. */
export function sentencesOf(text: string): string[] {
  return (text.match(/[^。！？；!?;\n]+[。！？；!?;]*/g) ?? []).map((s) => s.trim()).filter((s) => s.length > 0);
}

/**
 * What is spoken, piece by piece: the sentences, with a long first sentence cut after its
 * first comma, so the first piece is short to synthesise and speech starts sooner.
 */
export function speechPieces(text: string): string[] {
  const [first, ...rest] = sentencesOf(text);
  if (first === undefined) return [];
  const cut = /^(.{4,}?[，,])(.{4,})$/s.exec(first);
  return cut ? [cut[1], cut[2].trim(), ...rest] : [first, ...rest];
}

/** An answer being made ahead of time: the engine's reply, then its first piece's audio. */
interface Prepared {
  text: string;
  start: number;
  end: number;
  reply: Promise<IntentReply>;
  /** The first piece's audio (null when the reply has nothing to say, or there is no speech engine). */
  first: Promise<Buffer | null>;
}

const LEVEL_EVERY = 3;

export class VoicePipeline extends EventEmitter<PipelineEvents> {
  private readonly o: PipelineOptions;
  private stateNow: VoiceState = 'idle';
  private readonly queue: Float32Array[] = [];
  private pending = new Float32Array(0);
  private draining: Promise<void> | null = null;
  private dropCount = 0;
  private audioMs = 0;
  private frames = 0;
  private run: RunTrace | null = null;
  private runStart = 0;
  private runs = 0;
  /** Audio time at which listening gives up. */
  private listenUntil = 0;
  private inSpeech = false;
  private speechStartWall = 0;
  /** Command words heard in this utterance, in order (带我去 then a window name). */
  private heardCommands: string[] = [];
  /** The answer to the command words heard so far, made while the VAD's hang runs out. */
  private prepared: Prepared | null = null;
  /** Bumped by barge-in and stop, so a reply still being made knows it was overtaken. */
  private turn = 0;
  private readonly traces: RunTrace[] = [];

  constructor(
    private readonly stages: { wake: WakeStage | null; vad: VadStage; stt: SttStage | null; intent: IntentStage; tts: TtsStage | null; sink: AudioSink },
    options: Partial<PipelineOptions> = {},
  ) {
    super();
    this.o = { ...DEFAULT_PIPELINE, ...options };
  }

  get state(): VoiceState {
    return this.stateNow;
  }

  /** Frames dropped because the queue was full. */
  get dropped(): number {
    return this.dropCount;
  }

  /** The last runs' traces, newest last (kept to 20). */
  get history(): readonly RunTrace[] {
    return this.traces;
  }

  /** Which stages have an engine, for device health. */
  get installed(): Record<StageName, string | null> {
    const s = this.stages;
    return { wake: s.wake?.name ?? null, vad: s.vad.name, stt: s.stt?.name ?? null, intent: s.intent.name, tts: s.tts?.name ?? null };
  }

  /**
   * Queues 16 kHz mono samples of any length. Returns false when the queue was full and
   * the frame was dropped (counted in `dropped`).
   */
  feed(samples: Float32Array): boolean {
    if (this.queue.length >= this.o.maxQueuedFrames) {
      this.dropCount++;
      return false;
    }
    this.queue.push(samples);
    this.kick();
    return true;
  }

  private kick(): void {
    if (this.draining) return;
    this.draining = this.drain().finally(() => {
      this.draining = null;
      // A frame fed between the loop's last look at the queue and this point would otherwise wait for the next feed.
      if (this.queue.length > 0) this.kick();
    });
  }

  /** Resolves once every queued frame has been processed. */
  async idle(): Promise<void> {
    while (this.draining) await this.draining;
  }

  /** Touch-to-talk: the same as hearing the wake word (and a barge-in while speaking). */
  touch(): void {
    this.wake('touch', 'touch');
  }

  /** Stops whatever is under way and goes idle. */
  stop(): void {
    this.turn++;
    this.stages.sink.stop();
    this.finishRun('stopped');
    this.resetListening();
    this.setState('idle');
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const chunk = this.queue.shift()!;
      const joined = new Float32Array(this.pending.length + chunk.length);
      joined.set(this.pending);
      joined.set(chunk, this.pending.length);
      let at = 0;
      for (; at + VAD_FRAME <= joined.length; at += VAD_FRAME) {
        try {
          await this.frame(joined.subarray(at, at + VAD_FRAME));
        } catch (err) {
          this.emit('stage-error', err instanceof Error ? err : new Error(String(err)));
        }
      }
      this.pending = joined.slice(at);
    }
  }

  private async frame(frame: Float32Array): Promise<void> {
    if (++this.frames % LEVEL_EVERY === 0) this.emit('level', levelOf(frame));
    const frameEnd = this.audioMs + VAD_FRAME_MS;
    const spotted = this.stages.wake ? await this.stages.wake.accept(frame) : [];
    const wakeWord = spotted.find((k) => k.kind === 'wake');
    if (wakeWord) {
      this.audioMs = frameEnd;
      this.wake('wake', wakeWord.text, wakeWord.check);
      return;
    }
    if (this.stateNow === 'listening') {
      for (const k of spotted) {
        this.heardCommands.push(k.text);
        this.stage('wake', this.stages.wake!.name, this.now(), `command ${k.text}`);
      }
      // A complete command is what will be asked unless more words follow: start on the
      // answer now, so the hang's quiet is not also spent thinking. If another command
      // follows, this one is dropped (the engine has then been asked once more than answered,
      // which only moves its sense of the last topic, as the next ask does anyway).
      if (spotted.length > 0 && this.hangNow() !== undefined) this.prepared = this.prepare(this.heardCommands.join(''));
      await this.listen(frame, frameEnd);
    }
    this.audioMs = frameEnd;
  }

  private async listen(frame: Float32Array, frameEnd: number): Promise<void> {
    const { event } = await this.stages.vad.push(frame, this.hangNow());
    if (this.inSpeech) this.stages.stt?.accept(frame);
    if (event?.type === 'speech-start') {
      this.inSpeech = true;
      this.speechStartWall = this.now();
      if (!this.run) this.startRun('follow-up');
      // The frame that decided the start is already speech; earlier frames of this word are lost to recognition by design (no audio buffer kept).
      this.stages.stt?.accept(frame);
    } else if (event?.type === 'speech-end') {
      this.inSpeech = false;
      this.stage('vad', this.stages.vad.name, this.speechStartWall, `speech ${Math.round(event.endMs - event.startMs)} ms`);
      void this.respond(this.turn);
      return;
    }
    if (!this.inSpeech && frameEnd >= this.listenUntil) {
      if (this.heardCommands.length > 0) {
        // A command word short enough that the VAD never called it speech still acts.
        void this.respond(this.turn);
        return;
      }
      this.finishRun('timeout');
      this.resetListening();
      this.setState('idle');
    }
  }

  /** The shorter command hang applies only in command-word mode, and only once a complete command was heard. */
  private hangNow(): number | undefined {
    const last = this.heardCommands.at(-1);
    if (this.o.commandHangMs === null || this.stages.stt || last === undefined || this.o.openCommands.includes(last)) return undefined;
    return this.o.commandHangMs;
  }

  private wake(trigger: 'wake' | 'touch', what: string, check?: SpottedWord['check']): void {
    const at = this.now();
    const bargeIn = this.stateNow === 'speaking' || this.stateNow === 'thinking';
    this.turn++;
    if (bargeIn) {
      this.stages.sink.stop();
      this.finishRun('barge-in');
    } else if (this.run) this.finishRun('stopped');
    // The run starts when the check did, so its cost is inside the trace.
    this.startRun(trigger, at - (check?.ms ?? 0));
    if (check) this.stage('wake', check.engine, at - check.ms, check.result);
    this.stage('wake', trigger === 'touch' ? 'touch' : this.stages.wake!.name, at, trigger === 'touch' ? 'touch-to-talk' : `wake ${what}`);
    this.resetListening();
    this.listenUntil = this.audioMs + this.o.listenSeconds * 1000;
    this.setState('listening');
  }

  /** Asks the engine and synthesises the first piece of its answer, both started now. */
  private prepare(text: string): Prepared {
    const job: Prepared = { text, start: this.now(), end: 0, reply: this.stages.intent.ask(text, this.o.lang), first: Promise.resolve(null) };
    job.reply = job.reply.then((r) => {
      job.end = this.now();
      return r;
    });
    const tts = this.stages.tts;
    job.first = job.reply.then((r) => {
      const piece = speechPieces(r.speech)[0];
      return tts && piece ? tts.synthesize(piece) : null;
    });
    // A job overtaken by more words or a barge-in is never awaited: its failure must not go unhandled.
    job.reply.catch(() => {});
    job.first.catch(() => {});
    return job;
  }

  private async respond(turn: number): Promise<void> {
    const commands = this.heardCommands;
    const prepared = this.prepared;
    this.setState('thinking');
    const stt = this.stages.stt;
    let text: string | null = null;
    if (commands.length > 0) {
      stt?.reset();
      // 带我去 + A01号窗口 is asked as one request; the engine understands each word alone too.
      text = commands.join('');
    } else if (stt) {
      const start = this.now();
      text = (await stt.finish()).trim();
      this.stage('stt', stt.name, start, text ? scrubTranscript(text) : '(nothing recognised)');
    }
    this.resetListening();
    if (turn !== this.turn) return;
    let reply: IntentReply;
    let first: Promise<Buffer | null> | undefined;
    if (text) {
      this.emit('transcript', text);
      const job = prepared?.text === text ? prepared : this.prepare(text);
      first = job.first;
      try {
        reply = await job.reply;
      } catch (err) {
        this.stage('intent', this.stages.intent.name, job.start, 'error');
        this.finishRun('error');
        this.emit('stage-error', err instanceof Error ? err : new Error(String(err)));
        this.setState('idle');
        return;
      }
      this.stage('intent', this.stages.intent.name, job.start, reply.summary ?? 'answered', job.end);
    } else {
      reply = { speech: stt ? this.o.notUnderstoodMessage : this.o.needsModelMessage, summary: stt ? 'not understood' : 'needs recognition model' };
    }
    if (turn !== this.turn) return;
    this.emit('answer', reply);
    await this.speak(reply.speech, turn, first);
  }

  /** First piece synthesised and played first (perhaps already made); the next is synthesised while one plays. */
  private async speak(text: string, turn: number, first?: Promise<Buffer | null>): Promise<void> {
    const tts = this.stages.tts;
    const sentences = speechPieces(text);
    if (tts && sentences.length > 0) {
      this.setState('speaking');
      const start = this.now();
      let firstAudio = -1;
      // Synthesis runs one sentence ahead; one overtaken by a barge-in is never awaited, so its failure must not go unhandled.
      const ahead = (sentence: string) => {
        const p = tts.synthesize(sentence);
        p.catch(() => {});
        return p;
      };
      let next = first ? first.then((wav) => wav ?? tts.synthesize(sentences[0])) : ahead(sentences[0]);
      next.catch(() => {});
      for (let i = 0; i < sentences.length; i++) {
        let wav: Buffer;
        try {
          wav = await next;
        } catch (err) {
          this.stage('tts', tts.name, start, 'error');
          this.emit('stage-error', err instanceof Error ? err : new Error(String(err)));
          break;
        }
        if (turn !== this.turn) return;
        if (firstAudio < 0) firstAudio = this.now() - this.runStart;
        if (i + 1 < sentences.length) next = ahead(sentences[i + 1]);
        this.emit('caption', sentences[i]);
        await this.stages.sink.play(wav, sentences[i]);
        if (turn !== this.turn) return;
      }
      this.stage('tts', tts.name, start, `${sentences.length} sentence(s), first audio at ${Math.round(firstAudio)} ms`);
    } else {
      // No speech engine: the answer is on screen only.
      for (const s of sentences) this.emit('caption', s);
    }
    if (turn !== this.turn) return;
    this.finishRun('answered');
    // Follow-up: listen again without the wake word for a few seconds.
    this.resetListening();
    this.listenUntil = this.audioMs + this.o.followUpSeconds * 1000;
    this.setState('listening');
  }

  private startRun(trigger: RunTrace['trigger'], startWall = this.now()): void {
    this.runStart = startWall;
    this.run = { id: ++this.runs, trigger, startedAt: new Date().toISOString(), stages: [], outcome: null };
  }

  private stage(stage: StageName, engine: string, startWall: number, result: string, endWall = this.now()): void {
    if (!this.run) return;
    this.run.stages.push({ stage, engine, start: Math.max(0, startWall - this.runStart), end: endWall - this.runStart, result });
  }

  private finishRun(outcome: NonNullable<RunTrace['outcome']>): void {
    const run = this.run;
    if (!run) return;
    run.outcome = outcome;
    this.run = null;
    this.traces.push(run);
    if (this.traces.length > 20) this.traces.shift();
    this.emit('trace', run);
  }

  private resetListening(): void {
    this.inSpeech = false;
    this.heardCommands = [];
    this.prepared = null;
    this.stages.vad.reset();
    this.stages.stt?.reset();
  }

  private setState(s: VoiceState): void {
    if (s === this.stateNow) return;
    this.stateNow = s;
    this.emit('state', s);
  }

  private now(): number {
    return this.o.now();
  }
}

/** RMS on a rough log scale so quiet speech still moves the meter. */
export function levelOf(frame: Float32Array): number {
  let s = 0;
  for (const v of frame) s += v * v;
  const rms = Math.sqrt(s / Math.max(1, frame.length));
  if (rms <= 1e-4) return 0;
  return Math.max(0, Math.min(1, (20 * Math.log10(rms) + 60) / 60));
}

export const FRAME_SAMPLES = VAD_FRAME;
export const FRAMES_PER_SECOND = SAMPLE_RATE / VAD_FRAME;
