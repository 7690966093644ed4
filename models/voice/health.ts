/**
 * Which of the robot's voice stages this terminal has: voice activity, the keyword spotter,
 * recognition and speech. Each stage is checked the way its engine would load it (the
 * verified model, the runtime library) without loading the model itself, and reported as
 * one entry of the terminal's device health, so the console shows a robot without the
 * recognition model as "stt absent: not installed …" rather than as a robot that is deaf.
 */
import type { DeviceHealth, DeviceState } from '../../protocol/ui/domains/kiosk.ts';
import { detectTts } from '../speech/tts.ts';
import { KWS_MODEL } from './kws.ts';
import { locateModel, ModelError, type Manifest } from './models.ts';
import { loadVoskLibrary, STT_MODEL, SttError } from './vosk.ts';

export type VoiceStage = 'vad' | 'kws' | 'stt' | 'tts';
export const VOICE_STAGES: readonly VoiceStage[] = ['vad', 'kws', 'stt', 'tts'];
export const VAD_MODEL = 'silero-vad-v5';

export interface VoiceStageHealth {
  stage: VoiceStage;
  /** ok: ready; absent: not installed; faulty: installed but damaged or not loadable. */
  state: DeviceState;
  /** The model or engine the stage runs on. */
  engine: string;
  /** Why it is not ok, in words a technician can act on. */
  reason?: string;
}

export interface VoiceHealthOptions {
  /** The models folder (default modelsDir()). */
  dir?: string;
  manifest?: Manifest;
  /** libvosk to check (default the one the vosk package ships). */
  voskLibrary?: string;
  /** The TTS probe (default models/speech detectTts). */
  tts?: () => { engine: { constructor: { name: string } } | null; reason?: string };
}

async function modelStage(stage: VoiceStage, name: string, opts: VoiceHealthOptions): Promise<VoiceStageHealth> {
  try {
    await locateModel(name, opts);
    return { stage, state: 'ok', engine: name };
  } catch (err) {
    if (!(err instanceof ModelError)) throw err;
    return { stage, state: err.code === 'not-installed' ? 'absent' : 'faulty', engine: name, reason: err.message };
  }
}

/** The four stages, each ok or with the reason it is not. */
export async function voiceHealth(opts: VoiceHealthOptions = {}): Promise<VoiceStageHealth[]> {
  const [vad, kws, stt] = await Promise.all([modelStage('vad', VAD_MODEL, opts), modelStage('kws', KWS_MODEL, opts), modelStage('stt', STT_MODEL, opts)]);
  if (stt.state === 'ok') {
    try {
      loadVoskLibrary(opts.voskLibrary);
    } catch (err) {
      if (!(err instanceof SttError)) throw err;
      Object.assign(stt, { state: err.code === 'library-missing' ? 'absent' : 'faulty', reason: err.message });
    }
  }
  if (stt.state !== 'ok') stt.reason = `${stt.reason}; free questions need recognition, touch and command words work without it`;
  const probe = (opts.tts ?? detectTts)();
  const tts: VoiceStageHealth = probe.engine
    ? { stage: 'tts', state: 'ok', engine: probe.engine.constructor.name }
    : { stage: 'tts', state: 'absent', engine: 'none', reason: probe.reason ?? 'no speech engine' };
  return [vad, kws, stt, tts];
}

/** The stages as device-health entries (kind 'voice', id voice-STAGE, port the engine). */
export function voiceDevices(stages: readonly VoiceStageHealth[], since: string): DeviceHealth[] {
  return stages.map((s) => ({
    id: `voice-${s.stage}`,
    kind: 'voice',
    port: s.engine.slice(0, 128),
    state: s.state,
    ...(s.reason ? { detail: s.reason.slice(0, 500) } : {}),
    since,
  }));
}
