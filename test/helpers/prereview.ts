/**
 * AI 预审 test fixtures: an ID card's portrait side drawn by ImageMagick (a plain page the
 * offline OCR reads), a caller of the terminal's router that throws the API error's code,
 * and a copy of the default configuration whose kiosk-1 has a scanner hot folder.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_CONFIG_DIR } from '../../config/load.ts';
import type { KioskServices } from '../../electron/services/kiosk-services.ts';

export const CARD_ID_NUMBER = '11010519491231002X';

/** The card's PNG bytes, drawn through a file under `dir` that is removed again. */
export function drawIdCard(dir: string): Buffer {
  const file = join(dir, 'card.png');
  execFileSync('convert', [
    '-size', '900x520', 'xc:#e9f1f4', '-font', '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc', '-pointsize', '30', '-fill', 'black',
    '-annotate', '+40+70', '姓名 张建华', '-annotate', '+40+130', '性别 男   民族 汉', '-annotate', '+40+190', '出生 1949年12月31日',
    '-annotate', '+40+250', '住址 北京市朝阳区建国路88号', '-annotate', '+40+440', `公民身份号码 ${CARD_ID_NUMBER}`, file,
  ]);
  const bytes = readFileSync(file);
  rmSync(file);
  return bytes;
}

export function caller(kiosk: () => KioskServices) {
  return async <T>(method: string, input: unknown): Promise<T> => {
    const r = await kiosk().router.dispatch(method as 'prereview.open', input as { itemCode: string });
    if (!r.ok) throw Object.assign(new Error(r.error.message), { code: r.error.code });
    return r.value as T;
  };
}

/** The default configuration copied under `dir`, kiosk-1 given the hot folder `dir/scans`. */
export function configWithScanner(dir: string): { configDir: string; scans: string } {
  const scans = join(dir, 'scans');
  mkdirSync(scans);
  const configDir = join(dir, 'config');
  cpSync(DEFAULT_CONFIG_DIR, configDir, { recursive: true });
  const kiosksFile = join(configDir, 'kiosks.json');
  const kiosks = JSON.parse(readFileSync(kiosksFile, 'utf8')) as { id: string; scanFolder?: string }[];
  kiosks.find((k) => k.id === 'kiosk-1')!.scanFolder = scans;
  writeFileSync(kiosksFile, JSON.stringify(kiosks, null, 1));
  return { configDir, scans };
}
