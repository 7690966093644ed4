/**
 * The A4 documents as a reader sees them: pdftotext (poppler) reads the text back, so a
 * font that lost its Unicode map, a table that lost its header on the next page or a
 * watermark that lost its purpose fails here.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { renderCertificatePdf } from '../../../common/pdf/certificate.ts';
import { IdCopyInputError, checkPurpose, renderIdCopyPdf } from '../../../common/pdf/id-copy.ts';
import { CertificateDocument, certificateDigest } from '../../../protocol/certificate.ts';

const PDFTOTEXT = '/usr/bin/pdftotext';
const missing = existsSync(PDFTOTEXT) ? null : 'pdftotext is not installed (Debian poppler-utils, as .ci/run installs)';
if (missing) console.warn(`skipping the PDF text checks: ${missing}`);

const dir = mkdtempSync(join(tmpdir(), 'xj-pdf-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function text(pdf: Uint8Array, name: string): { pages: string[] } {
  const file = join(dir, name);
  writeFileSync(file, pdf);
  return { pages: execFileSync(PDFTOTEXT, ['-layout', file, '-'], { encoding: 'utf8' }).split('\f').filter((p) => p.trim()) };
}

const longRecord: CertificateDocument = {
  kind: 'housing-fund-record',
  title: '住房公积金缴存明细',
  source: '广州住房公积金管理中心',
  holder: { name: '欧阳小华', idNumberMasked: '4401**********002X' },
  issuedAt: '2026-03-07T09:30:00+08:00',
  rows: [{ label: '单位名称', value: '广州市天河区某某科技有限公司（一个很长的单位名称，用来检验换行是否正确地折到下一行而不会压住标签）' }],
  table: { columns: ['年月', '缴存基数', '单位缴存', '个人缴存'], rows: Array.from({ length: 70 }, (_, i) => [`第${i + 1}期`, '12,000.00', '1,440.00', '1,440.00']) },
};

describe.skipIf(!!missing)('A4 documents', () => {
  it('sets a long certificate over several pages, each with the header row, the code and its page number', async () => {
    const { pages } = text(await renderCertificatePdf(longRecord, { hallName: '广州市小今政务服务中心', verification: { code: 'K7MQ2W9XHP4D', url: 'https://hall.example/verify/t/abc' } }), 'long.pdf');
    expect(pages.length).toBeGreaterThan(1);
    pages.forEach((page, i) => {
      expect(page).toContain('年月');
      expect(page).toContain('核验码：K7MQ-2W9X-HP4D');
      expect(page.replace(/\s+/g, '')).toContain(`第${i + 1}页/共${pages.length}页`);
      expect(page).toContain('https://hall.example/verify');
    });
    const all = pages.join('\n');
    expect(all).toContain('住房公积金缴存明细');
    expect(all).toContain('第70期');
    expect(all).toContain('4401**********002X');
    expect(all.replace(/\s+/g, '')).toContain('不会压住标签');
  });

  it('puts the card face and the purpose and date watermark on an ID copy', async () => {
    const face = { name: '李今华', sex: '男', nation: '汉', birth: '1968-03-15', address: '广东省广州市越秀区府前路1号', idNumber: '440104196803150038', authority: '广州市公安局越秀分局', validFrom: '2010-01-01', validTo: '长期' };
    const all = text(await renderIdCopyPdf(face, { purpose: '  仅供办理银行开户使用 ', hallName: '广州市小今政务服务中心', date: new Date('2026-03-07T02:00:00Z') }), 'copy.pdf').pages.join('\n');
    expect(all).toContain('440104196803150038');
    expect(all).toContain('广州市公安局越秀分局');
    expect(all).toContain('2010.01.01-长期');
    expect(all).toContain('仅供办理银行开户使用，2026年3月7日有效');
    expect(all).toContain('照片');
  });
});

describe('what a certificate and a copy accept', () => {
  it('refuses an empty or overlong purpose with words for the citizen', () => {
    expect(() => checkPurpose('   ')).toThrow(IdCopyInputError);
    expect(() => checkPurpose('办'.repeat(31))).toThrow(/最多30个字/);
    expect(checkPurpose('仅供办理社保卡申领使用')).toBe('社保卡申领');
  });

  it('refuses a certificate whose ID number is not masked, and digests content independently of key order', () => {
    const unmasked = CertificateDocument.safeParse({ ...longRecord, holder: { name: '欧阳小华', idNumberMasked: '44010619900307002X' } });
    expect(unmasked.success).toBe(false);
    const reordered = JSON.parse(JSON.stringify({ table: longRecord.table, rows: longRecord.rows, issuedAt: longRecord.issuedAt, holder: longRecord.holder, source: longRecord.source, title: longRecord.title, kind: longRecord.kind }));
    expect(certificateDigest(reordered)).toBe(certificateDigest(longRecord));
    expect(certificateDigest({ ...longRecord, title: '住房公积金缴存明细 ' })).not.toBe(certificateDigest(longRecord));
  });
});
