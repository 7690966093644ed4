/** Where the shared model files are: XIAOJIN_MODEL_MIRROR, else ../shared/models beside the checkout. */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../../..');

export const MIRROR = [process.env.XIAOJIN_MODEL_MIRROR, resolve(ROOT, '../shared/models'), resolve(ROOT, '../../shared/models')].find(
  (d): d is string => !!d && existsSync(resolve(d, 'kws-zipformer-wenetspeech-3.3M-mobile')),
) ?? resolve(ROOT, '../shared/models');

export const KWS = 'kws-zipformer-wenetspeech-3.3M-mobile';
