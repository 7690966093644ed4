/**
 * The robot's voice: the screen shows what the pipeline is doing, plays what it says and
 * sends its microphone's frames (binary, beside this contract: see AUDIO_FRAME).
 */
import { z } from 'zod';
import { method } from '../method.ts';
import type { RobotAnswer } from './robot.ts';

export type VoiceStateName = 'off' | 'idle' | 'listening' | 'thinking' | 'speaking';
export type VoiceStageName = 'wake' | 'vad' | 'stt' | 'intent' | 'tts';

export interface VoiceStatus {
  state: VoiceStateName;
  /** Engine per stage, or null with the reason in `missing`. */
  stages: Record<VoiceStageName, string | null>;
  missing: Partial<Record<VoiceStageName, string>>;
  /** What the screen tells the visitor about a missing or broken stage (words in its strings). */
  notices: VoiceNotice[];
  /** Microphone frames dropped because the host fell behind. */
  dropped: number;
  /** The last runs, newest last: each stage timed (ms since the run began), transcripts scrubbed. */
  runs: VoiceRun[];
}

/**
 * A stage the robot runs without: not-installed (never fetched), damaged (a model file
 * truncated, altered or refused by its engine), library-missing (recognition's libvosk).
 */
export interface VoiceNotice {
  stage: 'wake' | 'vad' | 'stt';
  problem: 'not-installed' | 'damaged' | 'library-missing';
}

export interface VoiceRun {
  id: number;
  trigger: 'wake' | 'touch' | 'follow-up';
  startedAt: string;
  stages: { stage: VoiceStageName; engine: string; start: number; end: number; result: string }[];
  outcome: 'answered' | 'timeout' | 'barge-in' | 'error' | 'stopped' | null;
}

/**
 * A microphone frame on the wire: 16 kHz mono signed 16-bit little-endian samples, at most
 * this many per message (a binary WebSocket message or the IPC audio channel).
 */
export const AUDIO_FRAME = { sampleRate: 16_000, maxSamples: 4096 } as const;

export const voiceMethods = {
  /** Touch-to-talk: the same as the wake word; stops speech at once when the robot is talking. */
  'voice.touch': method<VoiceStatus>()(z.object({})),
  'voice.status': method<VoiceStatus>()(z.object({})),
};

export interface VoiceEvents {
  'voice.state': { state: VoiceStateName };
  /** Input level 0..1, a few times a second. */
  'voice.level': { level: number };
  /** What was heard (recognised text or the command words). */
  'voice.heard': { text: string };
  'voice.answer': { speech: string; answer: RobotAnswer | null };
  /** One sentence being spoken, with its audio (WAV, base64); the caption is shown while it plays. */
  'voice.say': { caption: string; wav: string };
  /** Cut the sound at once (barge-in). */
  'voice.hush': Record<string, never>;
}
