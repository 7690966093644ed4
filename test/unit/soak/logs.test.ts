import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { rolledLogs } from '../../../cli/soak/measure.ts';
import { evaluateInvariants, type RunFigures } from '../../../cli/soak/invariants.ts';

const figures = (logs: RunFigures['logs']): RunFigures => ({
  days: 1,
  faults: [],
  made: 0,
  lost: 0,
  doubled: 0,
  reused: 0,
  growth: {},
  sampled: [],
  outboxLeft: {},
  logs,
  pii: { files: 0, hits: {} },
});
const logsInvariant = (logs: RunFigures['logs']) => evaluateInvariants(figures(logs)).find((i) => i.name.startsWith('logs rolled'))!;

describe('the soak reading rolled logs', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('counts each process’s kept files, its rolls and its largest file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'xiaojin-rolled-'));
    dirs.push(dir);
    for (const [file, bytes] of [['central.7.log', 8300], ['central.8.log', 2048], ['kiosk-1.1.log', 500], ['central.log', 99999], ['notes.txt', 1]] as const) {
      writeFileSync(join(dir, file), Buffer.alloc(bytes, 0x61));
    }
    expect(rolledLogs(dir)).toEqual({ central: { files: 2, rolls: 7, largestKb: 8.1 }, 'kiosk-1': { files: 1, rolls: 0, largestKb: 0.5 } });
    expect(rolledLogs(join(dir, 'missing'))).toEqual({});
  });

  it('holds when files are pruned and bounded and something rolled; fails otherwise', () => {
    const ok = { byProcess: { central: { files: 4, rolls: 20, largestKb: 9 }, 'kiosk-1': { files: 1, rolls: 0, largestKb: 3 } }, keep: 3, sizeKb: 8 };
    expect(logsInvariant(ok)).toMatchObject({ held: true, detail: expect.stringContaining('central rolled 20×, 4 kept') });
    expect(logsInvariant({ ...ok, byProcess: { ...ok.byProcess, central: { files: 5, rolls: 20, largestKb: 9 } } }).held).toBe(false);
    expect(logsInvariant({ ...ok, byProcess: { ...ok.byProcess, central: { files: 1, rolls: 1, largestKb: 900 } } }).held).toBe(false);
    expect(logsInvariant({ ...ok, byProcess: { central: { files: 1, rolls: 0, largestKb: 3 } } })).toMatchObject({ held: false, detail: expect.stringMatching(/^never rolled/) });
    expect(logsInvariant({ ...ok, byProcess: {} }).held).toBe(false);
  });
});
