/**
 * Host-side wiring of the voice pipeline: the intent stage is the robot's own Q&A engine
 * (so a spoken question and a typed one get the same answer, lead and all), and the hall's
 * command words become questions that engine already understands.
 */
import type { RobotAnswer } from '../../protocol/ui/domains/robot.ts';
import type { VoiceNotice, VoiceStatus } from '../../protocol/ui/domains/voice.ts';
import { detectTts } from '../../models/speech/tts.ts';
import { join } from 'node:path';
import { AudioCapture } from '../../models/voice/capture.ts';
import { keywordsFromConfig } from '../../models/voice/keywords.ts';
import { KeywordSpotter, spotterOptions } from '../../models/voice/kws.ts';
import { ModelError } from '../../models/voice/models.ts';
import { SttError, VoskEngine, voskLibraryPath } from '../../models/voice/vosk.ts';
import { VoicePipeline, type IntentReply, type IntentStage, type PipelineOptions, type SttStage, type WakeStage } from '../../models/voice/pipeline.ts';
import type { VoiceSettings } from '../../config/schema.ts';
import { PacedSink } from '../../models/voice/sink.ts';
import { kwsStage, vadStage, voskStage } from '../../models/voice/stages.ts';
import { SileroVad, VoiceActivity } from '../../models/voice/vad.ts';
import { int16ToFloat32 } from '../../models/voice/wav.ts';
import { definePart, type VoiceInput } from './compose.ts';
import type { RobotService } from './robot.ts';

/** What is said aloud for an answer: the clarifying question when there is one, else the answer. */
export function speechOfAnswer(a: RobotAnswer): string {
  return a.clarify?.question ?? a.answer;
}

export function robotIntent(robot: RobotService): IntentStage {
  return {
    name: 'robot-qa',
    async ask(text: string, lang: 'zh' | 'en'): Promise<IntentReply> {
      // Spoken: a walk needs the visitor's yes to the robot's offer, never the request alone.
      const answer = await robot.ask({ text, lang }, { spoken: true });
      return { speech: speechOfAnswer(answer), answer, summary: `${answer.intent}${answer.match ? ` ${answer.match.kind}:${answer.match.id}` : ''}${answer.lead ? ' lead' : ''}` };
    },
  };
}


/** Why a stage has no engine on this machine, for the status and device health. */
function reason(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0].slice(0, 200);
}

/** A model never fetched is not installed; anything else that stops an engine loading it (size, sum, a file the runtime refuses) is damage. */
function problemOf(err: unknown): VoiceNotice['problem'] {
  return err instanceof ModelError && err.code === 'not-installed' ? 'not-installed' : 'damaged';
}

/**
 * Recognition on this machine: libvosk (XIAOJIN_VOSK_LIBRARY names another copy than the
 * vosk package's) with the verified model. Without either, command words still act and the
 * reason says what a visitor can expect.
 */
async function recognition(env: NodeJS.ProcessEnv): Promise<{ stage: SttStage; engine: VoskEngine } | { notice: VoiceNotice; reason: string }> {
  try {
    const engine = await VoskEngine.load({ library: env.XIAOJIN_VOSK_LIBRARY || voskLibraryPath() });
    return { stage: voskStage(engine), engine };
  } catch (err) {
    if (!(err instanceof SttError)) throw err;
    const problem: VoiceNotice['problem'] =
      err.code === 'model-not-installed' ? 'not-installed' : err.code === 'model-damaged' ? 'damaged' : 'library-missing';
    return { notice: { stage: 'stt', problem }, reason: `${reason(err)}: questions are typed, command words still work` };
  }
}

/**
 * The voice as a terminal part: on a robot, the pipeline is built from whatever voice
 * engines this machine has. Without the VAD there is no listening at all (the robot works
 * by touch and typing); without the keyword spotter only touch-to-talk wakes it; without a
 * recognition model command words still act. What is missing is reported, never faked.
 */
export const voicePart = definePart({
  name: 'voice',
  needs: ['robot'],
  provides: ['voice'],
  build: async (rt, { robot }) => {
    if (!robot) return { provides: { voice: null } };
    const config = rt.store.config;
    const settings = config.robot.voice;
    const missing: VoiceStatus['missing'] = {};
    const notices: VoiceNotice[] = [];
    const stt = await recognition(process.env);
    if ('engine' in stt) rt.onClose(() => stt.engine.close());
    else {
      missing.stt = stt.reason;
      notices.push(stt.notice);
    }
    let va: VoiceActivity | null = null;
    try {
      va = new VoiceActivity(await SileroVad.load(), { hangMs: settings.vadHangMs, startThreshold: settings.vadThreshold, endThreshold: Math.min(settings.vadThreshold, 0.35) });
    } catch (err) {
      missing.vad = reason(err);
      notices.push({ stage: 'vad', problem: problemOf(err) });
    }
    let wake: WakeStage | null = null;
    try {
      wake = kwsStage(await KeywordSpotter.load(keywordsFromConfig(settings, config.hall), spotterOptions(settings)));
    } catch (err) {
      missing.wake = reason(err);
      notices.push({ stage: 'wake', problem: problemOf(err) });
    }
    for (const [stage, why] of Object.entries(missing)) rt.log.info({ stage, why }, 'a voice stage is missing; the robot works without it');
    const { engine: tts, reason: noTts } = detectTts('zh');
    if (noTts) missing.tts = noTts;

    const hub = rt.hub;
    const sink = new PacedSink(
      (wav, caption) => hub.emit('voice.say', { caption, wav: wav.toString('base64') }),
      () => hub.emit('voice.hush', {}),
    );
    const pipeline = va ? new VoicePipeline({ wake, vad: vadStage(va), stt: 'stage' in stt ? stt.stage : null, intent: robotIntent(robot), tts, sink }, pipelineOptions(settings)) : null;
    const status = (): VoiceStatus => ({
      state: pipeline?.state ?? 'off',
      stages: pipeline?.installed ?? { wake: null, vad: null, stt: null, intent: 'robot-qa', tts: tts?.name ?? null },
      missing,
      notices,
      dropped: pipeline?.dropped ?? 0,
      runs: [...(pipeline?.history ?? [])],
    });
    if (pipeline) {
      pipeline.on('state', (state) => hub.emit('voice.state', { state }));
      pipeline.on('level', (level) => hub.emit('voice.level', { level: Math.round(level * 100) / 100 }));
      pipeline.on('transcript', (text) => hub.emit('voice.heard', { text }));
      pipeline.on('answer', (r) => hub.emit('voice.answer', { speech: r.speech, answer: (r.answer as RobotAnswer | undefined) ?? null }));
      // The trace's transcripts are already scrubbed; the visitor's audio is never logged.
      pipeline.on('trace', (trace) => rt.log.info({ voiceRun: trace }, 'voice run'));
      pipeline.on('stage-error', (err) => rt.log.warn({ err: err.message }, 'voice stage failed'));
      rt.onClose(() => pipeline.stop());
    } else rt.log.warn({ missing }, 'the robot cannot listen; it works by touch');
    // Audio reaches the disk only through a capture a technician turned on, within its cap.
    const cap = settings.capture;
    const capture =
      pipeline && cap.enabled
        ? new AudioCapture(join(rt.dataDir, 'voice-capture'), cap.maxMegabytes * 1_000_000, (bytes) => rt.log.warn({ bytes }, 'voice capture stopped at its cap'))
        : null;
    if (capture) {
      rt.log.warn({ dir: capture.dir, maxMegabytes: cap.maxMegabytes }, 'voice capture for diagnosis is on: microphone audio is written to disk');
      rt.onClose(() => capture.close());
    }
    const voice: VoiceInput | null = pipeline
      ? {
          feed: (pcm) => {
            capture?.write(pcm);
            return pipeline.feed(int16ToFloat32(pcm));
          },
        }
      : null;
    return {
      provides: { voice },
      handlers: {
        'voice.touch': () => {
          pipeline?.touch();
          return status();
        },
        'voice.status': () => status(),
      },
    };
  },
});

/** The pipeline's timing from the hall's voice settings. */
export function pipelineOptions(settings: VoiceSettings): Partial<PipelineOptions> {
  return { followUpSeconds: settings.followUpSeconds, commandHangMs: settings.commandHangMs, openCommands: settings.openCommandWords };
}
