/**
 * The public verify page: plain HTML from the platform (no script, so it opens on any
 * phone that scans the code), in Chinese with English under it. It shows what a valid
 * certificate certifies, with the holder masked as on every screen, and says plainly
 * when a code is unknown or a certificate was altered.
 */
import { formatVerifyCode, type VerifyAnswer } from '../../protocol/certificate.ts';

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const STYLE = `body{font-family:"WenQuanYi Micro Hei","Noto Sans CJK SC",sans-serif;max-width:36rem;margin:2rem auto;padding:0 1rem;color:#222}
h1{font-size:1.4rem}.ok{border-left:6px solid #1a7f37;background:#eef8f0;padding:1rem}.bad{border-left:6px solid #c62828;background:#fdecea;padding:1rem}
dt{color:#666;margin-top:.5rem}dd{margin:0;font-size:1.1rem}.en{color:#666;font-size:.85rem}input{font-size:1.1rem;padding:.4rem;width:14rem}button{font-size:1.1rem;padding:.4rem 1rem}`;

function time(iso: string): string {
  return new Date(iso).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false });
}

function result(answer: VerifyAnswer): string {
  if (!answer.valid) {
    return `<section class="bad" id="result" data-valid="false" data-reason="${answer.reason}"><h2>核验未通过</h2><p>${escape(answer.message)}</p><p class="en">${
      answer.reason === 'unknown' ? 'No certificate with this code was issued here.' : answer.reason === 'tampered' ? 'The certificate does not match its signature: it may have been altered.' : 'This is not a valid verification code.'
    }</p></section>`;
  }
  const c = answer.claims;
  const rows: Array<[string, string]> = [
    ['证明名称', c.title],
    ['出具单位', c.source],
    ['持证人', c.holderName],
    ['证件号码', c.holderId],
    ['出具时间', time(c.issuedAt)],
    ['打印地点', c.hall],
  ];
  if (answer.code) rows.push(['核验码', formatVerifyCode(answer.code)]);
  return `<section class="ok" id="result" data-valid="true"><h2>核验通过：本平台出具的真实证明</h2><p class="en">Valid: this certificate was issued by this platform.</p><dl>${rows
    .map(([k, v]) => `<dt>${k}</dt><dd>${escape(v)}</dd>`)
    .join('')}</dl><p class="en">内容摘要 (SHA-256): <code>${escape(c.digest)}</code></p></section>`;
}

export function verifyPage(hallName: string, answer: VerifyAnswer | null, code?: string): string {
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>证明核验 · ${escape(hallName)}</title><style>${STYLE}</style></head><body>
<h1>证明核验</h1><p class="en">Certificate verification · ${escape(hallName)}</p>
${answer ? result(answer) : ''}
<form method="get" action="/verify"><p><label for="code">输入证明上的核验码 <span class="en">Verification code</span></label></p>
<p><input id="code" name="code" autocomplete="off" placeholder="ABCD-2345-EFGH" value="${escape(code ?? '')}"> <button type="submit">核验</button></p></form>
</body></html>`;
}
