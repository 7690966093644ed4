/**
 * 身份证复印件 on A4: both faces of the card at their real size (85.6 × 54 mm), drawn from
 * what the reader read, under a watermark that limits the copy to one purpose and day
 * ("仅供办理…使用"), repeated across both faces so it cannot be cut away.
 *
 * The reader's photo is WLT-encrypted and no licensed decoder is available, so the copy
 * shows the photo only when a decoded image (PNG or JPEG) is handed in, and says so
 * plainly where it is missing.
 */
import { degrees, rgb, type PDFImage, type PDFPage } from 'pdf-lib';
import { A4, A4Writer, GREY } from './a4.ts';

export interface IdCardFace {
  name: string;
  sex: string;
  nation: string | null;
  /** YYYY-MM-DD. */
  birth: string;
  address: string | null;
  idNumber: string;
  authority: string;
  validFrom: string;
  validTo: string;
  /** A decoded portrait (PNG or JPEG), when one exists. */
  photo?: Uint8Array | null;
}

export interface IdCopyOptions {
  /** What the copy may be used for, as the citizen chose or typed it (办理社保卡, …). */
  purpose: string;
  hallName: string;
  /** The day written into the watermark (default today in the hall's zone). */
  date?: Date;
}

export class IdCopyInputError extends Error {
  override readonly name = 'IdCopyInputError';
}

const MM = 72 / 25.4;
const CARD = { width: 85.6 * MM, height: 54 * MM };

/** The purpose as it will be printed, or an error saying what is wrong with it. */
export function checkPurpose(purpose: string): string {
  const p = purpose.replace(/\s+/g, ' ').trim().replace(/^仅供办理/, '').replace(/使用$/, '');
  if (!p) throw new IdCopyInputError('请填写复印件的用途（例如：办理社保卡）');
  if ([...p].length > 30) throw new IdCopyInputError('复印件用途最多30个字');
  return p;
}

function chineseDate(d: Date): string {
  const [y, m, day] = d.toLocaleDateString('en-CA', { timeZone: 'Asia/Shanghai' }).split('-');
  return `${y}年${Number(m)}月${Number(day)}日`;
}

function dotted(date: string): string {
  return /^\d{4}-\d{2}-\d{2}$/.test(date) ? date.replaceAll('-', '.') : date;
}

export async function renderIdCopyPdf(face: IdCardFace, opts: IdCopyOptions): Promise<Uint8Array> {
  const purpose = checkPurpose(opts.purpose);
  const date = chineseDate(opts.date ?? new Date());
  const w = await A4Writer.create('居民身份证复印件');
  w.text('居民身份证复印件', { size: 18, align: 'center' });
  w.space(18);

  const x = (A4.width - CARD.width) / 2;
  const frontTop = w.y;
  const front = { x, y: frontTop - CARD.height };
  const back = { x, y: front.y - 36 - CARD.height };
  let photo: PDFImage | null = null;
  if (face.photo?.length) {
    const isPng = face.photo[0] === 0x89 && face.photo[1] === 0x50;
    photo = isPng ? await w.doc.embedPng(face.photo) : await w.doc.embedJpg(face.photo);
  }
  drawFront(w, face, front, photo);
  drawBack(w, face, back);

  const mark = `仅供办理${purpose}使用 ${date}`;
  watermark(w, w.page, mark, { x: x - 20, y: back.y - 20, width: CARD.width + 40, height: frontTop - back.y + 40 });

  w.y = back.y - 30;
  w.text(`用途：仅供办理${purpose}使用，${date}有效，他用无效。`, { size: 11 });
  w.text(`本复印件由${opts.hallName}自助终端根据居民身份证阅读器读取的信息生成。`, { size: 9, color: GREY });
  return w.save();
}

function cardFrame(page: PDFPage, at: { x: number; y: number }): void {
  page.drawRectangle({ x: at.x, y: at.y, width: CARD.width, height: CARD.height, borderColor: GREY, borderWidth: 0.8, color: rgb(0.97, 0.97, 0.95) });
}

function drawFront(w: A4Writer, face: IdCardFace, at: { x: number; y: number }, photo: PDFImage | null): void {
  const page = w.page;
  cardFrame(page, at);
  const left = at.x + 12;
  const top = at.y + CARD.height - 18;
  const label = (t: string, lx: number, ly: number) => w.drawLine(t, lx, ly, 7, 40, { color: rgb(0.2, 0.4, 0.6) }, page);
  const value = (t: string, vx: number, vy: number, size = 8.5) => w.drawLine(t, vx, vy, size, 200, {}, page);
  label('姓名', left, top);
  value(face.name, left + 26, top, 10);
  label('性别', left, top - 18);
  value(face.sex, left + 26, top - 18);
  if (face.nation) {
    label('民族', left + 60, top - 18);
    value(face.nation, left + 84, top - 18);
  }
  const [y, m, d] = face.birth.split('-');
  label('出生', left, top - 36);
  value(d ? `${y}年${Number(m)}月${Number(d)}日` : face.birth, left + 26, top - 36);
  label('住址', left, top - 54);
  const addressWidth = 120;
  let ay = top - 54;
  let line = '';
  for (const ch of face.address ?? '') {
    if (w.font.widthOfTextAtSize(line + ch, 8) > addressWidth) {
      value(line, left + 26, ay, 8);
      ay -= 11;
      line = '';
    }
    line += ch;
  }
  if (line) value(line, left + 26, ay, 8);
  label('公民身份号码', left, at.y + 12);
  value(face.idNumber, left + 52, at.y + 12, 10);

  const photoBox = { x: at.x + CARD.width - 12 - 70, y: at.y + 32, width: 70, height: 88 };
  if (photo) page.drawImage(photo, photoBox);
  else {
    page.drawRectangle({ ...photoBox, borderColor: GREY, borderWidth: 0.5, borderDashArray: [2, 2] });
    w.drawLine('照片', photoBox.x, photoBox.y + 50, 8, photoBox.width, { align: 'center', color: GREY }, page);
    w.drawLine('（阅读器照片已加密）', photoBox.x, photoBox.y + 36, 5.5, photoBox.width, { align: 'center', color: GREY }, page);
  }
}

function drawBack(w: A4Writer, face: IdCardFace, at: { x: number; y: number }): void {
  const page = w.page;
  cardFrame(page, at);
  w.drawLine('中华人民共和国', at.x, at.y + CARD.height - 40, 13, CARD.width, { align: 'center' }, page);
  w.drawLine('居民身份证', at.x, at.y + CARD.height - 62, 16, CARD.width, { align: 'center' }, page);
  const left = at.x + 30;
  w.drawLine('签发机关', left, at.y + 32, 7, 40, { color: rgb(0.2, 0.4, 0.6) }, page);
  w.drawLine(face.authority, left + 42, at.y + 32, 8.5, 160, {}, page);
  w.drawLine('有效期限', left, at.y + 16, 7, 40, { color: rgb(0.2, 0.4, 0.6) }, page);
  w.drawLine(`${dotted(face.validFrom)}-${dotted(face.validTo)}`, left + 42, at.y + 16, 8.5, 160, {}, page);
}

/** The purpose line, diagonal and translucent, tiled over an area. */
function watermark(w: A4Writer, page: PDFPage, text: string, area: { x: number; y: number; width: number; height: number }): void {
  const size = 13;
  const step = w.font.widthOfTextAtSize(text, size) + 30;
  for (let y = area.y; y < area.y + area.height; y += 48) {
    for (let x = area.x - step; x < area.x + area.width; x += step) {
      page.drawText(text, { x, y, size, font: w.font, color: rgb(0.75, 0.2, 0.2), opacity: 0.28, rotate: degrees(18) });
    }
  }
}
