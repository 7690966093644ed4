/** The lobby robot: questions in, answers and guidance out. */
import { z } from 'zod';
import { method } from '../contract.ts';

export interface RobotAnswer {
  intent: string;
  match: { kind: 'item' | 'faq' | 'place'; id: string; title: string } | null;
  candidates: { kind: 'item' | 'faq' | 'place'; id: string; title: string; score: number }[];
  answer: string;
  confidence: number;
  /** The full card shown on the robot's screen. */
  card?: unknown;
}

export const robotMethods = {
  'robot.ask': method<RobotAnswer>()(
    z.object({ text: z.string().min(1).max(200), lang: z.enum(['zh', 'en']).optional() }),
  ),
};

export interface RobotEvents {
  'robot.guide': { target: string; state: 'leading' | 'arrived' | 'returning' | 'docked' };
}
