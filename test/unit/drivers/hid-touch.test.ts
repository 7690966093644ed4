import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  HidDescriptorError,
  parseItems,
  parseReportDescriptor,
  usage,
  writeFieldValue,
} from '../../../drivers/hid/descriptor.ts';
import { TouchFrameAssembler, TouchLayoutError, parseTouchReport, touchLayout, type TouchLayout } from '../../../drivers/touch/digitizer.ts';
import { CalibrationError, createCalibration } from '../../../drivers/touch/calibration.ts';
import { TouchScreen, type TouchPoint } from '../../../drivers/touch/touchscreen.ts';
import { ManualHidSource } from '../../../drivers/hid/transport.ts';

/** A multi-touch screen descriptor in the shape Windows-certified panels use. */
function touchDescriptor(fingers: number): Uint8Array {
  const finger = [
    0x05, 0x0d, // usage page digitizer
    0x09, 0x22, // usage finger
    0xa1, 0x02, // collection logical
    0x09, 0x42, 0x15, 0x00, 0x25, 0x01, 0x75, 0x01, 0x95, 0x01, 0x81, 0x02, // tip switch
    0x09, 0x47, 0x81, 0x02, // confidence
    0x95, 0x06, 0x81, 0x03, // 6 bits padding
    0x75, 0x08, 0x95, 0x01, 0x25, 0x7f, 0x09, 0x51, 0x81, 0x02, // contact id
    0xa4, // push
    0x05, 0x01, 0x26, 0xff, 0x0f, 0x75, 0x10, 0x55, 0x0e, 0x65, 0x11, // generic desktop, 0…4095, 16 bits, 10^-2 cm
    0x35, 0x00, 0x46, 0xb5, 0x04, 0x09, 0x30, 0x81, 0x02, // X, physical 0…1205
    0x46, 0x8a, 0x03, 0x09, 0x31, 0x81, 0x02, // Y, physical 0…906
    0xb4, // pop
    0xc0,
  ];
  return Uint8Array.from([
    0x05, 0x0d, 0x09, 0x04, 0xa1, 0x01, 0x85, 0x01,
    ...Array.from({ length: fingers }, () => finger).flat(),
    0x05, 0x0d, 0x09, 0x54, 0x25, 0x7f, 0x75, 0x08, 0x95, 0x01, 0x81, 0x02, // contact count
    0x09, 0x56, 0x27, 0xff, 0xff, 0x00, 0x00, 0x75, 0x10, 0x81, 0x02, // scan time
    0x85, 0x02, 0x09, 0x55, 0x25, 0x0a, 0x75, 0x08, 0x95, 0x01, 0xb1, 0x02, // contact count maximum (feature)
    0xc0,
  ]);
}

interface C {
  id: number;
  tip: boolean;
  x: number;
  y: number;
  confidence?: boolean;
}

function touchReport(layout: TouchLayout, contacts: C[], count = contacts.length, scanTime = 100): Uint8Array {
  const r = new Uint8Array(layout.length);
  r[0] = layout.reportId;
  const data = r.subarray(1);
  contacts.forEach((c, i) => {
    const s = layout.slots[i];
    writeFieldValue(data, s.tip.field, s.tip.index, c.tip ? 1 : 0);
    if (s.confidence) writeFieldValue(data, s.confidence.field, s.confidence.index, c.confidence === false ? 0 : 1);
    if (s.contactId) writeFieldValue(data, s.contactId.field, s.contactId.index, c.id);
    writeFieldValue(data, s.x.ref.field, s.x.ref.index, c.x);
    writeFieldValue(data, s.y.ref.field, s.y.ref.index, c.y);
  });
  if (layout.contactCount) writeFieldValue(data, layout.contactCount.field, layout.contactCount.index, count);
  if (layout.scanTime) writeFieldValue(data, layout.scanTime.field, layout.scanTime.index, scanTime);
  return r;
}

describe('HID report descriptor parser', () => {
  it('lexes short items with sizes and signedness', () => {
    const items = parseItems(Uint8Array.of(0x05, 0x0d, 0x15, 0x81, 0x26, 0xff, 0x0f, 0xc0, 0x27, 0xff, 0xff, 0xff, 0xff));
    expect(items.map((i) => [i.type, i.tag, i.size])).toEqual([
      ['global', 0, 1],
      ['global', 1, 1],
      ['global', 2, 2],
      ['main', 0xc, 0],
      ['global', 2, 4],
    ]);
    expect(items[1].signed).toBe(-127);
    expect(items[2].data).toBe(4095);
    expect(items[4].data).toBe(0xffffffff);
  });

  it('parses collections, report ids, fields and ranges', () => {
    const d = parseReportDescriptor(touchDescriptor(2));
    expect(d.numbered).toBe(true);
    expect(d.reportIds).toEqual([1, 2]);
    expect(d.collections.map((c) => [c.type, c.usage.toString(16)])).toEqual([
      [1, 'd0004'],
      [2, 'd0022'],
      [2, 'd0022'],
    ]);
    const x = d.fields.find((f) => f.usages[0] === usage(0x01, 0x30))!;
    expect(x).toMatchObject({ bitOffset: 16, bitSize: 16, logicalMinimum: 0, logicalMaximum: 4095, physicalMaximum: 1205, unitExponent: -2, unit: 0x11 });
    // Pop restored the digitizer page: the second finger's tip switch is still 0x0D/0x42.
    expect(d.fields.filter((f) => f.usages[0] === usage(0x0d, 0x42))).toHaveLength(2);
    // Per finger 1+1+2+2 bytes, then count (1) and scan time (2), plus the id byte.
    expect(d.reportLength('input', 1)).toBe(1 + 2 * 6 + 3);
    expect(d.reportLength('feature', 2)).toBe(2);
    // Scan time's 4-byte unsigned maximum is kept unsigned.
    expect(d.fields.find((f) => f.usages[0] === usage(0x0d, 0x56))!.logicalMaximum).toBe(65535);
  });

  it.each([
    ['a truncated item', [0x26, 0xff]],
    ['pop without push', [0xb4]],
    ['end collection without collection', [0xc0]],
    ['an unclosed collection', [0x09, 0x04, 0xa1, 0x01]],
    ['a report size beyond 32 bits', [0x75, 0x40]],
  ])('rejects %s with HidDescriptorError', (_label, bytes) => {
    expect(() => parseReportDescriptor(Uint8Array.from(bytes))).toThrow(HidDescriptorError);
  });

  it('fuzz: random and mutated descriptors parse or fail with HidDescriptorError', () => {
    const good = touchDescriptor(2);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.nat(), fc.integer({ min: 1, max: 255 }), (random, pos, flip) => {
        const mutated = Uint8Array.from(good);
        mutated[pos % mutated.length] ^= flip;
        for (const bytes of [random, mutated]) {
          try {
            const d = parseReportDescriptor(bytes);
            expect(Array.isArray(d.fields)).toBe(true);
          } catch (err) {
            expect(err).toBeInstanceOf(HidDescriptorError);
          }
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('multi-touch digitizer reports', () => {
  const layout = touchLayout(touchDescriptor(2));

  it('derives the layout from the descriptor', () => {
    expect(layout.reportId).toBe(1);
    expect(layout.slots).toHaveLength(2);
    expect(layout.slots[1].x.logicalMaximum).toBe(4095);
    expect(layout.length).toBe(16);
  });

  it('parses contacts, tip switch, contact count and scan time', () => {
    const r = touchReport(layout, [
      { id: 3, tip: true, x: 1000, y: 2000 },
      { id: 7, tip: false, x: 4095, y: 0 },
    ]);
    expect(parseTouchReport(layout, r)).toEqual({
      reportId: 1,
      contactCount: 2,
      scanTime: 100,
      contacts: [
        { id: 3, tip: true, confidence: true, x: 1000, y: 2000, nx: 1000 / 4095, ny: 2000 / 4095 },
        { id: 7, tip: false, confidence: true, x: 4095, y: 0, nx: 1, ny: 0 },
      ],
    });
  });

  it('ignores other report ids and short reports', () => {
    expect(parseTouchReport(layout, Uint8Array.of(2, 10))).toBeNull();
    expect(parseTouchReport(layout, Uint8Array.of(1, 0, 0))).toBeNull();
  });

  it('joins hybrid-mode frames spread over several reports', () => {
    const asm = new TouchFrameAssembler(2);
    const first = parseTouchReport(layout, touchReport(layout, [{ id: 1, tip: true, x: 1, y: 1 }, { id: 2, tip: true, x: 2, y: 2 }], 3))!;
    expect(asm.push(first)).toBeNull();
    const second = parseTouchReport(layout, touchReport(layout, [{ id: 3, tip: true, x: 3, y: 3 }], 0))!;
    expect(asm.push(second)!.map((c) => c.id)).toEqual([1, 2, 3]);
  });

  it('rejects a descriptor without a touch screen', () => {
    expect(() => touchLayout(Uint8Array.of(0x05, 0x01, 0x09, 0x02, 0xa1, 0x01, 0xc0))).toThrow(TouchLayoutError);
  });

  it('fuzz: random reports never throw', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), (bytes) => {
        const r = parseTouchReport(layout, bytes);
        if (r) expect(r.contacts.length).toBeLessThanOrEqual(2);
      }),
    );
  });
});

describe('4-point calibration', () => {
  const points = [
    { raw: { x: 200, y: 300 }, screen: { x: 0, y: 0 } },
    { raw: { x: 3900, y: 300 }, screen: { x: 1920, y: 0 } },
    { raw: { x: 3900, y: 3800 }, screen: { x: 1920, y: 1080 } },
    { raw: { x: 200, y: 3800 }, screen: { x: 0, y: 1080 } },
  ];

  it('maps the calibration points exactly and interpolates between them', () => {
    const map = createCalibration({ points });
    for (const p of points) {
      const s = map(p.raw);
      expect(s.x).toBeCloseTo(p.screen.x, 6);
      expect(s.y).toBeCloseTo(p.screen.y, 6);
    }
    const mid = map({ x: 2050, y: 2050 });
    expect(mid.x).toBeCloseTo(960, 6);
    expect(mid.y).toBeCloseTo(540, 6);
  });

  it('handles a mirrored, keystoned panel', () => {
    const skewed = [
      { raw: { x: 4000, y: 100 }, screen: { x: 0, y: 0 } },
      { raw: { x: 150, y: 60 }, screen: { x: 1080, y: 0 } },
      { raw: { x: 90, y: 4050 }, screen: { x: 1080, y: 1920 } },
      { raw: { x: 3950, y: 3990 }, screen: { x: 0, y: 1920 } },
    ];
    const map = createCalibration({ points: skewed });
    for (const p of skewed) expect(map(p.raw).x).toBeCloseTo(p.screen.x, 5);
  });

  it('rejects degenerate points', () => {
    const line = points.map((p, i) => ({ raw: { x: i * 100, y: i * 100 }, screen: p.screen }));
    expect(() => createCalibration({ points: line })).toThrow(CalibrationError);
    expect(() => createCalibration({ points: points.slice(0, 3) })).toThrow(/4 points/);
  });
});

describe('TouchScreen', () => {
  it('emits down, move and up in screen coordinates through the report source seam', () => {
    const source = new ManualHidSource();
    const desc = touchDescriptor(2);
    const screen = new TouchScreen(source, { descriptor: desc, screen: { width: 1920, height: 1080 } });
    const layout = screen.layout;
    const got: TouchPoint[][] = [];
    screen.on('touch', (p) => got.push(p));
    source.feed(touchReport(layout, [{ id: 5, tip: true, x: 0, y: 4095 }]));
    source.feed(touchReport(layout, [{ id: 5, tip: true, x: 4095, y: 4095 }]));
    source.feed(touchReport(layout, [{ id: 5, tip: false, x: 4095, y: 4095 }]));
    expect(got).toEqual([
      [{ id: 5, x: 0, y: 1080, phase: 'down' }],
      [{ id: 5, x: 1920, y: 1080, phase: 'move' }],
      [{ id: 5, x: 1920, y: 1080, phase: 'up' }],
    ]);
  });

  it('treats a low-confidence contact (a palm) as lifted', () => {
    const source = new ManualHidSource();
    const screen = new TouchScreen(source, { descriptor: touchDescriptor(2) });
    const got: TouchPoint[][] = [];
    screen.on('touch', (p) => got.push(p));
    source.feed(touchReport(screen.layout, [{ id: 1, tip: true, x: 10, y: 10, confidence: false }]));
    expect(got).toEqual([]);
  });
});
