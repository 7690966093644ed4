/**
 * AI 预审: the kiosk reads the pages a citizen shows the document camera with the offline
 * OCR and says, per material of the item, whether it is there and in order. Pictures are
 * decoded, read and dropped at once; what was read stays only in this review's memory,
 * which is wiped when the review ends, when the citizen's session ends and after a
 * backstop. The platform hears only which materials passed (a 'prereview' transaction).
 */
import { randomUUID } from 'node:crypto';
import { hallDay } from '../../protocol/clock.ts';
import { ApiError } from '../../protocol/ui/errors.ts';
import { kindsForMaterial, MAX_PAGE_BYTES } from '../../protocol/prereview.ts';
import type { PageResult, ReviewOpened } from '../../protocol/ui/domains/prereview.ts';
import type { Material } from '../../config/schema.ts';
import { decodeImage, ImageError } from '../../models/vision/image.ts';
import type { OcrEngine } from '../../models/vision/engine.ts';
import { understand } from '../../models/vision/understand.ts';
import { prefill, reviewMaterials, type ShownPage } from '../../models/vision/review.ts';
import { definePart } from './compose.ts';
import { ScanError, takeNextScan } from './scan-folder.ts';

/** A review nobody finished is wiped after this long, whatever the screen did. */
export const REVIEW_BACKSTOP_MS = 20 * 60_000;

interface Review {
  id: string;
  itemCode: string;
  materials: Material[];
  pages: ShownPage[];
  /** The page being received, piece by piece. */
  upload: { material?: string; count: number; pieces: string[]; chars: number } | null;
  backstop: ReturnType<typeof setTimeout>;
  /** Ends a wait for the scanner when the review is wiped. */
  scanning: AbortController | null;
}

export type LoadEngine = () => Promise<OcrEngine>;

export const prereviewPart = (loadEngine?: LoadEngine) =>
  definePart({
    name: 'prereview',
    needs: ['transactions'],
    provides: [],
    build: (ctx, { transactions }) => {
      // One citizen at a kiosk: one review at a time; opening another wipes the first.
      let review: Review | null = null;
      let engine: Promise<OcrEngine> | null = null;
      const load = loadEngine ?? (async () => (await import('../../models/vision/engine.ts')).OcrEngine.load({ threads: 1 }));

      const wipe = () => {
        if (!review) return;
        clearTimeout(review.backstop);
        review.scanning?.abort();
        review.pages.length = 0;
        review.upload = null;
        review = null;
      };
      const offSession = ctx.hub.on('session.changed', (s) => {
        if (!s.person) wipe();
      });
      ctx.onClose(async () => {
        offSession();
        wipe();
        if (engine) await (await engine.catch(() => null))?.close();
      });

      const current = (id: string): Review => {
        if (!review || review.id !== id) throw new ApiError('not-found', 'this pre-review has ended; start it again from the service guide');
        return review;
      };

      const checkMaterial = (r: Review, material: string | undefined) => {
        if (material !== undefined && !r.materials.some((m) => m.name === material)) throw new ApiError('bad-input', `the item has no material named ${material}`);
      };

      const read = async (r: Review, material: string | undefined, bytes: Buffer): Promise<PageResult> => {
        if (bytes.length > MAX_PAGE_BYTES) throw new ApiError('bad-input', 'the page picture is too large');
        let image;
        try {
          image = await decodeImage(bytes);
        } catch (err) {
          if (err instanceof ImageError) throw new ApiError('bad-input', `the page picture could not be read: ${err.message}`);
          throw err;
        }
        bytes.fill(0);
        engine ??= load();
        let ocr;
        try {
          ocr = await (await engine).read(image);
        } catch (err) {
          engine = null;
          ctx.log.error({ err: (err as Error).message }, 'pre-review OCR failed');
          throw new ApiError('unavailable', 'the document reader is not available on this kiosk');
        }
        image.data.fill(0);
        // The review may have been wiped while the page was read.
        if (review !== r) throw new ApiError('not-found', 'this pre-review has ended; start it again from the service guide');
        const reading = understand(ocr.lines);
        r.pages.push({ reading, forMaterial: material });
        const today = hallDay(ctx.clock.now());
        return {
          kind: reading.kind,
          fields: Object.entries(reading.fields).map(([key, f]) => ({ key, value: f.value, ...(f.problem ? { problem: f.problem } : {}) })),
          verdicts: reviewMaterials(r.materials.map((m) => ({ name: m.name, required: m.required })), r.pages, today),
          prefill: prefill(r.pages.map((p) => p.reading)),
        };
      };

      return {
        provides: {},
        handlers: {
          'prereview.open': ({ itemCode, caseCode }): ReviewOpened => {
            const item = ctx.store.config.catalogue.items.find((i) => i.code === itemCode);
            if (!item) throw new ApiError('not-found', `no service item with code ${itemCode}`);
            const sub = caseCode ? item.cases.find((c) => c.code === caseCode) : undefined;
            if (caseCode && !sub) throw new ApiError('not-found', `item ${itemCode} has no case ${caseCode}`);
            const materials = sub ? sub.materials : item.materials;
            wipe();
            const id = randomUUID();
            review = { id, itemCode, materials, pages: [], upload: null, scanning: null, backstop: setTimeout(wipe, REVIEW_BACKSTOP_MS) };
            review.backstop.unref?.();
            return {
              reviewId: id,
              itemName: sub ? `${item.name}（${sub.name}）` : item.name,
              materials: materials.map((m) => ({ name: m.name, required: m.required, checkable: kindsForMaterial(m.name) !== null })),
              scanner: !!ctx.kiosk.scanFolder,
            };
          },
          'prereview.page': async ({ reviewId, material, index, count, data }) => {
            const r = current(reviewId);
            checkMaterial(r, material);
            if (index === 0) r.upload = { material, count, pieces: [], chars: 0 };
            const up = r.upload;
            if (!up || up.count !== count || up.pieces.length !== index || up.material !== material) {
              r.upload = null;
              throw new ApiError('bad-input', 'the page arrived out of order; capture it again');
            }
            up.pieces.push(data);
            up.chars += data.length;
            if (up.chars > (MAX_PAGE_BYTES * 4) / 3 + 4) {
              r.upload = null;
              throw new ApiError('bad-input', 'the page picture is too large');
            }
            if (index < count - 1) return { received: index + 1 };
            r.upload = null;
            return read(r, material, Buffer.from(up.pieces.join(''), 'base64'));
          },
          'prereview.scan': async ({ reviewId, material }) => {
            const r = current(reviewId);
            checkMaterial(r, material);
            const folder = ctx.kiosk.scanFolder;
            if (!folder) throw new ApiError('device-absent', 'this kiosk has no document scanner; use the camera');
            if (r.scanning) throw new ApiError('conflict', 'a scan is already awaited');
            r.scanning = new AbortController();
            let bytes;
            try {
              bytes = await takeNextScan(folder, { maxBytes: MAX_PAGE_BYTES, signal: r.scanning.signal });
            } catch (err) {
              if (!(err instanceof ScanError)) throw err;
              if (err.reason === 'cancelled') throw new ApiError('not-found', 'this pre-review has ended; start it again from the service guide');
              if (err.reason === 'missing-folder') {
                ctx.log.error({ folder, err: err.message }, 'pre-review scanner folder unreadable');
                throw new ApiError('unavailable', 'the document scanner is not available on this kiosk; use the camera');
              }
              throw new ApiError('bad-input', err.message);
            } finally {
              r.scanning = null;
            }
            if (review !== r) throw new ApiError('not-found', 'this pre-review has ended; start it again from the service guide');
            return read(r, material, bytes);
          },
          'prereview.finish': async ({ reviewId }) => {
            const r = current(reviewId);
            const verdicts = reviewMaterials(r.materials.map((m) => ({ name: m.name, required: m.required })), r.pages, hallDay(ctx.clock.now()));
            const passed = verdicts.filter((v) => v.status === 'present').map((v) => v.name);
            wipe();
            await transactions.append('prereview', { itemCode: r.itemCode, materials: verdicts.map((v) => ({ name: v.name, passed: v.status === 'present' })) });
            return { passed };
          },
          'prereview.discard': ({ reviewId }) => {
            if (review?.id === reviewId) wipe();
            return { ok: true as const };
          },
        },
      };
    },
  });
