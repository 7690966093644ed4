/** The ears' engines as pipeline stages: the keyword spotter as the wake stage, Silero as the VAD stage, vosk as recognition. */
import type { KeywordSpotter } from './kws.ts';
import type { SttStage, VadStage, WakeStage } from './pipeline.ts';
import type { VoiceActivity } from './vad.ts';
import type { SpeechToText } from './vosk.ts';
import { float32ToInt16 } from './wav.ts';

export function kwsStage(kws: KeywordSpotter): WakeStage {
  return {
    name: 'sherpa-onnx-kws',
    accept: (frame) =>
      kws.accept(frame).map(({ text, kind, check }) => ({
        text,
        kind,
        // Distances only: the units heard are the visitor's speech and stay out of the trace.
        ...(check && { check: { engine: 'sherpa-onnx-free-decode', ms: check.ms, result: `confirmed ${text}: distance ${check.distance}${check.rival ? `, nearest rival ${check.rival.distance}` : ''}` } }),
      })),
    reset: () => kws.reset(),
  };
}

export function vadStage(va: VoiceActivity): VadStage {
  return { name: 'silero-vad-v5', push: (frame, hangMs) => va.push(frame, hangMs), reset: () => va.reset() };
}

/**
 * vosk as the recognition stage. vosk may decide an utterance ended inside what the VAD
 * still counts as one (a pause mid-question); those pieces are kept so the visitor's whole
 * question reaches understanding, not only its last clause.
 */
export function voskStage(engine: SpeechToText): SttStage {
  const rec = engine.recognizer();
  let pieces: string[] = [];
  return {
    name: engine.model,
    accept: (frame) => {
      if (rec.acceptWaveform(float32ToInt16(frame))) {
        const { text } = rec.final();
        if (text) pieces.push(text);
      }
    },
    finish: async () => {
      const { text } = rec.final();
      const all = [...pieces, text].filter(Boolean).join('');
      pieces = [];
      return all;
    },
    reset: () => {
      rec.reset();
      pieces = [];
    },
  };
}
