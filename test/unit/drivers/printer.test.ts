import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import iconv from 'iconv-lite';
import { encodeReceipt, encodeGb18030, qrLines } from '../../../drivers/printer/escpos.ts';
import { EscPosParser } from '../../../drivers/printer/escpos-parser.ts';
import { PrinterSimulator, decodeCode128 } from '../../../drivers/printer/simulator.ts';
import { ReceiptPrinter, type PrintJobStatus } from '../../../drivers/printer/printer.ts';
import { ReceiptError, parseReceipt, type ReceiptInput } from '../../../drivers/printer/receipt.ts';
import {
  StatusByteError,
  decodeStatus,
  decodeStatusByte,
  encodeStatusByte,
  encodeStatusRequest,
} from '../../../drivers/printer/status.ts';
import { createMemoryPair } from '../../../drivers/transport/memory.ts';

const hex = (s: string) => Uint8Array.from(s.trim().split(/\s+/).map((b) => parseInt(b, 16)));

const ticket: ReceiptInput = {
  items: [
    { type: 'text', text: '广州市政务服务中心', align: 'center', size: 2, bold: true },
    { type: 'text', text: '排队号 A023', align: 'center', size: 2 },
    { type: 'rule' },
    { type: 'text', text: '业务：居民身份证换领\n前面还有 5 人，请留意叫号' },
    { type: 'text', text: '价格 €5', align: 'right' },
    { type: 'qr', data: 'https://gz.gov.cn/q/A023?k=小今' },
    { type: 'code128', data: 'A023-{2026}' },
    { type: 'cut' },
  ],
};

describe('ESC/POS encoding', () => {
  it('starts with init and Chinese mode and encodes text as GB18030', () => {
    const bytes = encodeReceipt(parseReceipt({ items: [{ type: 'text', text: '小今€' }] }));
    expect([...bytes.subarray(0, 4)]).toEqual([0x1b, 0x40, 0x1c, 0x26]);
    // € is A2 E3 in GB18030 (80 in GBK).
    expect(Buffer.from(bytes).includes(Buffer.from([0xa2, 0xe3]))).toBe(true);
    expect(Buffer.from(bytes).includes(iconv.encode('小今', 'gb18030'))).toBe(true);
    // No cut in the document: one is added.
    expect([...bytes.subarray(-4)]).toEqual([0x1d, 0x56, 0x41, 0x04]);
  });

  it('emits the documented QR model 2 sequence', () => {
    const bytes = Buffer.from(encodeReceipt(parseReceipt({ items: [{ type: 'qr', data: 'AB', moduleSize: 4, level: 'Q' }] })));
    expect(bytes.includes(Buffer.from(hex('1D 28 6B 04 00 31 41 32 00')))).toBe(true);
    expect(bytes.includes(Buffer.from(hex('1D 28 6B 03 00 31 43 04')))).toBe(true);
    expect(bytes.includes(Buffer.from(hex('1D 28 6B 03 00 31 45 32')))).toBe(true);
    expect(bytes.includes(Buffer.from(hex('1D 28 6B 05 00 31 50 30 41 42')))).toBe(true);
    expect(bytes.includes(Buffer.from(hex('1D 28 6B 03 00 31 51 30')))).toBe(true);
  });

  it('emits CODE128 set B with a doubled literal brace, sizes and cuts', () => {
    const bytes = Buffer.from(
      encodeReceipt(
        parseReceipt({
          items: [
            { type: 'text', text: 'x', size: 2 },
            { type: 'code128', data: 'A{1', height: 60 },
            { type: 'cut', partial: true, feed: 0 },
          ],
        }),
      ),
    );
    expect(bytes.includes(Buffer.from(hex('1D 21 11')))).toBe(true);
    expect(bytes.includes(Buffer.from(hex('1D 68 3C 1D 77 02 1D 48 02 1D 6B 49 06 7B 42 41 7B 7B 31')))).toBe(true);
    expect([...bytes.subarray(-3)]).toEqual([0x1d, 0x56, 0x01]);
  });

  it('strips control characters from text so it cannot smuggle commands', () => {
    const bytes = encodeReceipt(parseReceipt({ items: [{ type: 'text', text: 'a\u001bd\u0005b' }] }));
    expect(Buffer.from(bytes).includes(Buffer.from('adb'))).toBe(true);
  });

  it('rejects invalid documents with a clear error', () => {
    expect(() => parseReceipt({ items: [{ type: 'qr', data: '' }] })).toThrow(ReceiptError);
    expect(() => parseReceipt({ items: [{ type: 'code128', data: '中文' }] })).toThrow(/printable ASCII/);
    expect(() => parseReceipt({ items: [] })).toThrow(/items/);
  });
});

describe('encoder ↔ simulator round trip', () => {
  it('prints a Chinese receipt with a QR and a barcode and reads it back', () => {
    const sim = new PrinterSimulator(null, { width: 48 });
    sim.receive(encodeReceipt(parseReceipt(ticket)));
    expect(sim.receipts).toHaveLength(1);
    const [r] = sim.receipts;
    expect(r.truncated).toBe(false);
    expect(r.qr).toEqual(['https://gz.gov.cn/q/A023?k=小今']);
    expect(r.barcodes).toEqual(['A023-{2026}']);
    const lines = r.text.split('\n');
    // Size 2 centred: 9 CJK × 2 columns × 2 = 36 of 48, so 6 columns of padding.
    expect(lines[0]).toBe('      广州市政务服务中心');
    expect(lines).toContain('-'.repeat(48));
    expect(lines).toContain('业务：居民身份证换领');
    expect(lines).toContain('前面还有 5 人，请留意叫号');
    expect(lines).toContain(' '.repeat(41) + '价格 €5');
  });

  it('splits receipts at cuts and wraps long lines', () => {
    const sim = new PrinterSimulator(null, { width: 32 });
    const doc = parseReceipt({ width: 32, items: [{ type: 'text', text: '一'.repeat(20) }, { type: 'cut' }, { type: 'text', text: 'two' }, { type: 'cut' }] });
    sim.receive(encodeReceipt(doc));
    expect(sim.receipts.map((r) => r.text)).toEqual(['一'.repeat(16) + '\n' + '一'.repeat(4), 'two']);
  });

  it('parses byte by byte as well as in one chunk', () => {
    const bytes = encodeReceipt(parseReceipt(ticket));
    const whole = new EscPosParser().push(bytes);
    const p = new EscPosParser();
    const pieces = [...bytes].flatMap((b) => p.push(Uint8Array.of(b)));
    // Text runs may split differently; compare everything else.
    const strip = (cmds: typeof whole) => cmds.filter((c) => c.type !== 'text');
    expect(strip(pieces)).toEqual(strip(whole));
  });

  it('runs out of paper mid-receipt, answers status, and prints again after loading', () => {
    const sim = new PrinterSimulator(null, { paper: 5 });
    const bytes = encodeReceipt(parseReceipt(ticket));
    sim.receive(bytes);
    expect(sim.status.paperOut).toBe(true);
    expect(sim.receipts).toHaveLength(1);
    expect(sim.receipts[0].truncated).toBe(true);
    expect(sim.receipts[0].text).toContain('广州市政务服务中心');
    sim.setPaper(500);
    sim.receive(bytes);
    expect(sim.receipts.at(-1)).toMatchObject({ truncated: false, qr: ['https://gz.gov.cn/q/A023?k=小今'] });
  });

  it('decodes CODE128 code sets', () => {
    expect(decodeCode128(Uint8Array.from([0x7b, 0x42, 0x41, 0x7b, 0x43, 12, 34]))).toBe('A1234');
  });

  it('estimates QR height from its size', () => {
    expect(qrLines(10, 6)).toBe(Math.ceil(((17 + 4 + 8) * 6) / 24));
    expect(qrLines(300, 6)).toBeGreaterThan(qrLines(100, 6));
  });

  it('fuzz: the parser and simulator take any bytes without throwing or hanging', () => {
    const valid = encodeReceipt(parseReceipt(ticket));
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 10 }), fc.nat(), fc.integer({ min: 1, max: 255 }), (chunks, pos, flip) => {
        const sim = new PrinterSimulator(null, { paper: 50 });
        const mutated = Uint8Array.from(valid);
        mutated[pos % mutated.length] ^= flip;
        sim.receive(mutated);
        for (const c of chunks) sim.receive(c);
        expect(Array.isArray(sim.receipts)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});

describe('DLE EOT status', () => {
  it('encodes requests and decodes the documented paper bytes', () => {
    expect(encodeStatusRequest(4)).toEqual(hex('10 04 04'));
    expect(decodeStatusByte(4, 0x12)).toEqual({ paper: { nearEnd: false, out: false } });
    expect(decodeStatusByte(4, 0x1e)).toEqual({ paper: { nearEnd: true, out: false } });
    expect(decodeStatusByte(4, 0x72).paper!.out).toBe(true);
    expect(decodeStatusByte(4, 0x7e).paper!.out).toBe(true);
  });

  it('decodes a full status', () => {
    expect(decodeStatus({ 1: 0x12, 2: 0x12, 3: 0x12, 4: 0x12 })).toEqual({
      online: true,
      coverOpen: false,
      paperNearEnd: false,
      paperOut: false,
      cutterError: false,
      unrecoverableError: false,
      paper: 'ok',
    });
    expect(decodeStatus({ 1: 0x1a, 2: 0x16, 3: 0x1a, 4: 0x7e })).toMatchObject({
      online: false,
      coverOpen: true,
      cutterError: true,
      paperOut: true,
      paperNearEnd: false,
      paper: 'out',
    });
  });

  it('encode and decode agree for every state', () => {
    fc.assert(
      fc.property(fc.boolean(), fc.boolean(), fc.boolean(), fc.boolean(), (coverOpen, paperNearEnd, paperOut, cutterError) => {
        const s = { online: !(coverOpen || paperOut || cutterError), coverOpen, paperNearEnd: paperNearEnd && !paperOut, paperOut, cutterError, unrecoverableError: false };
        const decoded = decodeStatus({ 1: encodeStatusByte(1, s), 2: encodeStatusByte(2, s), 3: encodeStatusByte(3, s), 4: encodeStatusByte(4, s) });
        expect(decoded).toMatchObject(s);
      }),
    );
  });

  it('fuzz: any byte is a status or a StatusByteError', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 255 }), fc.constantFrom(1, 2, 3, 4 as const), (byte, n) => {
        try {
          decodeStatusByte(n as 1 | 2 | 3 | 4, byte);
          expect(byte & 0x93).toBe(0x12);
        } catch (err) {
          expect(err).toBeInstanceOf(StatusByteError);
        }
      }),
    );
  });
});

describe('ReceiptPrinter over an in-memory simulator', () => {
  const printers: ReceiptPrinter[] = [];
  afterEach(async () => {
    for (const p of printers.splice(0)) await p.close();
  });

  function rig(paper = 1000) {
    const [a, b] = createMemoryPair('printer');
    const sim = new PrinterSimulator(b, { paper });
    const printer = new ReceiptPrinter(a, { statusTimeoutMs: 200, pollMs: 30 });
    printers.push(printer);
    return { sim, printer };
  }

  it('prints a job and reports it done', async () => {
    const { sim, printer } = rig();
    const res = await printer.print(ticket);
    expect(res.state).toBe('done');
    expect(sim.receipts).toHaveLength(1);
    expect(printer.job(res.jobId)?.state).toBe('done');
  });

  it('holds a job at paper-out, says why, and reprints when paper returns', async () => {
    const { sim, printer } = rig(8);
    const events: PrintJobStatus[] = [];
    printer.on('job', (j) => events.push(j));
    const statuses: string[] = [];
    printer.on('status', (s) => statuses.push(s.paper));
    const first = await printer.print(ticket);
    expect(first).toMatchObject({ state: 'held', cause: 'paper-out' });
    expect(first.reason).toMatch(/缺纸/);
    expect(statuses).toContain('out');
    // A second job waits behind the held one.
    const second = printer.print({ items: [{ type: 'text', text: '第二张' }] });
    sim.setPaper(1000);
    const done = await printer.whenDone(first.jobId);
    expect(done).toMatchObject({ state: 'done', attempts: 2 });
    expect((await second).state).toBe('done');
    expect(sim.receipts.map((r) => r.truncated)).toEqual([true, false, false]);
    expect(sim.receipts[1].qr).toEqual(['https://gz.gov.cn/q/A023?k=小今']);
    expect(events.map((e) => e.state)).toContain('held');
  });

  it('holds jobs while the printer does not answer, and never loses them', async () => {
    const { printer } = rig();
    const [a] = createMemoryPair('dead');
    printer.attach(a); // nobody on the other end
    const res = await printer.print(ticket);
    expect(res).toMatchObject({ state: 'held', cause: 'no-response' });
    expect(printer.pendingJobs().map((j) => j.jobId)).toEqual([res.jobId]);
  });

  it('cancel is the only way a job ends unprinted', async () => {
    const { sim, printer } = rig(0);
    const res = await printer.print(ticket);
    expect(res.state).toBe('held');
    expect(printer.cancel(res.jobId)).toBe(true);
    expect(printer.job(res.jobId)?.state).toBe('failed');
    sim.setPaper(100);
    expect(sim.receipts).toHaveLength(0);
  });

  it('reports status', async () => {
    const { sim, printer } = rig(15);
    expect((await printer.status()).paper).toBe('near-end');
    sim.coverOpen = true;
    expect(await printer.status()).toMatchObject({ coverOpen: true, online: false });
  });
});

describe('GB18030 helper', () => {
  it('encodes a rare character beyond GBK', () => {
    expect(new TextDecoder('gb18030').decode(encodeGb18030('䶮'))).toBe('䶮');
  });
});
