/**
 * `npm run ocr:docs [-- --dir DIR --per-kind N --dev N]`: writes the OCR document set
 * (default data/ocr-docs, which git ignores) with truth.json beside the pictures.
 */
import { parseArgs } from 'node:util';
import { buildDocSet, DOCSET_DIR, DOCSET_SIZE } from './docset.ts';

const { values } = parseArgs({ options: { dir: { type: 'string' }, 'per-kind': { type: 'string' }, dev: { type: 'string' } } });
const started = performance.now();
const entries = await buildDocSet(values.dir ?? DOCSET_DIR, {
  perKind: Number(values['per-kind'] ?? DOCSET_SIZE.perKind),
  dev: Number(values.dev ?? DOCSET_SIZE.dev),
});
console.log(`${entries.length} documents in ${values.dir ?? DOCSET_DIR} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
