/**
 * The technician's diagnostic capture: what the robot's microphone delivered, as 16 kHz
 * WAV files in one folder, owner-readable only. Off unless the hall's configuration turns
 * it on (robot.voice.capture.enabled); it stops for good once the folder's cap is reached,
 * so a capture left on cannot fill the disk. Nothing else in the voice path writes audio.
 */
import { closeSync, mkdirSync, openSync, readdirSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { OWNER_ONLY } from '../../common/private-files.ts';
import { encodeWav } from './wav.ts';

/** A WAV header for a stream of unknown length: readers take the data chunk to the file's end. */
function streamingHeader(): Buffer {
  const b = encodeWav(new Int16Array(0));
  b.writeUInt32LE(0xffffffff, 4);
  b.writeUInt32LE(0xffffffff, 40);
  return b;
}

export class AudioCapture {
  private fd: number | null = null;
  private used: number;
  private full = false;

  constructor(
    readonly dir: string,
    private readonly maxBytes: number,
    private readonly onFull: (bytes: number) => void = () => {},
  ) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    // Earlier captures count against the cap: it bounds the folder, not one run.
    this.used = readdirSync(dir).reduce((n, f) => n + statSync(join(dir, f)).size, 0);
  }

  /** Bytes in the capture folder. */
  get bytes(): number {
    return this.used;
  }

  /** Appends one frame; false once the cap stops the capture. */
  write(pcm: Int16Array): boolean {
    if (this.full) return false;
    const data = Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength);
    if (this.used + data.length + (this.fd === null ? 44 : 0) > this.maxBytes) {
      this.full = true;
      this.close();
      this.onFull(this.used);
      return false;
    }
    if (this.fd === null) {
      this.fd = openSync(join(this.dir, `capture-${new Date().toISOString().replace(/[:.]/g, '-')}.wav`), 'wx', OWNER_ONLY);
      this.used += writeSync(this.fd, streamingHeader());
    }
    this.used += writeSync(this.fd, data);
    return true;
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}
