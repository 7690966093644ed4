/**
 * One pass of the robot's ears over an audio source, every stage timed: voice activity
 * (Silero + end of speech), the keyword spotter (wake and command words) and, when the
 * model is installed, recognition of what follows the wake word. What comes out is a
 * trace for a technician or a test: where in the audio each stage decided what, and how
 * much wall-clock time it cost. It decides nothing about answering (that is the pipeline's).
 */
import { performance } from 'node:perf_hooks';
import type { KeywordSpotter } from './kws.ts';
import type { AudioSource } from './sources.ts';
import type { VoiceActivity } from './vad.ts';
import type { Recognizer } from './vosk.ts';
import { int16ToFloat32, SAMPLE_RATE } from './wav.ts';

export type StageName = 'vad' | 'wake' | 'command' | 'stt';

export interface StageRecord {
  stage: StageName;
  /**
   * Audio span (ms from the start) the stage's result covers. A keyword's start is the
   * earliest its audio can have begun: the later of the speech start and the previous
   * keyword (the spotter reports only when it decided).
   */
  startMs: number;
  endMs: number;
  /** Wall-clock ms this stage spent on the audio of the span. */
  wallMs: number;
  result: unknown;
}

export interface ListenReport {
  source: string;
  audioMs: number;
  stages: StageRecord[];
  /** Wall-clock ms per stage over the whole audio. */
  totals: Partial<Record<'vad' | 'kws' | 'stt', number>>;
  heard: { wake: string | null; commands: string[]; text: string | null };
  /** Stages that did not run, with the reason. */
  unavailable: Partial<Record<'vad' | 'kws' | 'stt', string>>;
}

export interface ListenEngines {
  vad?: VoiceActivity;
  kws?: KeywordSpotter;
  stt?: Recognizer;
  unavailable?: ListenReport['unavailable'];
}

const round = (ms: number) => Math.round(ms * 10) / 10;

/** Runs the engines over every frame of the source; the source must give VAD-sized frames when vad is set. */
export async function listen(source: AudioSource, engines: ListenEngines): Promise<ListenReport> {
  const { vad, kws, stt } = engines;
  const stages: StageRecord[] = [];
  const totals = { vad: 0, kws: 0, stt: 0 };
  const heard: ListenReport['heard'] = { wake: null, commands: [], text: null };
  let samples = 0;
  let speechStartMs: number | null = null;
  let vadWall = 0;
  let kwsWall = 0;
  let sttWall = 0;
  let lastKeywordMs = 0;
  let sttFromMs: number | null = null;

  const timed = <T>(f: () => T): [T, number] => {
    const t = performance.now();
    const r = f();
    return [r, performance.now() - t];
  };

  const finishStt = (endMs: number) => {
    if (!stt || sttFromMs === null) return;
    const [{ text }, wall] = timed(() => stt.final());
    sttWall += wall;
    totals.stt += wall;
    stages.push({ stage: 'stt', startMs: round(sttFromMs), endMs: round(endMs), wallMs: round(sttWall), result: { text } });
    if (text) heard.text = heard.text ? `${heard.text} ${text}` : text;
    sttWall = 0;
    sttFromMs = null;
  };

  for await (const frame of source) {
    const frameStartMs = (samples / SAMPLE_RATE) * 1000;
    samples += frame.length;
    const floats = int16ToFloat32(frame);

    if (vad) {
      const t = performance.now();
      const { event } = await vad.push(floats);
      const wall = performance.now() - t;
      vadWall += wall;
      totals.vad += wall;
      if (event?.type === 'speech-start') speechStartMs = event.startMs;
      if (event?.type === 'speech-end') {
        stages.push({ stage: 'vad', startMs: round(event.startMs), endMs: round(event.endMs), wallMs: round(vadWall), result: { speech: true, decidedAtMs: round(event.atMs) } });
        vadWall = 0;
        speechStartMs = null;
        finishStt(event.endMs);
      }
    }

    if (kws) {
      const [found, wall] = timed(() => kws.accept(floats));
      kwsWall += wall;
      totals.kws += wall;
      for (const k of found) {
        const startMs = Math.max(speechStartMs ?? 0, lastKeywordMs);
        stages.push({ stage: k.kind, startMs: round(startMs), endMs: round(k.atMs), wallMs: round(kwsWall), result: { text: k.text } });
        kwsWall = 0;
        lastKeywordMs = k.atMs;
        if (k.kind === 'wake') {
          heard.wake ??= k.text;
          // Recognition hears what follows the wake word, from a fresh utterance.
          if (stt) {
            stt.reset();
            sttFromMs = k.atMs;
          }
        } else heard.commands.push(k.text);
      }
    }

    if (stt && sttFromMs !== null && frameStartMs >= sttFromMs) {
      const [, wall] = timed(() => stt.acceptWaveform(frame));
      sttWall += wall;
      totals.stt += wall;
    }
  }

  const audioMs = (samples / SAMPLE_RATE) * 1000;
  if (vad) {
    const end = vad.flush();
    if (end?.type === 'speech-end') stages.push({ stage: 'vad', startMs: round(end.startMs), endMs: round(end.endMs), wallMs: round(vadWall), result: { speech: true, decidedAtMs: round(end.atMs) } });
  }
  finishStt(audioMs);
  stages.sort((a, b) => a.endMs - b.endMs || a.startMs - b.startMs);
  const used = { vad: !!vad, kws: !!kws, stt: !!stt };
  return {
    source: source.describe,
    audioMs: round(audioMs),
    stages,
    totals: Object.fromEntries(Object.entries(totals).filter(([k]) => used[k as keyof typeof used]).map(([k, v]) => [k, round(v)])),
    heard,
    unavailable: engines.unavailable ?? {},
  };
}
