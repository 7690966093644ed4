/**
 * The A4 printer driver against a real CUPS: a private cupsd with a cups-pdf queue, a
 * certificate PDF made by the renderer, sent over IPP and followed to completion, then
 * read back from the PDF cups-pdf wrote.
 */
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { A4Printer, type A4JobStatus } from '../../../drivers/a4printer/printer.ts';
import { renderCertificatePdf } from '../../../common/pdf/certificate.ts';
import type { CertificateDocument } from '../../../protocol/certificate.ts';
import { cupsMissing, pdfText, startCups, type PrivateCups } from '../../helpers/cups.ts';

const missing = cupsMissing();
if (missing) console.warn(`skipping the CUPS tests: ${missing}`);

function certificate(title: string): CertificateDocument {
  return {
    kind: 'tax-payment-proof',
    title,
    source: '国家税务总局广州市税务局',
    holder: { name: '王小今', idNumberMasked: '4401**********1234' },
    issuedAt: '2026-03-07T09:30:00+08:00',
    rows: [{ label: '税款所属期', value: '2025-01 至 2025-12' }],
    table: { columns: ['税种', '入库日期', '实缴金额'], rows: [['个人所得税', '2025-02-15', '1,203.00']] },
  };
}

describe.skipIf(!!missing)('A4 printer over IPP to CUPS', () => {
  let cups: PrivateCups;
  const printers: A4Printer[] = [];
  const printer = (uri = cups.printerUri) => {
    const p = new A4Printer({ printerUri: uri, pollMs: 100 });
    printers.push(p);
    return p;
  };
  const events = (p: A4Printer) => {
    const seen: A4JobStatus[] = [];
    p.on('job', (j) => seen.push(j));
    return seen;
  };

  beforeAll(async () => {
    cups = await startCups();
  });
  afterAll(async () => {
    await Promise.all(printers.map((p) => p.close()));
    await cups?.stop();
  });

  it('prints a certificate to completion and cups-pdf writes it with its Chinese text and code', async () => {
    const p = printer();
    const status = await p.status();
    expect(status).toMatchObject({ state: 'idle', accepting: true, cause: null });
    const pdf = await renderCertificatePdf(certificate('个人所得税完税证明'), { hallName: '天河区政务服务中心', verification: { code: 'K7MQ2W9XHP4D', url: 'http://127.0.0.1:4800/verify/t/abc' } });
    const seen = events(p);
    const first = await p.print(pdf, { jobName: 'certificate tax-payment-proof' });
    expect(first.state).toBe('done');
    expect(first.serverJobId).toBeGreaterThan(0);
    expect(seen.map((j) => j.state)).toContain('queued');
    // cups-pdf finishes writing after CUPS reports the job completed: wait for the text, not the file.
    const text = await vi.waitFor(() => {
      const file = cups.outputs().find((f) => f.includes(`job_${first.serverJobId}-`));
      const t = file ? pdfText(file) : '';
      if (!t.includes('个人所得税完税证明')) throw new Error(`no finished PDF for job ${first.serverJobId} yet`);
      return t;
    });
    expect(text).toContain('K7MQ-2W9X-HP4D');
    expect(text).toContain('天河区政务服务中心');
    expect(text).toContain('4401**********1234');
  });

  it('reports a job held at the server and follows it to done once released', async () => {
    const p = printer();
    const pdf = await renderCertificatePdf(certificate('社会保险个人缴费证明'), { hallName: '天河区政务服务中心', verification: { code: 'ABCD2345EFGH', url: 'http://127.0.0.1:4800/verify/t/x' } });
    const first = await p.print(pdf, { jobName: 'certificate held', holdUntil: 'indefinite' });
    expect(first).toMatchObject({ state: 'held', cause: 'held' });
    execFileSync('lp', ['-h', `127.0.0.1:${cups.port}`, '-i', `${cups.queue}-${first.serverJobId}`, '-H', 'resume']);
    expect(await p.whenDone(first.jobId)).toMatchObject({ state: 'done', cause: undefined });
  });

  it('holds a job while the queue is stopped and completes it when the queue starts again', async () => {
    const p = printer();
    let jobId: string | undefined;
    execFileSync('cupsdisable', ['-h', `127.0.0.1:${cups.port}`, cups.queue]);
    try {
      await expect.poll(async () => (await p.status()).cause).toBe('offline');
      const pdf = await renderCertificatePdf(certificate('不动产登记信息摘要'), { hallName: '天河区政务服务中心', verification: { code: 'ABCD2345EFGJ', url: 'http://127.0.0.1:4800/verify/t/y' } });
      const first = await p.print(pdf, { jobName: 'certificate stopped' });
      expect(first).toMatchObject({ state: 'held', cause: 'offline' });
      jobId = first.jobId;
    } finally {
      execFileSync('cupsenable', ['-h', `127.0.0.1:${cups.port}`, cups.queue]);
    }
    expect(await p.whenDone(jobId!)).toMatchObject({ state: 'done' });
  });

  it('keeps a document while the print server is unreachable, as held "disconnected"', async () => {
    // A port nothing listens on: the job must come back held, not lost and not thrown.
    const p = printer(`ipp://127.0.0.1:${cups.port + 1}/printers/${cups.queue}`);
    const first = await p.print(Uint8Array.from(Buffer.from('%PDF-1.4\n')), { jobName: 'unreachable' });
    expect(first).toMatchObject({ state: 'held', cause: 'disconnected' });
    expect(await p.cancel(first.jobId)).toBe(true);
    expect(p.job(first.jobId)).toMatchObject({ state: 'failed' });
  });

  it('reports a document the server refuses as failed with its reason', async () => {
    const p = printer(`ipp://127.0.0.1:${cups.port}/printers/no-such-queue`);
    const first = await p.print(Uint8Array.from(Buffer.from('%PDF-1.4\n')), { jobName: 'refused' });
    expect(first.state).toBe('failed');
    expect(first.reason).toMatch(/Print-Job was refused/);
  });
});
