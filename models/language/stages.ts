/**
 * The engine's stages, what each hands the next, and the per-answer trace:
 *   understand (what was said, what is wanted) → retrieve (ranked entities) → rerank
 *   (optional embedding model) → accept (is there an answer, or several too close to call)
 *   → dialogue (what to do with it, given the conversation) → compose (the words and card).
 * A turn the conversation settles by itself (a clarification answered by number, "再说一遍",
 * "好的" to an offer, a window number) goes from understand straight to dialogue.
 */
import type { Cue } from './intents.ts';
import type { QueryUnit } from './pinyin.ts';
import type { SpokenKey } from './templates.ts';
import type { Candidate, Intent } from './engine.ts';

export const ITEM_CUES = ['materials', 'conditions', 'where', 'duration', 'visits', 'booking', 'courier'] as const satisfies readonly Cue[];
export type ItemCue = (typeof ITEM_CUES)[number];

export interface Understanding {
  /** The normalised question. */
  norm: string;
  /** The content words, synonyms rewritten, as written. */
  content: QueryUnit[];
  /** The content read by sound, when that differs. */
  alt: QueryUnit[] | null;
  /** The question with its cue words kept: 取号机 is a place, not 取号 + 机. */
  withCues: QueryUnit[] | null;
  cues: Set<Cue>;
  /** The first cue that asks something about an item (materials, where…). */
  itemCue: ItemCue | undefined;
  /** Only the robot's name was said (小今小今): a call to listen, not a question. */
  wakeOnly: boolean;
  /** An English question's content words, matched against the hall's English names instead of the Chinese index. */
  english?: string[];
}

/** One entity as retrieval scored it. */
export interface Ranked {
  entity: number;
  score: number;
  docCov: number;
  /** docCov with procedure words discounted less than in ranking: acceptance asks how much of the name was said. */
  plainDocCov: number;
  qCov: number;
  caseIdx: number;
  /** The score acceptance is judged on: before the contiguity bonus, which orders candidates but must not let an off-topic question in. */
  gate?: number;
  /** The reading of the question this entity was found with (as said, by sound, with cue words). */
  query: QueryUnit[];
  /** Its name states an operation (注销, 作废, 补发…) the visitor did not say. */
  unsaidOp?: boolean;
  /** Found through an everyday alias rather than its own name. */
  viaAlias?: boolean;
  /** When found through an alias: the coverages of the best of the entry's own names, if the question met one. */
  byName?: { plainDocCov: number; qCov: number };
  /** Share of the question said as one stretch of a field (set for the leaders rescored as whole entries). */
  run?: number;
}

/** What acceptance made of the ranking. */
export interface Acceptance {
  /** The ranking, reordered by the learned preference and by a fallback behind a weak FAQ entry or place. */
  ranked: Ranked[];
  /** The leader before any fallback. */
  top: Ranked | undefined;
  candidates: Candidate[];
  /** The entity that passed the gate and which one the visitor named; null when none passed. */
  verdict: { accepted: Ranked; choice: Choice } | null;
}

export type Choice =
  /** Toilets, lifts, exits: the nearest of one kind of place. */
  | { kind: 'nearest'; pick: Ranked }
  /** Too close to call: ask. */
  | { kind: 'clarify'; lead: Ranked; options: Ranked[]; byOrganisation?: boolean }
  /** One answer: the leader, or the one close candidate the question's words leave. */
  | { kind: 'one'; lead: Ranked; pick: Ranked };

/** What the dialogue decided to do; compose puts it into words. */
export type Plan =
  | { kind: 'entity'; intent: Intent; entity: number; caseIdx: number; confidence: number; candidates: Candidate[]; lead: boolean }
  | { kind: 'window'; id: string; lead: boolean }
  /** Several windows carry the number said (5号窗口: A05, B05…): ask which. */
  | { kind: 'windows'; ids: string[] }
  /** A part of the hall by name (社保, 公积金): its windows, a walk there, or a ticket of its queue. */
  | { kind: 'area'; group: string; want: 'where' | 'lead' | 'ticket' }
  | { kind: 'repeat' }
  /** A set sentence; listen when it answers a call of the robot's name, so the question can follow. */
  | { kind: 'say'; intent: Intent; say: SpokenKey; confidence: number; candidates: Candidate[]; listen?: boolean }
  /** Sent to the reception desk; candidates and confidence replace the desk's own when given. */
  | { kind: 'reception'; intent: 'human' | 'out-of-scope'; say: SpokenKey; override?: { candidates: Candidate[]; confidence: number } }
  | { kind: 'hours'; confidence: number }
  /** byOrganisation: the options are one item at several organisations, offered by organisation. */
  | { kind: 'clarify'; intent: Intent; options: Ranked[]; confidence: number; candidates: Candidate[]; byOrganisation?: boolean };

export type StageName = 'understand' | 'retrieve' | 'rerank' | 'accept' | 'dialogue' | 'compose';

export interface TraceStep {
  stage: StageName;
  /** Wall time of the stage in milliseconds. */
  ms: number;
  /** What the stage decided, in short. */
  result: Record<string, unknown>;
}

/** The stages one answer went through, in order, with their time and result. */
export class Trace {
  readonly steps: TraceStep[] = [];

  /** A trace nobody asked for runs the stages and records nothing: no clock reads, no summaries. */
  constructor(private readonly enabled = true) {}

  /** Runs one stage; a summary of null leaves the step out (a stage that had nothing to do). */
  run<T>(stage: StageName, fn: () => T, summary: (r: T) => Record<string, unknown> | null): T {
    if (!this.enabled) return fn();
    const t0 = performance.now();
    const r = fn();
    this.record(stage, t0, summary(r));
    return r;
  }

  async runAsync<T>(stage: StageName, fn: () => Promise<T>, summary: (r: T) => Record<string, unknown>): Promise<T> {
    if (!this.enabled) return fn();
    const t0 = performance.now();
    const r = await fn();
    this.record(stage, t0, summary(r));
    return r;
  }

  private record(stage: StageName, t0: number, result: Record<string, unknown> | null): void {
    if (result) this.steps.push({ stage, ms: Math.round((performance.now() - t0) * 100) / 100, result });
  }
}
