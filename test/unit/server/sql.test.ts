import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { renumberPlaceholders, valuesList, Mutex } from '../../../server/db/sql.ts';

describe('renumberPlaceholders', () => {
  it('numbers placeholders in order and leaves quoted text and comments alone', () => {
    expect(renumberPlaceholders("SELECT * FROM t WHERE a = ? AND b = 'is ? here' AND \"c?\" = ? -- why?\n AND d = ? /* ? */")).toBe(
      "SELECT * FROM t WHERE a = $1 AND b = 'is ? here' AND \"c?\" = $2 -- why?\n AND d = $3 /* ? */",
    );
    expect(renumberPlaceholders("SELECT 'it''s ?', ?")).toBe("SELECT 'it''s ?', $1");
  });

  it('turns every bare ? into a distinct $n', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('a', ' ', ',', '?', '(', ')'), { maxLength: 60 }), (parts) => {
        const sql = parts.join('');
        const out = renumberPlaceholders(sql);
        const n = parts.filter((p) => p === '?').length;
        expect(out.includes('?')).toBe(false);
        expect(out.match(/\$\d+/g)?.length ?? 0).toBe(n);
      }),
    );
  });

  it('builds multi-row value lists', () => {
    expect(valuesList(2, 3)).toBe('(?, ?, ?), (?, ?, ?)');
  });
});

describe('Mutex', () => {
  it('serves holders one at a time in arrival order', async () => {
    const m = new Mutex();
    const log: string[] = [];
    await Promise.all(
      [0, 1, 2].map(async (i) => {
        const release = await m.acquire();
        log.push(`in${i}`);
        // Hold the lock across a timer turn: a mutex that let others in would show it in the log.
        await new Promise((r) => setTimeout(r, 5));
        log.push(`out${i}`);
        release();
      }),
    );
    expect(log).toEqual(['in0', 'out0', 'in1', 'out1', 'in2', 'out2']);
    expect(m.locked).toBe(false);
  });
});
