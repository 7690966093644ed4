/**
 * Runs on the audio thread: takes the microphone at the device's rate (48 kHz usually),
 * mixes to mono, resamples to 16 kHz and posts 20 ms frames of int16 to the page.
 * Averaging the source samples that fall in each output sample is a box low-pass: enough
 * against aliasing for speech, which has little energy above 4 kHz.
 */
const OUT_RATE = 16_000;
const FRAME = 320;

declare const sampleRate: number;
declare class AudioWorkletProcessor {
  readonly port: MessagePort;
}
declare function registerProcessor(name: string, ctor: new () => AudioWorkletProcessor): void;

class MicResampler extends AudioWorkletProcessor {
  private readonly step = sampleRate / OUT_RATE;
  /** Position of the next output sample, in input samples from the start of the current block. */
  private pos = 0;
  private sum = 0;
  private count = 0;
  private frame = new Int16Array(FRAME);
  private filled = 0;

  process(inputs: Float32Array[][]): boolean {
    const channels = inputs[0];
    if (!channels || channels.length === 0) return true;
    const n = channels[0].length;
    for (let i = 0; i < n; i++) {
      let v = 0;
      for (const ch of channels) v += ch[i];
      this.sum += v / channels.length;
      this.count++;
      if (i + 1 >= this.pos) {
        this.emit(this.sum / this.count);
        this.sum = 0;
        this.count = 0;
        this.pos += this.step;
      }
    }
    this.pos -= n;
    return true;
  }

  private emit(sample: number): void {
    this.frame[this.filled++] = Math.max(-32768, Math.min(32767, Math.round(sample * 32768)));
    if (this.filled === FRAME) {
      this.port.postMessage(this.frame, [this.frame.buffer]);
      this.frame = new Int16Array(FRAME);
      this.filled = 0;
    }
  }
}

registerProcessor('mic-resampler', MicResampler);
