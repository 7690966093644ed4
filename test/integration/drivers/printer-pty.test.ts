import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ptyRig, type PtyRig } from './helpers.ts';
import { ReceiptPrinter, type PrintJobStatus } from '../../../drivers/printer/printer.ts';
import { PrinterSimulator } from '../../../drivers/printer/simulator.ts';
import type { PrinterStatus } from '../../../drivers/printer/status.ts';
import type { ReceiptInput } from '../../../drivers/printer/receipt.ts';

const ticket: ReceiptInput = {
  items: [
    { type: 'text', text: '广州市越秀区政务服务中心', align: 'center', size: 2, bold: true },
    { type: 'text', text: 'A023', align: 'center', size: 3 },
    { type: 'rule' },
    { type: 'text', text: '事项：港澳居民居住证申领\n窗口：B01　前面还有 3 人\n请携带：身份证明、照片' },
    { type: 'qr', data: 'https://xiaojin.example/t/A023?事项=居住证' },
    { type: 'code128', data: 'A023-20261001' },
    { type: 'cut' },
  ],
};

let rig: PtyRig;
let printer: ReceiptPrinter;
let sim: PrinterSimulator;

beforeEach(async () => {
  rig = await ptyRig(9600);
  sim = new PrinterSimulator(rig.deviceEnd, { paper: 1000, width: 48 });
  printer = new ReceiptPrinter(rig.driverEnd, { statusTimeoutMs: 300, pollMs: 50 });
});

afterEach(async () => {
  await printer.close();
  await rig.dispose();
});

describe('receipt printer over a socat pty pair', () => {
  it('prints a Chinese receipt with a QR and reads it back from the simulator', async () => {
    const job = await printer.print(ticket);
    expect(job.state).toBe('done');
    expect(sim.receipts).toHaveLength(1);
    const r = sim.receipts[0];
    expect(r.truncated).toBe(false);
    expect(r.qr).toEqual(['https://xiaojin.example/t/A023?事项=居住证']);
    expect(r.barcodes).toEqual(['A023-20261001']);
    expect(r.text).toContain('广州市越秀区政务服务中心');
    expect(r.text).toContain('事项：港澳居民居住证申领');
    expect(r.text).toContain('窗口：B01　前面还有 3 人');
    expect(r.text.split('\n')[1].trim()).toBe('A023');
  });

  it('holds a job when paper runs out mid-receipt and reprints it when paper is loaded', async () => {
    sim.setPaper(10);
    const statuses: PrinterStatus[] = [];
    const jobs: PrintJobStatus[] = [];
    printer.on('status', (s) => statuses.push(s));
    printer.on('job', (j) => jobs.push(j));
    const first = await printer.print(ticket);
    expect(first).toMatchObject({ state: 'held', cause: 'paper-out' });
    expect(statuses.at(-1)).toMatchObject({ paperOut: true, paper: 'out' });
    expect(sim.receipts).toHaveLength(1);
    expect(sim.receipts[0].truncated).toBe(true);
    expect(sim.receipts[0].qr).toEqual([]);
    // Still held while the paper is out: the printer is asked again a few times and still not reprinted to.
    const asked = sim.statusQueries + 3;
    await expect.poll(() => sim.statusQueries).toBeGreaterThanOrEqual(asked);
    expect(printer.job(first.jobId)?.state).toBe('held');
    expect(sim.receipts).toHaveLength(1);
    sim.setPaper(1000);
    const done = await printer.whenDone(first.jobId);
    expect(done).toMatchObject({ state: 'done', attempts: 2 });
    expect(sim.receipts).toHaveLength(2);
    expect(sim.receipts[1]).toMatchObject({ truncated: false, qr: ['https://xiaojin.example/t/A023?事项=居住证'] });
    expect(jobs.map((j) => j.state)).toEqual(['queued', 'printing', 'held', 'printing', 'done']);
  });
});
