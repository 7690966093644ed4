/**
 * The shape check every incoming value passes before anything recursive touches it
 * (zod, JSON.stringify, the socket.io encoder). A device or a browser can send an array
 * nested thousands deep in a few kilobytes; a recursive walk over it overflows the stack.
 * This walk keeps its own stack, so it cannot overflow whatever it is given.
 */

export interface Bounds {
  /** Arrays and objects nested inside one another, at most. */
  maxDepth: number;
  /** Values of any kind, containers included. */
  maxNodes: number;
  /** UTF-8 bytes of every string and object key, and of binary attachments. */
  maxStringBytes: number;
}

export type BoundsExceeded = 'depth' | 'nodes' | 'string-bytes';

export type BoundsVerdict =
  | { ok: true; depth: number; nodes: number; stringBytes: number; /** About what JSON.stringify would make of it, in bytes. */ jsonBytes: number }
  | { ok: false; exceeded: BoundsExceeded; limit: number; message: string };

const WHAT: Record<BoundsExceeded, string> = {
  depth: 'nests arrays or objects deeper than',
  nodes: 'holds more values than',
  'string-bytes': 'carries more bytes of text than',
};

function exceeded(kind: BoundsExceeded, limit: number): BoundsVerdict {
  return { ok: false, exceeded: kind, limit, message: `the value ${WHAT[kind]} the limit of ${limit}` };
}

function binaryLength(v: object): number | null {
  if (ArrayBuffer.isView(v)) return v.byteLength;
  if (v instanceof ArrayBuffer) return v.byteLength;
  return null;
}

/** Walks `value` with an explicit stack and stops at the first limit passed. */
export function checkBounds(value: unknown, bounds: Bounds): BoundsVerdict {
  const values: unknown[] = [value];
  const depths: number[] = [0];
  let nodes = 1;
  let stringBytes = 0;
  let jsonBytes = 0;
  let deepest = 0;
  while (values.length) {
    const v = values.pop();
    const depth = depths.pop()!;
    if (depth > deepest) deepest = depth;
    if (typeof v === 'string') {
      const n = Buffer.byteLength(v, 'utf8');
      stringBytes += n;
      jsonBytes += n + 2;
    } else if (typeof v === 'number') {
      jsonBytes += Number.isFinite(v) ? String(v).length : 4;
    } else if (typeof v === 'boolean') {
      jsonBytes += v ? 4 : 5;
    } else if (v === null || v === undefined) {
      jsonBytes += 4;
    } else if (typeof v === 'object') {
      const binary = binaryLength(v);
      if (binary !== null) {
        stringBytes += binary;
        jsonBytes += binary;
      } else {
        if (depth + 1 > bounds.maxDepth) return exceeded('depth', bounds.maxDepth);
        if (Array.isArray(v)) {
          if (nodes + v.length > bounds.maxNodes) return exceeded('nodes', bounds.maxNodes);
          nodes += v.length;
          jsonBytes += 2 + Math.max(0, v.length - 1);
          for (const item of v) {
            values.push(item);
            depths.push(depth + 1);
          }
        } else {
          const keys = Object.keys(v);
          if (nodes + keys.length > bounds.maxNodes) return exceeded('nodes', bounds.maxNodes);
          nodes += keys.length;
          jsonBytes += 2 + Math.max(0, keys.length - 1);
          for (const key of keys) {
            const n = Buffer.byteLength(key, 'utf8');
            stringBytes += n;
            jsonBytes += n + 3;
            values.push((v as Record<string, unknown>)[key]);
            depths.push(depth + 1);
          }
        }
      }
    }
    // Functions, symbols and bigints never arrive from JSON; they count as one node and nothing more.
    if (stringBytes > bounds.maxStringBytes) return exceeded('string-bytes', bounds.maxStringBytes);
  }
  return { ok: true, depth: deepest, nodes, stringBytes, jsonBytes };
}
