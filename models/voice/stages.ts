/** The ears' engines as pipeline stages: the keyword spotter as the wake stage, Silero as the VAD stage. */
import type { KeywordSpotter } from './kws.ts';
import type { VadStage, WakeStage } from './pipeline.ts';
import type { VoiceActivity } from './vad.ts';

export function kwsStage(kws: KeywordSpotter): WakeStage {
  return {
    name: 'sherpa-onnx-kws',
    accept: (frame) => kws.accept(frame).map(({ text, kind }) => ({ text, kind })),
    reset: () => kws.reset(),
  };
}

export function vadStage(va: VoiceActivity): VadStage {
  return { name: 'silero-vad-v5', push: (frame) => va.push(frame), reset: () => va.reset() };
}
