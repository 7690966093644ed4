import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import iconv from 'iconv-lite';
import { HidPosAssembler, HidPosReportError, VENDOR_LAYOUT, encodeVendorReports, hidPosLayout } from '../../../drivers/scanner/hidpos.ts';
import { ScanLineSplitter, ScanLineTooLongError, scanFromLine } from '../../../drivers/scanner/lines.ts';
import { HidPosScanner, ScannerSimulator, SerialScanner } from '../../../drivers/scanner/scanner.ts';
import { symbologyOf } from '../../../drivers/scanner/symbology.ts';
import type { ScanEvent } from '../../../drivers/scanner/symbology.ts';
import { ManualHidSource } from '../../../drivers/hid/transport.ts';
import { createMemoryPair } from '../../../drivers/transport/memory.ts';

const enc = (s: string) => new TextEncoder().encode(s);

describe('HID-POS reports', () => {
  it('assembles a symbol continued over several reports, with its AIM id', () => {
    const data = 'https://www.gdzwfw.gov.cn/预约?code=A023&window=B01&t=' + 'x'.repeat(100);
    const reports = encodeVendorReports(enc(data), ']Q1', 64);
    expect(reports.length).toBeGreaterThan(2);
    const asm = new HidPosAssembler();
    const out = reports.map((r) => asm.push(r));
    expect(out.slice(0, -1).every((x) => x === null)).toBe(true);
    expect(out.at(-1)).toEqual({ data, symbology: 'qr', aim: ']Q1' });
  });

  it('falls back to GB18030 for symbols that are not UTF-8', () => {
    const [r] = encodeVendorReports(iconv.encode('粤B12345', 'gb18030'), ']C0');
    expect(new HidPosAssembler().push(r)).toEqual({ data: '粤B12345', symbology: 'code128', aim: ']C0' });
  });

  it('derives the layout from a descriptor naming the 0x8C usages', () => {
    const desc = Uint8Array.from([
      0x05, 0x8c, 0x09, 0x02, 0xa1, 0x01, // bar code scanner
      0x09, 0x12, 0xa1, 0x02, 0x85, 0x02, // scanned data report, id 2
      0x15, 0x00, 0x26, 0xff, 0x00, 0x75, 0x08,
      0x95, 0x01, 0x09, 0xfb, 0x81, 0x02, 0x09, 0xfc, 0x81, 0x02, 0x09, 0xfd, 0x81, 0x02, // symbology id 1–3
      0x95, 0x38, 0x09, 0xfe, 0x82, 0x02, 0x01, // decoded data, 56 bytes (buffered bytes)
      0x25, 0x01, 0x75, 0x01, 0x95, 0x01, 0x09, 0xff, 0x81, 0x02, // continued
      0x95, 0x07, 0x81, 0x03,
      0xc0, 0xc0,
    ]);
    const layout = hidPosLayout(desc)!;
    expect(layout).toEqual({ reportId: 2, lengthOffset: null, aimOffset: 1, dataOffset: 4, moreOffset: 60, moreBit: 0 });
    const report = new Uint8Array(61);
    report[0] = 2;
    report.set(enc(']E0'), 1);
    report.set(enc('6901234567892'), 4);
    expect(new HidPosAssembler(layout).push(report)).toEqual({ data: '6901234567892', symbology: 'ean-upc', aim: ']E0' });
  });

  it('reports malformed input as HidPosReportError and keeps working', () => {
    const source = new ManualHidSource();
    const scanner = new HidPosScanner(source, VENDOR_LAYOUT);
    const errors: Error[] = [];
    const scans: ScanEvent[] = [];
    scanner.on('scan-error', (e) => errors.push(e));
    scanner.on('scan', (s) => scans.push(s));
    const bad = new Uint8Array(64);
    bad[0] = 2;
    bad[1] = 200;
    source.feed(bad);
    for (const r of encodeVendorReports(enc('OK'), ']Q1')) source.feed(r);
    expect(errors[0]).toBeInstanceOf(HidPosReportError);
    expect(scans).toEqual([{ data: 'OK', symbology: 'qr', aim: ']Q1' }]);
  });

  it('fuzz: random reports give scans, null or HidPosReportError', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 80 }), { maxLength: 20 }), (reports) => {
        const asm = new HidPosAssembler();
        for (const r of reports) {
          try {
            const s = asm.push(r);
            if (s) expect(typeof s.data).toBe('string');
          } catch (err) {
            expect(err).toBeInstanceOf(HidPosReportError);
            asm.reset();
          }
        }
      }),
    );
  });
});

describe('serial / CDC scanners', () => {
  it('splits lines on CR, LF and CR LF, across chunk boundaries', () => {
    const s = new ScanLineSplitter();
    const lines = [...s.push(enc('AB\r')), ...s.push(enc('\nCD\nEF\r\r\n')), ...s.push(enc('GH'))];
    expect(lines.map((l) => new TextDecoder().decode(l))).toEqual(['AB', 'CD', 'EF']);
    expect(s.push(enc('\n')).map((l) => new TextDecoder().decode(l))).toEqual(['GH']);
  });

  it('splits off an AIM prefix', () => {
    expect(scanFromLine(enc(']Q1办事指南'))).toEqual({ data: '办事指南', symbology: 'qr', aim: ']Q1' });
    expect(scanFromLine(enc('12345'))).toEqual({ data: '12345', symbology: 'unknown', aim: null });
    expect(symbologyOf(']d2')).toBe('datamatrix');
  });

  it('drops a runaway line with a typed error', () => {
    const s = new ScanLineSplitter(10);
    expect(() => s.push(new Uint8Array(11).fill(0x41))).toThrow(ScanLineTooLongError);
    expect(s.push(enc('ok\n')).length).toBe(1);
  });

  it('SerialScanner emits scans from a simulated scanner', async () => {
    const [a, b] = createMemoryPair('scanner');
    const scanner = new SerialScanner(a);
    const sim = new ScannerSimulator(b);
    const got = new Promise<ScanEvent>((resolve) => scanner.once('scan', resolve));
    await sim.scan('A023', ']C0');
    expect(await got).toEqual({ data: 'A023', symbology: 'code128', aim: ']C0' });
    await scanner.close();
  });

  it('fuzz: the splitter takes any bytes', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 100 })), (chunks) => {
        const s = new ScanLineSplitter(64);
        for (const c of chunks) {
          try {
            for (const l of s.push(c)) expect(scanFromLine(l).data.length).toBeGreaterThanOrEqual(0);
          } catch (err) {
            expect(err).toBeInstanceOf(ScanLineTooLongError);
          }
        }
      }),
    );
  });
});
