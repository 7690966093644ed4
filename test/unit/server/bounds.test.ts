import { describe, expect, it } from 'vitest';
import { checkBounds, type Bounds } from '../../../protocol/bounds.ts';

const SMALL: Bounds = { maxDepth: 4, maxNodes: 20, maxStringBytes: 16 };

/** Built in a loop: a recursive builder would be the very thing the check protects against. */
function nested(depth: number, kind: 'array' | 'object'): unknown {
  let v: unknown = 0;
  for (let i = 0; i < depth; i++) v = kind === 'array' ? [v] : { a: v };
  return v;
}

describe('checkBounds', () => {
  it('accepts a value within every limit and reports its measure', () => {
    const r = checkBounds({ a: [1, 'xy'], b: null }, SMALL);
    expect(r).toMatchObject({ ok: true, depth: 2, nodes: 5, stringBytes: 4 });
    if (r.ok) expect(r.jsonBytes).toBe(JSON.stringify({ a: [1, 'xy'], b: null }).length);
  });

  it('allows exactly maxDepth containers inside one another and refuses one more', () => {
    expect(checkBounds(nested(4, 'array'), SMALL).ok).toBe(true);
    expect(checkBounds(nested(5, 'array'), SMALL)).toMatchObject({ ok: false, exceeded: 'depth', limit: 4 });
    expect(checkBounds(nested(5, 'object'), SMALL)).toMatchObject({ ok: false, exceeded: 'depth' });
  });

  it('walks a value nested far deeper than the call stack allows without overflowing', () => {
    const deep = nested(200_000, 'array');
    expect(() => JSON.stringify(deep)).toThrow(RangeError);
    expect(checkBounds(deep, { maxDepth: 32, maxNodes: 1e6, maxStringBytes: 1e6 })).toMatchObject({ ok: false, exceeded: 'depth', limit: 32 });
    expect(checkBounds(deep, { maxDepth: 1e6, maxNodes: 1e6, maxStringBytes: 1e6 })).toMatchObject({ ok: true, depth: 200_000 });
  });

  it('counts nodes and refuses a wide value before walking it', () => {
    expect(checkBounds(Array(19).fill(0), SMALL).ok).toBe(true);
    expect(checkBounds(Array(20).fill(0), SMALL)).toMatchObject({ ok: false, exceeded: 'nodes', limit: 20 });
    expect(checkBounds(Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`${i}`, 0])), SMALL)).toMatchObject({ ok: false, exceeded: 'nodes' });
  });

  it('counts UTF-8 bytes of strings, keys and binary attachments', () => {
    expect(checkBounds('中'.repeat(5), SMALL).ok).toBe(true);
    expect(checkBounds('中'.repeat(6), SMALL)).toMatchObject({ ok: false, exceeded: 'string-bytes', limit: 16 });
    expect(checkBounds({ ['k'.repeat(17)]: 1 }, SMALL)).toMatchObject({ ok: false, exceeded: 'string-bytes' });
    expect(checkBounds([Buffer.alloc(17)], SMALL)).toMatchObject({ ok: false, exceeded: 'string-bytes' });
    expect(checkBounds(['\ud800', '\u0000'], SMALL).ok).toBe(true);
  });

  it('treats prototype keys as plain keys and stops on a cycle at the node limit', () => {
    const hostile = JSON.parse('{"__proto__":{"x":[1]},"constructor":{"prototype":1}}') as unknown;
    expect(checkBounds(hostile, { ...SMALL, maxStringBytes: 100 })).toMatchObject({ ok: true, nodes: 6, stringBytes: 30 });
    const cyclic: unknown[] = [];
    cyclic.push(cyclic);
    expect(checkBounds(cyclic, { maxDepth: 1e9, maxNodes: 1000, maxStringBytes: 10 })).toMatchObject({ ok: false, exceeded: 'nodes' });
  });

  it('names the limit in its message but never the value', () => {
    const r = checkBounds({ secret: 'geheim-geheim-geheim' }, SMALL);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.message).toContain('16');
      expect(r.message).not.toContain('geheim');
    }
  });
});
