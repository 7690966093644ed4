/**
 * Optional second stage: a sentence-embedding model (ONNX, run by onnxruntime-node)
 * scores the question against the top candidates' titles by cosine similarity. The
 * lexical engine is complete without it; a hall that has a suitable model names it in
 * settings (robot.reranker.model, and .vocab for its token list).
 *
 * The model contract is the common one for exported sentence encoders: an int64
 * `input_ids` [1, n] (plus `attention_mask` / `token_type_ids` when the graph asks for
 * them); the first output is either a sentence vector [1, d] or token vectors
 * [1, n, d], which are mean-pooled. Tokens are single characters looked up in the
 * vocabulary file (one token per line, line number = id), unknown ones as [UNK] or 0.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

export interface Reranker {
  /** Cosine similarity of the question to each text, in order. */
  similarities(query: string, texts: string[]): Promise<number[]>;
}

interface OrtTensor {
  data: ArrayLike<number | bigint>;
  dims: readonly number[];
}
interface OrtSession {
  inputNames: readonly string[];
  outputNames: readonly string[];
  run(feeds: Record<string, unknown>): Promise<Record<string, OrtTensor>>;
}
interface Ort {
  InferenceSession: { create(path: string, opts?: unknown): Promise<OrtSession> };
  Tensor: new (type: string, data: BigInt64Array, dims: number[]) => unknown;
}

const require = createRequire(import.meta.url);

export class OnnxReranker implements Reranker {
  private readonly cache = new Map<string, Float32Array>();

  private constructor(
    private readonly ort: Ort,
    private readonly session: OrtSession,
    private readonly vocab: Map<string, number>,
    private readonly unk: number,
    private readonly maxTokens: number,
  ) {}

  /** Load a model and its vocabulary; throws with the path when either is unusable. */
  static async load(modelPath: string, vocabPath?: string, maxTokens = 64): Promise<OnnxReranker> {
    const ort = require('onnxruntime-node') as Ort;
    let session: OrtSession;
    try {
      session = await ort.InferenceSession.create(modelPath, { executionProviders: ['cpu'], graphOptimizationLevel: 'all' });
    } catch (err) {
      throw new Error(`reranker model ${modelPath} cannot be loaded: ${(err as Error).message}`, { cause: err });
    }
    const vocab = new Map<string, number>();
    if (vocabPath) {
      readFileSync(vocabPath, 'utf8')
        .split(/\r?\n/)
        .forEach((tok, i) => {
          if (tok && !vocab.has(tok)) vocab.set(tok, i);
        });
    }
    const unk = vocab.get('[UNK]') ?? 0;
    return new OnnxReranker(ort, session, vocab, unk, maxTokens);
  }

  tokens(text: string): number[] {
    const ids = [...text].filter((c) => /[\p{L}\p{N}]/u.test(c)).map((c) => this.vocab.get(c) ?? this.vocab.get(c.toLowerCase()) ?? this.unk);
    const cls = this.vocab.get('[CLS]');
    const sep = this.vocab.get('[SEP]');
    const body = ids.slice(0, this.maxTokens - (cls !== undefined ? 2 : 0));
    const out = cls !== undefined && sep !== undefined ? [cls, ...body, sep] : body;
    return out.length ? out : [this.unk];
  }

  async embed(text: string): Promise<Float32Array> {
    const hit = this.cache.get(text);
    if (hit) return hit;
    const ids = this.tokens(text);
    const n = ids.length;
    const tensor = (vals: number[]) => new this.ort.Tensor('int64', BigInt64Array.from(vals.map((v) => BigInt(v))), [1, n]);
    const feeds: Record<string, unknown> = {};
    for (const name of this.session.inputNames) {
      if (/mask/i.test(name)) feeds[name] = tensor(ids.map(() => 1));
      else if (/type/i.test(name)) feeds[name] = tensor(ids.map(() => 0));
      else feeds[name] = tensor(ids);
    }
    const result = await this.session.run(feeds);
    const out = result[this.session.outputNames[0]];
    const data = Float32Array.from(out.data as ArrayLike<number>, Number);
    let vec: Float32Array;
    if (out.dims.length === 3) {
      const [, len, d] = out.dims;
      vec = new Float32Array(d);
      for (let t = 0; t < len; t++) for (let k = 0; k < d; k++) vec[k] += data[t * d + k] / len;
    } else vec = data.slice(0, out.dims[out.dims.length - 1]);
    if (this.cache.size > 5000) this.cache.clear();
    this.cache.set(text, vec);
    return vec;
  }

  async similarities(query: string, texts: string[]): Promise<number[]> {
    const q = await this.embed(query);
    const out: number[] = [];
    for (const t of texts) out.push(cosine(q, await this.embed(t)));
    return out;
  }
}

export function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return na && nb ? dot / Math.sqrt(na * nb) : 0;
}
