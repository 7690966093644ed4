/**
 * The kiosk's AI 预审 part through the terminal's real root and router, with the real OCR:
 * a page arrives in pieces, is read and judged against the item's materials; what was read
 * is gone once the review finishes, is discarded, or the citizen's session ends; the
 * transaction names only which materials passed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { composeTerminal, type KioskServices } from '../../../electron/services/kiosk-services.ts';
import { prereviewPart } from '../../../electron/services/prereview.ts';
import { PAGE_CHUNK_CHARS } from '../../../protocol/prereview.ts';
import type { PageResult, ReviewOpened } from '../../../protocol/ui/domains/prereview.ts';
import { linkPart } from '../../helpers/terminal-parts.ts';
import { caller, CARD_ID_NUMBER as ID_NUMBER, drawIdCard } from '../../helpers/prereview.ts';

const ITEM = 'GZ-BDC-001'; // 不动产转移登记: 居民身份证, 不动产权证书
let dir: string;
let kiosk: KioskServices;
let card: string;
const recorded: { type: string; payload: unknown }[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'xj-prereview-'));
  const transactions = { append: async (type: string, payload: unknown) => (recorded.push({ type, payload }), { id: String(recorded.length) }) };
  kiosk = await composeTerminal({ kioskId: 'kiosk-1', dataDir: join(dir, 'kiosk'), log: pino({ level: 'silent' }) }, [linkPart(transactions, null), prereviewPart()]);
  card = drawIdCard(dir).toString('base64');
});

afterAll(async () => {
  await kiosk?.close();
  rmSync(dir, { recursive: true, force: true });
});

const call = caller(() => kiosk);

async function send(reviewId: string, base64: string, material?: string): Promise<PageResult> {
  const pieces = base64.match(new RegExp(`.{1,${PAGE_CHUNK_CHARS}}`, 'g'))!;
  let last: unknown;
  for (let i = 0; i < pieces.length; i++) last = await call('prereview.page', { reviewId, material, index: i, count: pieces.length, data: pieces[i] });
  return last as PageResult;
}

describe('AI 预审 part', () => {
  it('reads an ID card page sent in pieces, asks for its other side and records only which materials passed', async () => {
    const opened = await call<ReviewOpened>('prereview.open', { itemCode: ITEM });
    expect(opened.materials).toEqual([{ name: '居民身份证', required: true, checkable: true }, { name: '不动产权证书', required: true, checkable: true }]);
    const result = await send(opened.reviewId, card, '居民身份证');
    expect(result.kind).toBe('id-card-front');
    expect(result.fields).toContainEqual({ key: 'idNumber', value: ID_NUMBER });
    expect(result.verdicts[0]).toEqual({ name: '居民身份证', required: true, status: 'missing', reasons: [{ code: 'side-missing', kind: 'id-card-back' }] });
    expect(result.prefill).toMatchObject({ name: '张建华', idNumber: ID_NUMBER, birth: '1949-12-31' });

    expect(await call('prereview.finish', { reviewId: opened.reviewId })).toEqual({ passed: [] });
    expect(recorded.at(-1)).toEqual({ type: 'prereview', payload: { itemCode: ITEM, materials: [{ name: '居民身份证', passed: false }, { name: '不动产权证书', passed: false }] } });
    expect(JSON.stringify(recorded)).not.toContain(ID_NUMBER);
    // Finished means forgotten: the review cannot be added to or finished again.
    await expect(send(opened.reviewId, card)).rejects.toMatchObject({ code: 'not-found' });
  });

  it('forgets a review when the citizen\'s session ends', async () => {
    const opened = await call<ReviewOpened>('prereview.open', { itemCode: ITEM });
    kiosk.hub.emit('session.changed', { person: null, card: null, senior: null });
    await expect(send(opened.reviewId, card)).rejects.toMatchObject({ code: 'not-found' });
    await expect(call('prereview.finish', { reviewId: opened.reviewId })).rejects.toMatchObject({ code: 'not-found' });
  });

  it('refuses pieces out of order, a material the item lacks and a file that is no picture, keeping the review open', async () => {
    const opened = await call<ReviewOpened>('prereview.open', { itemCode: ITEM });
    await expect(call('prereview.page', { reviewId: opened.reviewId, index: 1, count: 2, data: 'AAAA' })).rejects.toMatchObject({ code: 'bad-input' });
    await expect(call('prereview.page', { reviewId: opened.reviewId, material: '营业执照', index: 0, count: 1, data: 'AAAA' })).rejects.toMatchObject({ code: 'bad-input' });
    await expect(send(opened.reviewId, Buffer.from('not a picture').toString('base64'))).rejects.toThrow(/could not be read/);
    const page = await send(opened.reviewId, card);
    expect(page.kind).toBe('id-card-front');
    await call('prereview.discard', { reviewId: opened.reviewId });
    await expect(call('prereview.finish', { reviewId: opened.reviewId })).rejects.toMatchObject({ code: 'not-found' });
  });

  it('names an unknown item', async () => {
    await expect(call('prereview.open', { itemCode: 'NO-SUCH-ITEM' })).rejects.toMatchObject({ code: 'not-found' });
  });
});
