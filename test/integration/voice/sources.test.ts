import { describe, expect, it } from 'vitest';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { arecordSource, AudioSourceError, wavFileSource, type AudioSource } from '../../../models/voice/sources.ts';
import { encodeWav } from '../../../models/voice/wav.ts';

const fresh = () => mkdtempSync(join(tmpdir(), 'xj-src-'));

async function frames(src: AudioSource, max = Infinity): Promise<Int16Array[]> {
  const out: Int16Array[] = [];
  for await (const f of src) {
    out.push(f);
    if (out.length >= max) await src.close();
  }
  return out;
}

/** A program standing in for arecord on a machine without ALSA: records its arguments, then runs the body. */
function fakeArecord(body: string): { bin: string; argsFile: string } {
  const dir = fresh();
  const bin = join(dir, 'arecord');
  const argsFile = join(dir, 'args');
  writeFileSync(bin, `#!/bin/sh\necho "$@" > ${argsFile}\n${body}\n`);
  chmodSync(bin, 0o755);
  return { bin, argsFile };
}

describe('audio sources', () => {
  it('reads a WAV file as fixed-size frames, the last padded with silence', async () => {
    const pcm = Int16Array.from({ length: 1300 }, (_, i) => (i % 200) - 100);
    const file = join(fresh(), 'a.wav');
    writeFileSync(file, encodeWav(pcm));
    const got = await frames(wavFileSource(file, { frameSamples: 512 }));
    expect(got.map((f) => f.length)).toEqual([512, 512, 512]);
    expect(Array.from(got[2].subarray(0, 276))).toEqual(Array.from(pcm.subarray(1024)));
    expect(got[2].subarray(276).every((v) => v === 0)).toBe(true);
  });

  it('stops a WAV file at close()', async () => {
    const file = join(fresh(), 'a.wav');
    writeFileSync(file, encodeWav(new Int16Array(16000)));
    expect(await frames(wavFileSource(file), 3)).toHaveLength(3);
  });

  it('refuses a WAV that is not 16 kHz, saying how to convert it', async () => {
    const file = join(fresh(), 'b.wav');
    writeFileSync(file, encodeWav(new Int16Array(100), 44100));
    const err = await frames(wavFileSource(file)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AudioSourceError);
    expect(err).toMatchObject({ code: 'unreadable' });
    expect((err as Error).message).toContain('sampled at 44100 Hz, 16000 Hz is needed; resample it: sox');
  });

  it('says arecord is not installed when it is not', async () => {
    const err = await frames(arecordSource({ binary: join(fresh(), 'arecord') })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AudioSourceError);
    expect(err).toMatchObject({ code: 'not-installed' });
    expect((err as Error).message).toMatch(/arecord is not installed; host capture needs ALSA's arecord \(apt-get install alsa-utils\)/);
  });

  it('reports arecord stopping early with what it said (a busy device)', async () => {
    const { bin } = fakeArecord(`echo 'arecord: main:834: audio open error: Device or resource busy' >&2\nexit 1`);
    const err = await frames(arecordSource({ binary: bin })).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'exited' });
    expect((err as Error).message).toMatch(/stopped before it was closed \(exit 1\): arecord: main:834: audio open error: Device or resource busy$/);
  });

  it('frames the raw 16 kHz stream it asks arecord for, and stops it at close()', async () => {
    // sox writes what arecord would: raw signed 16-bit little-endian mono at 16 kHz, without end.
    const { bin, argsFile } = fakeArecord('exec sox -n -t raw -r 16000 -c 1 -b 16 -e signed-integer -L - synth 600 sine 440 vol 0.5');
    const got = await frames(arecordSource({ binary: bin, frameSamples: 160, device: 'plughw:1,0' }), 50);
    expect(got).toHaveLength(50);
    expect(got.every((f) => f.length === 160)).toBe(true);
    expect(Math.max(...got[10])).toBeGreaterThan(10000);
    expect(readFileSync(argsFile, 'utf8').trim()).toBe('-q -f S16_LE -r 16000 -c 1 -t raw -D plughw:1,0');
  });
});
