/**
 * A still picture as a Y4M clip (4:2:0, BT.601), the file Chromium plays as its camera
 * with --use-file-for-fake-video-capture; it loops the clip, so a few frames are a still.
 */
import { writeFileSync } from 'node:fs';
import type { RgbImage } from '../../models/vision/image.ts';

export function writeY4m(file: string, img: RgbImage, frames = 5): void {
  const { width: w, height: h, data } = img;
  if (w % 2 || h % 2) throw new RangeError('a 4:2:0 clip needs an even width and height');
  const y = Buffer.alloc(w * h);
  const u = Buffer.alloc((w / 2) * (h / 2));
  const v = Buffer.alloc((w / 2) * (h / 2));
  for (let i = 0; i < w * h; i++) {
    const [r, g, b] = [data[i * 3], data[i * 3 + 1], data[i * 3 + 2]];
    y[i] = Math.round(16 + 0.257 * r + 0.504 * g + 0.098 * b);
  }
  for (let cy = 0; cy < h / 2; cy++) {
    for (let cx = 0; cx < w / 2; cx++) {
      let r = 0, g = 0, b = 0;
      for (const [dx, dy] of [[0, 0], [1, 0], [0, 1], [1, 1]]) {
        const p = ((cy * 2 + dy) * w + cx * 2 + dx) * 3;
        r += data[p]; g += data[p + 1]; b += data[p + 2];
      }
      [r, g, b] = [r / 4, g / 4, b / 4];
      u[cy * (w / 2) + cx] = Math.round(128 - 0.148 * r - 0.291 * g + 0.439 * b);
      v[cy * (w / 2) + cx] = Math.round(128 + 0.439 * r - 0.368 * g - 0.071 * b);
    }
  }
  const frame = Buffer.concat([Buffer.from('FRAME\n'), y, u, v]);
  writeFileSync(file, Buffer.concat([Buffer.from(`YUV4MPEG2 W${w} H${h} F5:1 Ip A1:1 C420jpeg\n`), ...Array.from({ length: frames }, () => frame)]));
}
