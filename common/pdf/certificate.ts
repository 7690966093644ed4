/**
 * A certificate on A4: the hall's name, the title, who issued it and to whom (masked),
 * its label/value rows and its table (carried over to further pages with the header
 * repeated), and on every page a footer with the verification QR code, the short code to
 * type in, where to check it, and the page number.
 */
import { rgb } from 'pdf-lib';
import { formatVerifyCode, type CertificateDocument } from '../../protocol/certificate.ts';
import { A4, A4Writer, GREY, MARGIN, drawQr, wrap } from './a4.ts';

export interface CertificateLayoutOptions {
  hallName: string;
  verification: { code: string; url: string };
  /** The time the paper is printed (default now), shown apart from when the content was issued. */
  printedAt?: Date;
}

const FOOTER_HEIGHT = 110;
const QR_SIZE = 92;

export function shanghaiTime(d: Date): string {
  return d.toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false });
}

export async function renderCertificatePdf(doc: CertificateDocument, opts: CertificateLayoutOptions): Promise<Uint8Array> {
  const w = await A4Writer.create(doc.title, MARGIN + FOOTER_HEIGHT);
  w.text(opts.hallName, { size: 11, align: 'center', color: GREY });
  w.space(8);
  w.text(doc.title, { size: 22, align: 'center' });
  w.space(6);
  w.text(`出具单位：${doc.source}`, { size: 10.5, align: 'center', color: GREY });
  w.rule();

  const pairs: Array<[string, string]> = [
    ['姓名', doc.holder.name],
    ['证件号码', doc.holder.idNumberMasked],
    ['出具时间', shanghaiTime(new Date(doc.issuedAt))],
    ...doc.rows.map((r): [string, string] => [r.label, r.value]),
  ];
  const labelWidth = 110;
  for (const [label, value] of pairs) {
    const lines = wrap(w.font, value || '—', 11.5, A4.width - 2 * MARGIN - labelWidth);
    // A row's label and its value stay on one page together.
    w.keep(lines.length * 17.25 + 3);
    w.drawLine(`${label}：`, MARGIN, w.y - 11.5 * 1.2, 11.5, labelWidth, { color: GREY });
    w.text(value || '—', { size: 11.5, x: MARGIN + labelWidth });
    w.space(3);
  }

  if (doc.table) {
    w.space(10);
    drawTable(w, doc.table);
  }

  const printed = shanghaiTime(opts.printedAt ?? new Date());
  const total = w.pages.length;
  w.pages.forEach((page, i) => {
    const base = MARGIN;
    page.drawLine({ start: { x: MARGIN, y: base + FOOTER_HEIGHT - 8 }, end: { x: A4.width - MARGIN, y: base + FOOTER_HEIGHT - 8 }, thickness: 0.6, color: GREY });
    drawQr(page, opts.verification.url, A4.width - MARGIN - QR_SIZE, base, QR_SIZE);
    const textWidth = A4.width - 2 * MARGIN - QR_SIZE - 12;
    const lines = [
      `核验码：${formatVerifyCode(opts.verification.code)}`,
      '扫描右侧二维码，或在核验页面输入核验码，可核验本证明的真实性。',
      `核验页面：${new URL(opts.verification.url).origin}/verify`,
      `${opts.hallName}自助打印 · 打印时间 ${printed}`,
      `第 ${i + 1} 页 / 共 ${total} 页`,
    ];
    let y = base + FOOTER_HEIGHT - 26;
    lines.forEach((line, n) => {
      const size = n === 0 ? 13 : 9;
      for (const l of wrap(w.font, line, size, textWidth)) {
        w.drawLine(l, MARGIN, y, size, textWidth, { color: n === 0 ? rgb(0, 0, 0) : GREY }, page);
        y -= size + 5;
      }
    });
  });
  return w.save();
}

function drawTable(w: A4Writer, table: NonNullable<CertificateDocument['table']>): void {
  const size = 9.5;
  const pad = 4;
  const width = A4.width - 2 * MARGIN;
  // Columns share the width by their widest text, each at least a sixth of an even share.
  const measure = (s: string) => w.font.widthOfTextAtSize(s, size) + 2 * pad;
  const weight = table.columns.map((c, i) => Math.max(measure(c), ...table.rows.map((r) => measure(r[i] ?? ''))));
  const sum = weight.reduce((a, b) => a + b, 0);
  const floor = width / table.columns.length / 6;
  const raw = weight.map((x) => Math.max(floor, (width * x) / sum));
  const scale = width / raw.reduce((a, b) => a + b, 0);
  const widths = raw.map((x) => x * scale);

  const row = (cells: string[], header: boolean) => {
    const wrapped = cells.map((c, i) => wrap(w.font, c, size, widths[i] - 2 * pad));
    const height = Math.max(...wrapped.map((l) => l.length)) * (size + 3) + 2 * pad;
    const started = w.keep(height);
    if (started && !header) row(table.columns, true);
    const top = w.y;
    let x = MARGIN;
    wrapped.forEach((lines, i) => {
      w.page.drawRectangle({ x, y: top - height, width: widths[i], height, borderColor: GREY, borderWidth: 0.5, ...(header ? { color: rgb(0.92, 0.92, 0.92) } : {}) });
      lines.forEach((l, n) => w.drawLine(l, x + pad, top - pad - (n + 1) * (size + 3) + 3, size, widths[i] - 2 * pad));
      x += widths[i];
    });
    w.y = top - height;
  };
  row(table.columns, true);
  for (const r of table.rows) row(r, false);
}
