/**
 * `xiaojin robot listen --wav FILE`: the robot's ears over a recording — voice activity,
 * wake and command words, and recognition when its model is installed — printing one JSON
 * object with every stage's place in the audio, its wall-clock cost and its result, and
 * what was heard. A stage whose engine is missing is named with the reason and the others
 * still run, as on a robot without the recognition model.
 */
import { parseArgs } from 'node:util';
import type { Command } from './index.ts';
import { DEFAULT_CONFIG_DIR, loadConfigDir } from '../config/load.ts';
import { keywordsFromConfig } from '../models/voice/keywords.ts';
import { KeywordSpotter, spotterOptions } from '../models/voice/kws.ts';
import { listen, type ListenEngines } from '../models/voice/listen.ts';
import { modelsDir } from '../models/voice/models.ts';
import { wavFileSource } from '../models/voice/sources.ts';
import { SileroVad, VoiceActivity } from '../models/voice/vad.ts';
import { VoskEngine } from '../models/voice/vosk.ts';

const HELP = `usage: xiaojin robot listen --wav FILE [--config DIR] [--models DIR]

  listen --wav FILE   run voice activity, the wake/command keyword spotter and (when installed)
                      recognition over a 16 kHz mono WAV; prints {source, audioMs, stages:
                      [{stage, startMs, endMs, wallMs, result}], totals, heard, unavailable}
  --config DIR        hall configuration (wake and command words, window names); default: bundled hall
  --models DIR        the models folder (default: $XIAOJIN_MODELS, else data/models)`;

function usageError(message: string): Error & { exitCode: number } {
  return Object.assign(new Error(`${message}\n\n${HELP}`), { exitCode: 2 });
}

const reason = (err: unknown) => (err as Error).message;

export const command: Command = {
  summary: "the robot's ears over a recording",
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { wav: { type: 'string' }, config: { type: 'string' }, models: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    });
    if (values.help) {
      console.log(HELP);
      return 0;
    }
    const [action, ...extra] = positionals;
    if (action !== 'listen') throw usageError(action ? `unknown action '${action}'` : 'robot needs an action');
    if (extra.length) throw usageError(`unexpected ${extra.join(' ')}`);
    if (!values.wav) throw usageError('robot listen needs --wav FILE');
    const config = loadConfigDir(values.config ?? DEFAULT_CONFIG_DIR);
    const voice = config.robot.voice;
    const dir = values.models ?? modelsDir();
    const engines: ListenEngines = { unavailable: {} };
    const [vad, kws, stt] = await Promise.allSettled([
      SileroVad.load({ dir }),
      KeywordSpotter.load(keywordsFromConfig(voice, voice.windowNames ? config.hall : undefined), { dir, ...spotterOptions(voice) }),
      VoskEngine.load({ dir }),
    ]);
    if (vad.status === 'fulfilled') engines.vad = new VoiceActivity(vad.value, { hangMs: voice.vadHangMs, startThreshold: voice.vadThreshold, endThreshold: Math.min(0.35, voice.vadThreshold) });
    else engines.unavailable!.vad = reason(vad.reason);
    if (kws.status === 'fulfilled') engines.kws = kws.value;
    else engines.unavailable!.kws = reason(kws.reason);
    if (stt.status === 'fulfilled') engines.stt = stt.value.recognizer();
    else engines.unavailable!.stt = reason(stt.reason);
    try {
      const report = await listen(wavFileSource(values.wav), engines);
      console.log(JSON.stringify(report, null, 2));
      return 0;
    } finally {
      engines.stt?.close();
      if (stt.status === 'fulfilled') stt.value.close();
      if (vad.status === 'fulfilled') await vad.value.close();
    }
  },
};
