/** Every word the citizen kiosk says, in Chinese and English. Catalogue content stays as the hall wrote it. */
import { zh } from './strings-zh.ts';
import { en } from './strings-en.ts';

export const strings = { zh, en };

export { REASONS_ZH } from './strings-zh.ts';
