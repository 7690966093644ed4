import { describe, expect, it } from 'vitest';
import { GROUP, OPERATION, TAG, IppDecodeError, decodeMessage, encodeMessage, firstInteger, keyword, operationGroup, strings, type IppMessage } from '../../../drivers/a4printer/ipp.ts';
import { jobOutcome, printerCause, JOB_STATE, PRINTER_STATE } from '../../../drivers/a4printer/states.ts';

const ascii = (s: string) => [...Buffer.from(s, 'utf8')];
const field = (s: string) => [s.length >> 8, s.length & 0xff, ...ascii(s)];

describe('IPP codec (RFC 8010)', () => {
  it('writes a Get-Printer-Attributes request byte for byte', () => {
    const bytes = encodeMessage({
      version: [2, 0],
      code: OPERATION.getPrinterAttributes,
      requestId: 7,
      groups: [operationGroup({ printerUri: 'ipp://h/p' }, [{ name: 'requested-attributes', values: [keyword('printer-state'), keyword('copies')] }])],
      data: new Uint8Array(0),
    });
    const expected = [
      0x02, 0x00, // version 2.0
      0x00, 0x0b, // Get-Printer-Attributes
      0x00, 0x00, 0x00, 0x07, // request-id
      0x01, // operation-attributes-tag
      0x47, ...field('attributes-charset'), ...field('utf-8'),
      0x48, ...field('attributes-natural-language'), ...field('zh-cn'),
      0x45, ...field('printer-uri'), ...field('ipp://h/p'),
      0x44, ...field('requested-attributes'), ...field('printer-state'),
      0x44, 0x00, 0x00, ...field('copies'), // an additional value has an empty name
      0x03, // end-of-attributes-tag
    ];
    expect([...bytes]).toEqual(expected);
  });

  it('round-trips every value kind, collections and the document data', () => {
    const message: IppMessage = {
      version: [1, 1],
      code: OPERATION.printJob,
      requestId: 0x01020304,
      groups: [
        operationGroup({ printerUri: 'ipp://127.0.0.1:631/printers/a4', jobId: 42 }),
        {
          tag: GROUP.job,
          attributes: [
            { name: 'copies', values: [{ tag: TAG.integer, value: -3 }] },
            { name: 'job-state', values: [{ tag: TAG.enum, value: 9 }] },
            { name: 'ok', values: [{ tag: TAG.boolean, value: true }, { tag: TAG.boolean, value: false }] },
            { name: 'job-name', values: [{ tag: TAG.name, value: '社会保险缴费证明' }] },
            { name: 'blob', values: [{ tag: TAG.octetString, value: Uint8Array.of(0, 255, 7) }] },
            { name: 'when', values: [{ tag: TAG.dateTime, value: new Date('2026-03-07T08:09:10.500Z') }] },
            { name: 'res', values: [{ tag: TAG.resolution, value: { x: 600, y: 300, units: 3 } }] },
            { name: 'range', values: [{ tag: TAG.rangeOfInteger, value: { lower: 1, upper: 99 } }] },
            { name: 'msg', values: [{ tag: TAG.textWithLanguage, value: { text: '卡纸', language: 'zh-cn' } }] },
            { name: 'none', values: [{ tag: TAG.noValue, value: null }] },
            {
              name: 'media-col',
              values: [
                {
                  tag: TAG.begCollection,
                  value: [
                    { name: 'media-type', values: [keyword('stationery')] },
                    { name: 'media-size', values: [{ tag: TAG.begCollection, value: [{ name: 'x-dimension', values: [{ tag: TAG.integer, value: 21000 }] }] }] },
                  ],
                },
              ],
            },
          ],
        },
      ],
      data: Uint8Array.from(ascii('%PDF-1.7 …')),
    };
    const bytes = encodeMessage(message);
    const back = decodeMessage(bytes);
    expect(back).toEqual(message);
    expect([...encodeMessage(back)]).toEqual([...bytes]);
    expect(firstInteger(back, 'operation', 'job-id')).toBe(42);
    expect(strings(back, 'job', 'job-name')).toEqual(['社会保险缴费证明']);
  });

  it('reads a dateTime with its UTC offset', () => {
    // 2026-03-07 16:00:00.0 +08:00 is 08:00 UTC.
    const raw = [0x07, 0xea, 3, 7, 16, 0, 0, 0, 0x2b, 8, 0];
    const bytes = [0x02, 0x00, 0x00, 0x00, 0, 0, 0, 1, 0x02, 0x31, ...field('time-at-creation'), 0, 11, ...raw, 0x03];
    const m = decodeMessage(Uint8Array.from(bytes));
    expect((m.groups[0].attributes[0].values[0].value as Date).toISOString()).toBe('2026-03-07T08:00:00.000Z');
  });

  it('refuses truncated and malformed messages with the offset', () => {
    const good = encodeMessage({ version: [2, 0], code: 0, requestId: 1, groups: [operationGroup({ printerUri: 'ipp://h/p' })], data: new Uint8Array(0) });
    expect(() => decodeMessage(good.subarray(0, good.length - 1))).toThrow(IppDecodeError);
    expect(() => decodeMessage(good.subarray(0, 12))).toThrow(/byte 1\d/);
    // An attribute before any group tag.
    expect(() => decodeMessage(Uint8Array.from([2, 0, 0, 0, 0, 0, 0, 1, 0x21, 0, 1, 0x61, 0, 4, 0, 0, 0, 1, 3]))).toThrow(/before any group/);
    // An integer of three bytes.
    expect(() => decodeMessage(Uint8Array.from([2, 0, 0, 0, 0, 0, 0, 1, 1, 0x21, 0, 1, 0x61, 0, 3, 0, 0, 1, 3]))).toThrow(/needs 4 bytes/);
  });
});

describe('A4 job outcomes', () => {
  const idle = { state: PRINTER_STATE.idle, reasons: ['none'] };
  it('maps job states and printer reasons to what the citizen is told', () => {
    expect(jobOutcome({ state: JOB_STATE.completed, reasons: [] }, idle)).toEqual({ state: 'done' });
    expect(jobOutcome({ state: JOB_STATE.aborted, reasons: [] }, idle)).toEqual({ state: 'failed' });
    expect(jobOutcome({ state: JOB_STATE.pendingHeld, reasons: ['job-hold-until-specified'] }, idle)).toEqual({ state: 'held', cause: 'held' });
    expect(jobOutcome({ state: JOB_STATE.processingStopped, reasons: [] }, { state: PRINTER_STATE.stopped, reasons: ['media-empty-error'] })).toEqual({ state: 'held', cause: 'paper-out' });
    expect(jobOutcome({ state: JOB_STATE.processing, reasons: [] }, { state: PRINTER_STATE.processing, reasons: ['media-jam-error'] })).toEqual({ state: 'held', cause: 'jammed' });
    expect(jobOutcome({ state: JOB_STATE.processing, reasons: [] }, { state: PRINTER_STATE.processing, reasons: ['media-empty-report'] })).toEqual({ state: 'printing' });
    expect(jobOutcome({ state: JOB_STATE.pending, reasons: [] }, { state: PRINTER_STATE.stopped, reasons: ['paused'] })).toEqual({ state: 'held', cause: 'offline' });
    expect(jobOutcome({ state: JOB_STATE.pending, reasons: [] }, idle)).toEqual({ state: 'queued' });
    expect(printerCause({ state: PRINTER_STATE.idle, reasons: ['media-needed-warning'] })).toBe('paper-out');
  });
});
