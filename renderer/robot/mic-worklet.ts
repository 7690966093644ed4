/**
 * Runs on the audio thread: takes the microphone at the device's rate (48 kHz usually),
 * mixes to mono, low-pass filters and resamples to 16 kHz (resample.ts) and posts 20 ms
 * frames of int16 to the page.
 */
import { Resampler, toInt16 } from './resample.ts';

const FRAME = 320;

declare const sampleRate: number;
declare class AudioWorkletProcessor {
  readonly port: MessagePort;
}
declare function registerProcessor(name: string, ctor: new () => AudioWorkletProcessor): void;

class MicResampler extends AudioWorkletProcessor {
  private readonly resampler = new Resampler(sampleRate);
  private frame = new Int16Array(FRAME);
  private filled = 0;

  process(inputs: Float32Array[][]): boolean {
    const channels = inputs[0];
    if (!channels || channels.length === 0) return true;
    let mono = channels[0];
    if (channels.length > 1) {
      mono = new Float32Array(mono.length);
      for (const ch of channels) for (let i = 0; i < ch.length; i++) mono[i] += ch[i] / channels.length;
    }
    for (const sample of this.resampler.push(mono)) {
      this.frame[this.filled++] = toInt16(sample);
      if (this.filled === FRAME) {
        this.port.postMessage(this.frame, [this.frame.buffer]);
        this.frame = new Int16Array(FRAME);
        this.filled = 0;
      }
    }
    return true;
  }
}

registerProcessor('mic-resampler', MicResampler);
