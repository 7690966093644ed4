import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AudioCapture } from '../../../models/voice/capture.ts';
import { decodeSpeechWav } from '../../../models/voice/wav.ts';

const frame = (v: number) => new Int16Array(320).fill(v);

describe('diagnostic voice capture', () => {
  it('writes the frames as a 16 kHz WAV readable by the voice tools, for its owner only', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'xj-capture-')), 'voice-capture');
    const capture = new AudioCapture(dir, 1_000_000);
    expect(capture.write(frame(100))).toBe(true);
    expect(capture.write(frame(-200))).toBe(true);
    capture.close();
    const [file] = readdirSync(dir);
    expect(file).toMatch(/^capture-.*\.wav$/);
    expect(statSync(join(dir, file)).mode & 0o777).toBe(0o600);
    const pcm = decodeSpeechWav(readFileSync(join(dir, file)));
    expect([pcm.length, pcm[0], pcm[639]]).toEqual([640, 100, -200]);
  });

  it('stops for good at its cap, counting captures already in the folder', () => {
    const dir = mkdtempSync(join(tmpdir(), 'xj-capture-'));
    writeFileSync(join(dir, 'capture-earlier.wav'), Buffer.alloc(2000));
    let stoppedAt = 0;
    const capture = new AudioCapture(dir, 3500, (bytes) => (stoppedAt = bytes));
    expect(capture.write(frame(1))).toBe(true); // 44 + 640 bytes
    expect(capture.write(frame(1))).toBe(true);
    expect(capture.write(frame(1))).toBe(false);
    expect(capture.write(frame(1))).toBe(false);
    expect(stoppedAt).toBe(2000 + 44 + 1280);
    const total = readdirSync(dir).reduce((n, f) => n + statSync(join(dir, f)).size, 0);
    expect(total).toBeLessThanOrEqual(3500);
  });
});
