/**
 * `xiaojin ask "问题"`: one question in, one JSON object out —
 * {intent, match: {kind, id, title} | null, candidates: [{kind, id, title, score}], answer, confidence}.
 * With --batch FILE every line of FILE is a question and every output line its answer,
 * from one index built once. --catalogue and --faq answer from other knowledge than the
 * hall's configuration (the hall's map, places and templates stay). --trace adds the
 * engine's stages to the JSON and prints them, one line each, on stderr.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { Command } from './index.ts';
import { loadConfigDir, DEFAULT_CONFIG_DIR } from '../config/load.ts';
import { createEngine, importFaqFile, loadCatalogueFile, loadTemplates, OnnxReranker, type Answer, type TraceStep } from '../models/language/index.ts';

const HELP = `usage: xiaojin ask "问题" [options]
       xiaojin ask --batch FILE [options]

options:
  --catalogue FILE   answer from this catalogue: the Guangdong seed (.jsonl) or a catalogue.json
  --faq FILE         answer from this FAQ: CSV or XLSX with question/answer (问题/答案) columns,
                     optional department/部门 and keywords/关键词; an entry's id is its data row number
  --batch FILE       one question per line in, one JSON object per line out
  --config DIR       hall configuration folder (default: the bundled default hall)
  --lang zh|en       language of the answer (default zh)
  --reranker MODEL   ONNX sentence-embedding model for the optional reranking stage
  --vocab FILE       token list for --reranker (one token per line)
  --card             include the screen card and clarification in the output
  --trace            include the engine's stages (understand, retrieve, rerank, accept, dialogue,
                     compose) with their time and result, and print them on stderr`;

function usageError(message: string): Error & { exitCode: number } {
  return Object.assign(new Error(`${message}\n\n${HELP}`), { exitCode: 2 });
}

/** The JSON the command prints: exactly the documented fields, plus card/clarify with --card and the trace with --trace. */
export function toJson(a: Answer, withCard = false): Record<string, unknown> {
  const out: Record<string, unknown> = {
    intent: a.intent,
    match: a.match ? { kind: a.match.kind, id: a.match.id, title: a.match.title } : null,
    candidates: a.candidates.map((c) => ({ kind: c.kind, id: c.id, title: c.title, score: c.score })),
    answer: a.answer,
    confidence: a.confidence,
  };
  if (withCard) {
    if (a.match?.case) out.case = a.match.case;
    if (a.clarify) out.clarify = a.clarify;
    out.card = a.card;
  }
  if (a.trace) out.trace = a.trace;
  return out;
}

/** A trace for people: one line per stage, its time and what it decided. */
export function formatTrace(steps: TraceStep[]): string {
  const width = Math.max(...steps.map((s) => s.stage.length));
  return steps
    .map((s) => {
      const result = Object.entries(s.result).map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`);
      return `${s.stage.padEnd(width)}  ${s.ms.toFixed(2).padStart(7)} ms  ${result.join('  ')}`;
    })
    .join('\n');
}

export const command: Command = {
  summary: "ask the robot's understanding engine",
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        catalogue: { type: 'string' },
        faq: { type: 'string' },
        batch: { type: 'string' },
        config: { type: 'string' },
        lang: { type: 'string' },
        reranker: { type: 'string' },
        vocab: { type: 'string' },
        card: { type: 'boolean' },
        trace: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
    if (values.help) {
      console.log(HELP);
      return 0;
    }
    const question = positionals.join(' ').trim();
    if (!values.batch && !question) throw usageError('ask needs a question or --batch FILE');
    if (values.lang && values.lang !== 'zh' && values.lang !== 'en') throw usageError('--lang is zh or en');
    const lang = (values.lang ?? 'zh') as 'zh' | 'en';

    const config = loadConfigDir(values.config ?? DEFAULT_CONFIG_DIR);
    const catalogue = values.catalogue ? loadCatalogueFile(values.catalogue) : config.catalogue;
    let faq = config.faq;
    if (values.faq) {
      const imported = await importFaqFile(values.faq);
      for (const s of imported.skipped) console.error(`${values.faq}: row ${s.row} skipped: ${s.reason}`);
      faq = imported.entries;
    }
    const rr = values.reranker ? { model: values.reranker, vocab: values.vocab } : config.robot.reranker;
    const reranker = rr ? await OnnxReranker.load(rr.model, rr.vocab) : null;
    const engine = createEngine(
      { catalogue, hall: config.hall, faq, synonyms: config.synonyms, templates: loadTemplates() },
      { contextSeconds: config.robot.contextSeconds, robotName: config.robot.name, reranker },
    );

    const ask = async (q: string): Promise<Answer> => {
      const a = await engine.ask(q, undefined, { lang, trace: values.trace });
      if (a.trace) console.error(`${values.batch ? `${q}\n` : ''}${formatTrace(a.trace)}`);
      return a;
    };

    if (values.batch) {
      let text: string;
      try {
        text = readFileSync(values.batch, 'utf8');
      } catch (err) {
        throw Object.assign(new Error(`cannot read ${values.batch}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`), { exitCode: 1 });
      }
      const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
      const out: string[] = [];
      // Each line stands alone: a batch is a list of questions, not one conversation.
      for (const line of lines) out.push(JSON.stringify(toJson(await ask(line), values.card)));
      process.stdout.write(out.length ? out.join('\n') + '\n' : '');
      return 0;
    }
    console.log(JSON.stringify(toJson(await ask(question), values.card)));
    return 0;
  },
};
