/**
 * Read-aloud for elderly mode: the screen asks for a sentence to be spoken, the host
 * synthesizes it offline and hands the audio back as an event, so it plays through the
 * same page under Electron and in the browser kiosk. A new screen's sentence replaces
 * the one still being made: reading out a screen the citizen already left only confuses.
 */
import { detectTts, type TtsEngine } from '../../models/speech/tts.ts';
import { ApiError } from '../../protocol/ui/errors.ts';
import { definePart, type TerminalPart } from './compose.ts';

export interface SpeechModuleOptions {
  /** Engines by language; undefined detects espeak-ng, null means none. */
  engines?: { zh: TtsEngine | null; en: TtsEngine | null };
}

/** Speech bytes are small but not free: a screen's text is capped by the contract (500 chars). */
export function speechPart(opts: SpeechModuleOptions = {}): TerminalPart {
  return definePart({
    name: 'speech',
    needs: [],
    provides: ['speech'],
    build: (rt) => {
      const zh = opts.engines ? { engine: opts.engines.zh, reason: 'no Chinese voice' } : detectTts('zh');
      const en = opts.engines ? { engine: opts.engines.en, reason: 'no English voice' } : detectTts('en');
      if (!zh.engine) rt.log.info({ reason: zh.reason }, 'read-aloud unavailable on this terminal');
      let latest = 0;
      return {
        provides: { speech: { tts: Boolean(zh.engine) } },
        handlers: {
          'kiosk.speak': async ({ text, lang }) => {
            const engine = (lang === 'en' ? en.engine : null) ?? zh.engine;
            if (!engine) throw new ApiError('unavailable', 'no speech engine on this terminal');
            const id = ++latest;
            let wav: Buffer;
            try {
              wav = await engine.synthesize(text);
            } catch (err) {
              rt.log.warn({ err: (err as Error).message }, 'speech synthesis failed');
              throw new ApiError('unavailable', 'speech synthesis failed on this terminal');
            }
            if (id !== latest) return { queued: false };
            rt.hub.emit('kiosk.speech', { id, mime: 'audio/wav', audio: wav.toString('base64') });
            return { queued: true };
          },
        },
      };
    },
  });
}
