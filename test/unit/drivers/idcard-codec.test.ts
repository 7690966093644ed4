import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  FrameDecoder,
  PREAMBLE,
  decodeCardPayload,
  encodeCardPayload,
  encodeCommand,
  encodeResponse,
  formatSamId,
  parseResponse,
  xor,
  type DecodeResult,
} from '../../../drivers/idcard/codec.ts';
import {
  CardAccessError,
  ChecksumError,
  FrameLengthError,
  IdCardError,
  NoCardError,
  ProtocolError,
  RequestRejectedError,
  SamError,
  CardAuthenticationError,
  NoContentError,
  UnknownStatusError,
  statusError,
} from '../../../drivers/idcard/errors.ts';

const hex = (s: string) => Uint8Array.from(s.trim().split(/\s+/).map((b) => parseInt(b, 16)));
const frames = (results: DecodeResult[]) => results.filter((r) => r.ok).map((r) => (r.ok ? r.frame : null)!);

describe('request frames', () => {
  it.each([
    ['resetSam', 'AA AA AA 96 69 00 03 10 FF EC'],
    ['samStatus', 'AA AA AA 96 69 00 03 11 FF ED'],
    ['samId', 'AA AA AA 96 69 00 03 12 FF EE'],
    ['findCard', 'AA AA AA 96 69 00 03 20 01 22'],
    ['selectCard', 'AA AA AA 96 69 00 03 20 02 21'],
    ['readTextPhoto', 'AA AA AA 96 69 00 03 30 01 32'],
    ['readTextPhotoFingerprint', 'AA AA AA 96 69 00 03 30 10 23'],
    ['readAdditionalAddress', 'AA AA AA 96 69 00 03 30 03 30'],
  ] as const)('%s encodes to the documented bytes', (name, bytes) => {
    expect(encodeCommand(name)).toEqual(hex(bytes));
  });
});

describe('response frames', () => {
  it.each([
    ['status OK', 0x90, 0, 'AA AA AA 96 69 00 04 00 00 90 94'],
    ['find OK', 0x9f, 4, 'AA AA AA 96 69 00 08 00 00 9F 00 00 00 00 97'],
    ['no card', 0x80, 0, 'AA AA AA 96 69 00 04 00 00 80 84'],
    ['select OK', 0x90, 8, 'AA AA AA 96 69 00 0C 00 00 90 00 00 00 00 00 00 00 00 9C'],
    ['select failed', 0x81, 0, 'AA AA AA 96 69 00 04 00 00 81 85'],
    ['read failed', 0x41, 0, 'AA AA AA 96 69 00 04 00 00 41 45'],
  ])('%s matches the documented bytes', (_label, sw3, n, bytes) => {
    expect(encodeResponse(sw3, new Uint8Array(n))).toEqual(hex(bytes));
  });

  it('a text+photo answer is 1295 bytes with LEN 0x0508, with fingerprint 2321 bytes with LEN 0x090A', () => {
    const payload = { text: new Uint8Array(256), photo: new Uint8Array(1024), fingerprint: new Uint8Array(1024) };
    const a = encodeResponse(0x90, encodeCardPayload(payload, false));
    expect(a.length).toBe(1295);
    expect([a[5], a[6]]).toEqual([0x05, 0x08]);
    const b = encodeResponse(0x90, encodeCardPayload(payload, true));
    expect(b.length).toBe(2321);
    expect([b[5], b[6]]).toEqual([0x09, 0x0a]);
  });

  it('card payload round-trips, with and without fingerprint', () => {
    const text = Uint8Array.from({ length: 256 }, (_, i) => i);
    const photo = Uint8Array.from({ length: 1024 }, (_, i) => (i * 7) & 0xff);
    const fingerprint = Uint8Array.from({ length: 1024 }, (_, i) => (i * 3) & 0xff);
    expect(decodeCardPayload(encodeCardPayload({ text, photo, fingerprint }, true), true)).toEqual({ text, photo, fingerprint });
    expect(decodeCardPayload(encodeCardPayload({ text, photo, fingerprint }, false), false)).toEqual({ text, photo, fingerprint: null });
    // A card without fingerprint: length 00 00, blank area still sent.
    const none = encodeCardPayload({ text, photo, fingerprint: null }, true);
    expect([none[4], none[5]]).toEqual([0, 0]);
    expect(decodeCardPayload(none, true).fingerprint).toBeNull();
  });

  it('formats the SAM id', () => {
    const data = Uint8Array.of(5, 0, 1, 0, 0x40, 0xe2, 0x01, 0x00, 0x15, 0xcd, 0x5b, 0x07, 0x01, 0, 0, 0);
    expect(formatSamId(data)).toBe('5.1-123456-0123456789-0000000001');
  });
});

describe('FrameDecoder', () => {
  const ok = encodeResponse(0x90);
  const find = encodeResponse(0x9f, new Uint8Array(4));

  it('decodes back-to-back frames and frames split byte by byte', () => {
    const d = new FrameDecoder();
    expect(frames(d.push(new Uint8Array([...ok, ...find]))).map((f) => parseResponse(f).sw3)).toEqual([0x90, 0x9f]);
    const got: number[] = [];
    for (const b of find) got.push(...frames(d.push(Uint8Array.of(b))).map((f) => parseResponse(f).sw3));
    expect(got).toEqual([0x9f]);
    expect(d.pending).toBe(0);
  });

  it('skips noise before the preamble and counts it', () => {
    const d = new FrameDecoder();
    const [r] = d.push(new Uint8Array([0x00, 0xaa, 0x13, 0xaa, 0xaa, ...ok]));
    expect(r.ok && r.frame.skipped).toBe(5);
  });

  it('reports a checksum error and still finds the next frame', () => {
    const bad = Uint8Array.from(ok);
    bad[bad.length - 1] ^= 1;
    const results = new FrameDecoder().push(new Uint8Array([...bad, ...find]));
    expect(results[0]).toMatchObject({ ok: false });
    expect(!results[0].ok && results[0].error).toBeInstanceOf(ChecksumError);
    expect(frames(results).map((f) => parseResponse(f).sw3)).toEqual([0x9f]);
  });

  it('rejects implausible lengths and resynchronises', () => {
    const results = new FrameDecoder().push(new Uint8Array([...PREAMBLE, 0xff, 0xff, ...ok]));
    expect(!results[0].ok && results[0].error).toBeInstanceOf(FrameLengthError);
    expect(frames(results)).toHaveLength(1);
  });

  it('recovers a frame hidden behind a truncated one', () => {
    const big = encodeResponse(0x90, new Uint8Array(1200));
    const d = new FrameDecoder();
    expect(frames(d.push(new Uint8Array([...big.subarray(0, 20), ...ok])))).toHaveLength(0);
    // The line went quiet: give up the partial frame.
    expect(frames(d.resync()).map((f) => parseResponse(f).sw3)).toEqual([0x90]);
  });

  it('keeps a preamble split across chunks', () => {
    const d = new FrameDecoder();
    expect(d.push(Uint8Array.of(0x01, 0xaa, 0xaa))).toEqual([]);
    expect(frames(d.push(ok.subarray(2)))).toHaveLength(1);
  });
});

describe('status errors', () => {
  it.each([
    [0x80, NoCardError],
    [0x81, CardAccessError],
    [0x41, CardAccessError],
    [0x40, CardAccessError],
    [0x31, CardAuthenticationError],
    [0x33, CardAuthenticationError],
    [0x60, SamError],
    [0x66, SamError],
    [0x10, RequestRejectedError],
    [0x24, RequestRejectedError],
    [0x91, NoContentError],
    [0x55, UnknownStatusError],
  ])('SW3 0x%s maps to its family', (sw3, cls) => {
    const err = statusError(sw3);
    expect(err).toBeInstanceOf(cls);
    expect(err.sw3).toBe(sw3);
    expect(err.message).toMatch(/SW3 0x/);
  });
});

describe('decoder fuzzing', () => {
  const anyFrame = fc
    .tuple(fc.integer({ min: 0, max: 255 }), fc.uint8Array({ maxLength: 300 }))
    .map(([sw3, data]) => encodeResponse(sw3, data));

  it('random bytes yield only typed protocol errors or frames, and never hang', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 200 }), { maxLength: 20 }), (chunks) => {
        const d = new FrameDecoder();
        for (const c of chunks) {
          for (const r of [...d.push(c), ...d.resync()]) {
            if (!r.ok) expect(r.error).toBeInstanceOf(ProtocolError);
            else expect(xor(r.frame.body) >= 0).toBe(true);
          }
        }
        // Draining terminates: every resync consumes at least one byte.
        let guard = 0;
        while (d.pending > 0 && guard++ < 10_000) d.resync();
        expect(d.pending).toBe(0);
      }),
      { numRuns: 300 },
    );
  });

  it('mutated frames: a frame behind noise is still decoded, flipped frames fail typed', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 64 }),
        anyFrame,
        anyFrame,
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        (noise, mutated, good, pos, flip) => {
          const m = Uint8Array.from(mutated);
          m[5 + (pos % (m.length - 5))] ^= flip;
          const d = new FrameDecoder();
          const results = d.push(new Uint8Array([...noise, ...m, ...good]));
          const drained = [...results];
          let guard = 0;
          while (d.pending > 0 && guard++ < 10_000) drained.push(...d.resync());
          for (const r of drained) if (!r.ok) expect(r.error).toBeInstanceOf(IdCardError);
          // The intact frame at the end is always recovered.
          const last = frames(drained).at(-1);
          expect(last && parseResponse(last).data).toEqual(good.subarray(10, good.length - 1));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('decodeCardPayload on random data throws only protocol errors', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2400 }), fc.boolean(), (data, fp) => {
        try {
          decodeCardPayload(data, fp);
        } catch (err) {
          expect(err).toBeInstanceOf(ProtocolError);
        }
      }),
    );
  });
});
