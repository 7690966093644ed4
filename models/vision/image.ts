/**
 * The one picture type the OCR works on (8-bit RGB, row-major) and decoding into it.
 * PNG decodes in process (fast-png, already in the tree through pdf-lib); any other format
 * a scanner or a camera file may come in (JPEG, TIFF, BMP) goes through ImageMagick, which
 * the kiosk machine and CI install, rather than a second decoder library per format.
 */
import { spawn } from 'node:child_process';
import { decode, hasPngSignature } from 'fast-png';

export interface RgbImage {
  width: number;
  height: number;
  /** width × height × 3 bytes, R G B. */
  data: Uint8Array;
}

export class ImageError extends Error {
  override name = 'ImageError';
}

export function rgbImage(width: number, height: number): RgbImage {
  return { width, height, data: new Uint8Array(width * height * 3) };
}

/** PNG of any depth and colour type to 8-bit RGB, with transparency put on white. */
export function decodePng(bytes: Uint8Array): RgbImage {
  let png;
  try {
    png = decode(bytes);
  } catch (err) {
    throw new ImageError(`not a readable PNG: ${(err as Error).message}`);
  }
  if (png.palette) throw new ImageError('palette PNGs are not read; save the picture as RGB or grey');
  const { width, height, channels } = png;
  const src = png.data;
  const shift = png.depth === 16 ? 8 : 0;
  const out = rgbImage(width, height);
  const hasAlpha = channels === 2 || channels === 4;
  const colour = channels >= 3;
  for (let i = 0, n = width * height; i < n; i++) {
    const base = i * channels;
    const a = hasAlpha ? (src[base + channels - 1] >> shift) / 255 : 1;
    for (let c = 0; c < 3; c++) {
      const v = src[base + (colour ? c : 0)] >> shift;
      out.data[i * 3 + c] = Math.round(v * a + 255 * (1 - a));
    }
  }
  return out;
}

/** Binary PPM (P6, maxval 255), what ImageMagick writes for `ppm:-`. */
export function decodePpm(bytes: Uint8Array): RgbImage {
  const header: string[] = [];
  let i = 0;
  while (header.length < 4) {
    while (i < bytes.length && /\s/.test(String.fromCharCode(bytes[i]))) i++;
    if (bytes[i] === 0x23) {
      while (i < bytes.length && bytes[i] !== 0x0a) i++;
      continue;
    }
    let token = '';
    while (i < bytes.length && !/\s/.test(String.fromCharCode(bytes[i]))) token += String.fromCharCode(bytes[i++]);
    if (!token) throw new ImageError('truncated PPM header');
    header.push(token);
  }
  const [magic, w, h, max] = header;
  if (magic !== 'P6' || max !== '255') throw new ImageError(`unsupported PPM (${magic}, maxval ${max})`);
  const width = Number(w);
  const height = Number(h);
  const start = i + 1;
  if (bytes.length - start < width * height * 3) throw new ImageError('truncated PPM pixels');
  return { width, height, data: bytes.slice(start, start + width * height * 3) };
}

function run(cmd: string, args: string[], input: Uint8Array): Promise<Buffer> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e) => reject(new ImageError(`${cmd} is not available (${e.message}); install ImageMagick`)));
    child.on('close', (code) => {
      if (code === 0) resolveRun(Buffer.concat(out));
      else reject(new ImageError(`not a readable picture (${Buffer.concat(err).toString().trim().split('\n')[0] || `${cmd} exit ${code}`})`));
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(input);
  });
}

/** Any picture ImageMagick reads, EXIF orientation applied, flattened on white. */
export async function decodeImage(bytes: Uint8Array): Promise<RgbImage> {
  if (bytes.length === 0) throw new ImageError('the picture is empty');
  if (hasPngSignature(bytes)) return decodePng(bytes);
  const ppm = await run('convert', ['-', '-auto-orient', '-background', 'white', '-alpha', 'remove', '-depth', '8', 'ppm:-'], bytes);
  return decodePpm(ppm);
}

export function toGray(img: RgbImage): Uint8Array {
  const g = new Uint8Array(img.width * img.height);
  for (let i = 0, j = 0; i < g.length; i++, j += 3) g[i] = (img.data[j] * 77 + img.data[j + 1] * 150 + img.data[j + 2] * 29) >> 8;
  return g;
}
