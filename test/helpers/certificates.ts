/** A social-security payment record as the data-sharing gateway returns it, for tests and bench:certificate. */
import type { CertificateDocument } from '../../protocol/certificate.ts';

/** `months` monthly rows from January 2023, one per month; the holder's ID number is masked, as every document's must be. */
export function socialSecurityCertificate(months = 36): CertificateDocument {
  const rows = Array.from({ length: months }, (_, i) => [`${2023 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`, '企业职工基本养老保险', '8,000.00', '640.00', '已到账']);
  return {
    kind: 'social-security-record',
    title: '社会保险个人缴费证明',
    source: '广州市社会保险基金管理中心',
    holder: { name: '李今华', idNumberMasked: '4401**********0038' },
    issuedAt: '2026-03-07T09:30:00+08:00',
    rows: [
      { label: '参保地', value: '广州市天河区' },
      { label: '累计缴费月数', value: String(months) },
    ],
    table: { columns: ['年月', '险种', '缴费基数', '个人缴费', '状态'], rows },
  };
}
