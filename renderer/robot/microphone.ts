/**
 * The robot page's microphone: asked for once, resampled to 16 kHz mono on the audio
 * thread (mic-worklet.ts) and sent to the host frame by frame over the API bridge.
 * A refusal is remembered and explained; the robot keeps working by touch.
 */
import workletUrl from './mic-worklet.ts?worker&url';
import type { KioskBridge } from '../../protocol/ui/contract.ts';

export type MicState = { kind: 'off' } | { kind: 'on'; sent: number; dropped: number } | { kind: 'denied' | 'unavailable'; reason: string };

export interface Microphone {
  stop(): void;
}

export async function startMicrophone(bridge: KioskBridge, onState: (s: MicState) => void): Promise<Microphone> {
  if (!bridge.audio) {
    onState({ kind: 'unavailable', reason: 'no-transport' });
    return { stop() {} };
  }
  if (!navigator.mediaDevices?.getUserMedia) {
    onState({ kind: 'unavailable', reason: 'no-microphone-api' });
    return { stop() {} };
  }
  let stream: MediaStream;
  try {
    // The pipeline does its own voice detection; the browser's processing would fight it, except echo cancellation of the robot's own voice.
    stream = await navigator.mediaDevices.getUserMedia({ audio: { channelCount: 1, echoCancellation: true, noiseSuppression: false, autoGainControl: false } });
  } catch (err) {
    const name = err instanceof DOMException ? err.name : '';
    onState(name === 'NotAllowedError' || name === 'SecurityError' ? { kind: 'denied', reason: name } : { kind: 'unavailable', reason: name || String(err) });
    return { stop() {} };
  }
  const ctx = new AudioContext();
  await ctx.audioWorklet.addModule(workletUrl);
  const source = ctx.createMediaStreamSource(stream);
  const node = new AudioWorkletNode(ctx, 'mic-resampler', { numberOfInputs: 1, numberOfOutputs: 0 });
  let sent = 0;
  let dropped = 0;
  let lastReport = 0;
  node.port.onmessage = (ev: MessageEvent<Int16Array>) => {
    if (bridge.audio!(ev.data)) sent++;
    else dropped++;
    // A few reports a second are enough for the screen.
    if (sent + dropped - lastReport >= 10) {
      lastReport = sent + dropped;
      onState({ kind: 'on', sent, dropped });
    }
  };
  source.connect(node);
  // Autoplay policy may start the context suspended until the first touch.
  if (ctx.state === 'suspended') document.addEventListener('pointerdown', () => void ctx.resume(), { once: true });
  onState({ kind: 'on', sent, dropped });
  return {
    stop() {
      node.port.onmessage = null;
      source.disconnect();
      for (const t of stream.getTracks()) t.stop();
      void ctx.close();
    },
  };
}
