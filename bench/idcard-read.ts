/**
 * ID-card read over a socat pty pair at 115200 baud: find + select + read (text + photo)
 * against the time its bytes need on the wire. Both ends are paced to the baud rate, so
 * the ratio is what the driver, the simulator, serialport and the event loop add on top
 * of the line itself. Floor: ≤ 1.2×.
 *
 *   node --import tsx bench/idcard-read.ts
 */
import { cpus, loadavg } from 'node:os';
import { PtyPair } from '../drivers/transport/pty.ts';
import { openSerial } from '../drivers/transport/serial.ts';
import { PacedTransport } from '../drivers/transport/paced.ts';
import { IdCardReader } from '../drivers/idcard/reader.ts';
import { IdCardSimulator } from '../drivers/idcard/simulator.ts';
import { fixtureCards, toSimCard } from '../drivers/idcard/fixtures.ts';
import type { ByteTransport } from '../drivers/transport/types.ts';
import { writeSection } from './report.ts';

const BAUD = 115200;
const RUNS = 30;
const FLOOR = 1.2;
const COMMAND = 'node --import tsx bench/idcard-read.ts';

function counting(t: ByteTransport): { t: ByteTransport; bytes: () => number; reset: () => void } {
  let n = 0;
  t.on('data', (d) => (n += d.length));
  return { t, bytes: () => n, reset: () => (n = 0) };
}

async function measure(paced: boolean): Promise<{ median: number; p90: number; bytes: number; wireMs: number }> {
  const pair = await PtyPair.create();
  const rawA = await openSerial(pair.a, { baudRate: BAUD });
  const rawB = await openSerial(pair.b, { baudRate: BAUD });
  const a: ByteTransport = paced ? new PacedTransport(rawA, BAUD) : rawA;
  const b: ByteTransport = paced ? new PacedTransport(rawB, BAUD) : rawB;
  const toDevice = counting(rawB);
  const toDriver = counting(rawA);
  new IdCardSimulator(b, { card: toSimCard(fixtureCards.resident) });
  const reader = new IdCardReader(a);
  const times: number[] = [];
  let bytes = 0;
  try {
    for (let i = 0; i < 3; i++) await reader.readCard();
    for (let i = 0; i < RUNS; i++) {
      toDevice.reset();
      toDriver.reset();
      const t0 = performance.now();
      await reader.readCard();
      times.push(performance.now() - t0);
      bytes = toDevice.bytes() + toDriver.bytes();
    }
  } finally {
    await reader.close();
    await b.close();
    await pair.dispose();
  }
  times.sort((x, y) => x - y);
  return { median: times[Math.floor(RUNS / 2)], p90: times[Math.floor(RUNS * 0.9)], bytes, wireMs: (bytes * 10 * 1000) / BAUD };
}

const paced = await measure(true);
const raw = await measure(false);
const ratio = paced.median / paced.wireMs;
const pass = ratio <= FLOOR;
const f = (n: number) => n.toFixed(1);

const body = `
## ID-card read over a pty at ${BAUD} baud

Command: \`${COMMAND}\` (${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model.trim() ?? 'cpu'}, load average ${loadavg()[0].toFixed(2)} when written)

find + select + read text and photo of the resident fixture card, real serialport I/O on both
ends of a socat pty pair; both ends paced to ${BAUD} baud (10 bits per byte) because a pty itself
has no baud rate. ${RUNS} reads after 3 warm-up reads.

| figure | value |
|---|---|
| bytes exchanged per read (requests + answers) | ${paced.bytes} |
| wire time of those bytes at ${BAUD} baud | ${f(paced.wireMs)} ms |
| measured, paced line (median / p90) | ${f(paced.median)} ms / ${f(paced.p90)} ms |
| **ratio measured / wire (median)** | **${ratio.toFixed(3)}×** (floor ≤ ${FLOOR}×: ${pass ? 'met' : 'NOT met'}) |
| same read on the unpaced pty (median / p90) | ${f(raw.median)} ms / ${f(raw.p90)} ms |
`;

const file = writeSection('idcard', body);
console.log(body.trim());
console.log(`\nwritten to ${file}`);
process.exitCode = pass ? 0 : 1;
