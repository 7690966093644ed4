/**
 * The IPP driver against the A4 printer simulator: the same request and response bytes a
 * CUPS queue exchanges, plus what cups-pdf cannot do, paper running out and a jam.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { A4Printer } from '../../../drivers/a4printer/printer.ts';
import { A4PrinterSimulator } from '../../../drivers/a4printer/simulator.ts';
import { decodeMessage, encodeMessage, OPERATION } from '../../../drivers/a4printer/ipp.ts';

const pdf = new TextEncoder().encode('%PDF-1.7\n% a page\n%%EOF\n');
let printers: A4Printer[] = [];

afterEach(async () => {
  await Promise.all(printers.map((p) => p.close()));
  printers = [];
});

function driver(sim: A4PrinterSimulator): A4Printer {
  const p = new A4Printer({ printerUri: 'ipp://sim/printers/a4', pollMs: 20, post: (body) => Promise.resolve(sim.handle(body)) });
  printers.push(p);
  return p;
}

describe('A4 printer simulator', () => {
  it('prints a job at once while ready, and the driver follows it to done', async () => {
    const sim = new A4PrinterSimulator();
    const p = driver(sim);
    const job = await p.print(pdf, { jobName: 'certificate social-security' });
    expect(await p.whenDone(job.jobId)).toMatchObject({ state: 'done' });
    expect(sim.printed).toHaveLength(1);
    expect(sim.printed[0]).toMatchObject({ name: 'certificate social-security' });
    expect(Buffer.from(sim.printed[0].pdf).equals(Buffer.from(pdf))).toBe(true);
  });

  it('holds a job for paper and prints it once paper is loaded', async () => {
    const sim = new A4PrinterSimulator();
    sim.setPaper(false);
    const p = driver(sim);
    const job = await p.print(pdf, { jobName: 'id-copy' });
    expect(job).toMatchObject({ state: 'held', cause: 'paper-out' });
    expect(await p.status()).toMatchObject({ state: 'stopped', cause: 'paper-out' });
    expect(sim.printed).toHaveLength(0);
    sim.setPaper(true);
    expect(await p.whenDone(job.jobId)).toMatchObject({ state: 'done' });
    expect(sim.printed).toHaveLength(1);
  });

  it('reports a jam, and a cancelled job never comes out after it is cleared', async () => {
    const sim = new A4PrinterSimulator();
    sim.setJammed(true);
    const p = driver(sim);
    const job = await p.print(pdf, { jobName: 'certificate household' });
    expect(job).toMatchObject({ state: 'held', cause: 'jammed' });
    expect(await p.cancel(job.jobId)).toBe(true);
    sim.setJammed(false);
    expect(sim.printed).toHaveLength(0);
    expect(p.job(job.jobId)).toMatchObject({ state: 'failed' });
  });

  it('answers a malformed request and an unknown job with IPP errors, not a crash', () => {
    const sim = new A4PrinterSimulator();
    expect(decodeMessage(sim.handle(new Uint8Array([1, 2, 3]))).code).toBe(0x0400);
    const ask = encodeMessage({
      version: [2, 0],
      code: OPERATION.getJobAttributes,
      requestId: 7,
      groups: [{ tag: 0x01, attributes: [{ name: 'job-id', values: [{ tag: 0x21, value: 99 }] }] }],
      data: new Uint8Array(0),
    });
    const answer = decodeMessage(sim.handle(ask));
    expect(answer).toMatchObject({ code: 0x0406, requestId: 7 });
  });

  it('keeps only recent jobs and papers, so a month of printing does not grow without end', async () => {
    const sim = new A4PrinterSimulator();
    const p = driver(sim);
    const jobs = [];
    for (let i = 0; i < 80; i++) jobs.push(await p.print(pdf, { jobName: `copy ${i}` }));
    expect(sim.printed).toHaveLength(64);
    expect(sim.printed[0].name).toBe('copy 16');
    // The driver still answers for the last jobs and has forgotten the first.
    expect(p.job(jobs[79].jobId)).toMatchObject({ state: 'done' });
    expect(p.job(jobs[0].jobId)).toBeUndefined();
    await expect(p.whenDone(jobs[0].jobId)).rejects.toThrow();
    // The simulator no longer knows the first server job either.
    const ask = (jobId: number) =>
      decodeMessage(sim.handle(encodeMessage({ version: [2, 0], code: OPERATION.getJobAttributes, requestId: 9, groups: [{ tag: 0x01, attributes: [{ name: 'job-id', values: [{ tag: 0x21, value: jobId }] }] }], data: new Uint8Array(0) })));
    expect(ask(1).code).toBe(0x0406);
    expect(ask(80).code).toBe(0x0000);
  });
});
