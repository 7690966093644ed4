/**
 * Playing the spoken answer where the visitor hears it (the robot page's speakers): each
 * WAV is handed to `send` and counted as heard after its own duration, so the pipeline
 * knows when to start the follow-up window; stop() ends the wait at once and tells the
 * player to cut the sound (barge-in).
 */
import { wavDurationMs } from '../speech/tts.ts';
import type { AudioSink } from './pipeline.ts';

export class PacedSink implements AudioSink {
  private current: { timer: ReturnType<typeof setTimeout>; done: () => void } | null = null;

  constructor(
    private readonly send: (wav: Buffer, caption: string) => void,
    private readonly cut: () => void = () => {},
  ) {}

  play(wav: Buffer, caption: string): Promise<void> {
    this.end();
    this.send(wav, caption);
    return new Promise((resolve) => {
      const done = () => {
        this.current = null;
        resolve();
      };
      this.current = { timer: setTimeout(done, wavDurationMs(wav)), done };
    });
  }

  get playing(): boolean {
    return this.current !== null;
  }

  stop(): void {
    if (this.end()) this.cut();
  }

  private end(): boolean {
    const c = this.current;
    if (!c) return false;
    clearTimeout(c.timer);
    c.done();
    return true;
  }
}
