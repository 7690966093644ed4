/** The lobby robot: questions in, answers and guidance out. */
import { z } from 'zod';
import { method } from '../method.ts';
import type { AnswerCard } from '../../../models/language/answer.ts';
import type { Point } from '../../../config/schema.ts';

export type RobotEntityKind = 'item' | 'faq' | 'place' | 'bundle';

export interface RobotAnswer {
  intent: string;
  match: { kind: RobotEntityKind; id: string; title: string; case?: { code: string; name: string } } | null;
  candidates: { kind: RobotEntityKind; id: string; title: string; score: number }[];
  answer: string;
  confidence: number;
  /** The full card shown on the robot's screen. */
  card?: AnswerCard;
  /** Options to show as big buttons when the robot asks which one was meant. */
  clarify?: { question: string; options: { index: number; kind: RobotEntityKind; id: string; title: string }[] };
  /** Where the robot can lead the visitor. */
  guide?: { kind: 'window' | 'place'; id: string; name: string; floor: string };
  /** True when the robot has started walking there. */
  lead?: boolean;
  /** An offer's answers (需要我带您过去吗? → 是 / 不用) as buttons: each sends its reply as the next question. */
  choices?: { label: string; reply: string }[];
  /** The visitor asked for a ticket: the queue group to take it from (queue.take's groupId). */
  ticket?: { group: string; prefix: string; name: string };
}

export interface RouteLegView {
  floor: string;
  points: Point[];
  metres: number;
}

export interface GuideStatus {
  target: string;
  name: string;
  state: 'leading' | 'arrived' | 'returning' | 'docked';
  route: RouteLegView[];
  metres: number;
  /** Seconds this state is expected to last (0 once docked). */
  seconds: number;
}

/** Where the guide is: on a real base these follow the base; without one only 'at-post'. */
export type RobotGuideState = 'at-post' | 'guiding' | 'arrived' | 'returning' | 'docking' | 'charging' | 'fault' | 'stopped';

/** The guide and its base as the screen and the platform see them. */
export interface RobotStateView {
  state: RobotGuideState;
  /** False when no base is configured: guidance is then a timed walk on the map only. */
  base: boolean;
  link: 'connecting' | 'up' | 'down' | null;
  target: { id: string; name: string } | null;
  /** Hall frame, metres. */
  pose: { x: number; y: number; theta: number } | null;
  floor: string | null;
  distanceRemaining: number | null;
  /** 0…100, null before the base has reported. */
  battery: number | null;
  charging: boolean;
  /** Battery under the hall's threshold: it answers questions but walks nobody. */
  lowBattery: boolean;
  /** Why it is in fault or stopped. */
  reason: string | null;
  /** The walk is paused on the follow check: the question and the seconds left to tap 我在. */
  followCheck: { question: string; secondsLeft: number } | null;
}

/** A sentence the robot says and shows (请跟我来, 请让一让, an apology with directions…). */
export interface RobotSay {
  kind: 'follow' | 'follow-check' | 'make-way' | 'arrived' | 'apology' | 'directions' | 'refuse' | 'fault' | 'stopped';
  text: string;
}

/** What the robot's screen needs at start: who it is, what to suggest, the map to draw. */
export interface RobotHome {
  name: string;
  hallName: string;
  suggestions: string[];
  dock: { id: string; floor: string; position: Point };
  map: {
    floors: { id: string; name: string; width: number; height: number }[];
    zones: { id: string; name: string; floor: string; rect: { x: number; y: number; w: number; h: number } }[];
    windows: { id: string; floor: string; zone: string; position: Point }[];
    places: { id: string; name: string; kind: string; floor: string; position: Point }[];
  };
  guide: GuideStatus | null;
  robot: RobotStateView;
}

export const robotMethods = {
  /** Ask a question; `choice` answers a clarification by touch (1-based). */
  'robot.ask': method<RobotAnswer>()(
    z.object({ text: z.string().min(1).max(200), lang: z.enum(['zh', 'en']).optional(), choice: z.number().int().min(0).max(20).optional() }),
  ),
  /**
   * Lead the visitor to a window (B01) or a place (toilet-1). `confirmed` is the visitor's
   * own yes (the screen's 带我去 button): the robot never walks without it.
   */
  'robot.guide': method<GuideStatus>()(
    z.object({ target: z.string().min(1).max(64), confirmed: z.literal(true, { error: 'the visitor has not said yes: the robot walks only on a confirmed request' }) }),
  ),
  /** Stop leading and go back to the post; on a base the goal is canceled at once. */
  'robot.stop': method<GuideStatus | null>()(z.object({})),
  /** Emergency stop: the base stops where it is and stays until robot.resume. */
  'robot.estop': method<RobotStateView>()(z.object({})),
  /** The visitor's 我在 on the follow check (您还跟着我吗?): the walk goes on. */
  'robot.following': method<RobotStateView>()(z.object({})),
  /** After an emergency stop or a fault: go back to the post. */
  'robot.resume': method<RobotStateView>()(z.object({})),
  /** Forget the conversation (a new visitor). */
  'robot.reset': method<{ ok: true }>()(z.object({})),
  'robot.home': method<RobotHome>()(z.object({ lang: z.enum(['zh', 'en']).optional() })),
};

export interface RobotEvents {
  'robot.guide': GuideStatus;
  'robot.state': RobotStateView;
  'robot.say': RobotSay;
}
