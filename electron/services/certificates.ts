/**
 * Certificates printed at the terminal: a certificate for the signed-in citizen is signed
 * by the platform (which files it under a verification code), laid out on A4 with its QR
 * code and code, and sent to the A4 printer. Other parts (the data-sharing queries) hand
 * it documents; the screen never does, since a screen could hand it anything.
 *
 * The platform is sent what the paper shows with the holder masked, the content's digest
 * and the hall's keyed hash of the ID number, never the content; the PDF lives in memory
 * until the print server has it.
 */
import { ApiError } from '../../protocol/ui/errors.ts';
import type { A4JobStatus } from '../../protocol/ui/domains/print.ts';
import { CertificateDocument, ISSUE_CERTIFICATE_EVENT, IssueCertificateReply, issueRequestFor } from '../../protocol/certificate.ts';
import { idKeyOf } from '../../protocol/id-key.ts';
import { summarizeIssues } from '../../protocol/sync.ts';
import { renderCertificatePdf } from '../../common/pdf/certificate.ts';
import type { TerminalContext } from './kiosk-services.ts';
import { definePart, type CentralLink, type DeviceBoard, type TransactionLog } from './compose.ts';
import { maskIdNumber, maskName, type SessionService } from './session.ts';

export interface PrintedCertificate {
  job: A4JobStatus;
  /** The verification code printed on it. */
  code: string;
}

const SIGN_TIMEOUT_MS = 10_000;

export class CertificatePrinter {
  constructor(
    private readonly ctx: TerminalContext,
    private readonly devices: DeviceBoard,
    private readonly session: SessionService,
    private readonly central: CentralLink | null,
    private readonly transactions: TransactionLog,
  ) {}

  async print(input: unknown): Promise<PrintedCertificate> {
    const card = this.session.currentCard();
    if (!card) throw new ApiError('not-signed-in', '请先在读卡器上放置身份证');
    const parsed = CertificateDocument.safeParse(input);
    if (!parsed.success) throw new ApiError('bad-input', `the certificate is not valid: ${summarizeIssues(parsed.error)}`);
    const document = parsed.data;
    // A certificate is only ever printed for the citizen whose card was read.
    if (document.holder.idNumberMasked !== maskIdNumber(card.idNumber)) throw new ApiError('bad-input', 'the certificate is not for the signed-in citizen');
    const a4 = this.devices.a4;
    if (!a4 || !a4.available) throw new ApiError('device-absent', '本机暂不能打印A4证明，请到窗口办理。');
    const secret = this.central?.idKeySecret() ?? null;
    if (!this.central || !this.central.online || !secret) throw new ApiError('offline', '暂时连接不上服务平台，证明无法签发');

    const reply = IssueCertificateReply.safeParse(await this.central.request(ISSUE_CERTIFICATE_EVENT, issueRequestFor(document, idKeyOf(card.idNumber, secret), maskName(document.holder.name)), SIGN_TIMEOUT_MS));
    if (!reply.success) throw new ApiError('internal', 'the platform answered the certificate request in a shape this terminal does not understand');
    if (!reply.data.ok) throw new ApiError(reply.data.error.code === 'bad-request' ? 'bad-input' : 'unavailable', reply.data.error.message);
    const issued = reply.data.value;

    const pdf = await renderCertificatePdf(document, { hallName: this.ctx.store.config.hall.name, verification: { code: issued.code, url: issued.verifyUrl } });
    const status = await a4.print(pdf, { jobName: `certificate ${document.kind}` });
    try {
      await this.transactions.append('print', { document: 'certificate', jobId: status.jobId, state: status.state, ...(status.reason ? { reason: status.reason.slice(0, 200) } : {}) });
    } catch (err) {
      this.ctx.log.warn({ err: (err as Error).message }, 'print transaction not recorded');
    }
    this.ctx.log.info({ kind: document.kind, jobId: status.jobId, state: status.state }, 'certificate sent to the A4 printer');
    return { job: { jobId: status.jobId, state: status.state, cause: status.cause }, code: issued.code };
  }
}

export const certificatesPart = definePart({
  name: 'certificates',
  needs: ['devices', 'session', 'central', 'transactions'],
  provides: ['certificates'],
  build: (ctx, { devices, session, central, transactions }) => ({ provides: { certificates: new CertificatePrinter(ctx, devices, session, central, transactions) } }),
});
