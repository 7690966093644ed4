/**
 * print.idCopy: a copy of the signed-in citizen's ID card (身份证复印件) on the terminal's
 * A4 printer, made from what the reader read and watermarked for the purpose the citizen
 * gave and today's date. The card's text never leaves this process except as the PDF sent
 * to the printer; the PDF is made in memory and let go once the print server has it. The
 * record of it (a 'print' transaction) says only that a copy was printed.
 */
import { ApiError } from '../../protocol/ui/errors.ts';
import type { A4JobStatus } from '../../protocol/ui/domains/print.ts';
import { IdCopyInputError, checkPurpose, renderIdCopyPdf, type IdCardFace } from '../../common/pdf/id-copy.ts';
import type { CardText } from '../../drivers/idcard/text.ts';
import type { Handlers } from '../api/router.ts';
import type { TerminalContext } from './kiosk-services.ts';
import { definePart, type DeviceBoard, type TransactionLog } from './compose.ts';
import type { SessionService } from './session.ts';

/** What a copy shows of each kind of card; a foreign permanent resident's card names the nationality where a resident card names the ethnicity. */
export function faceOf(card: CardText): IdCardFace {
  return {
    name: card.cardType === 'foreign-permanent' ? `${card.chineseName || card.name}` : card.name,
    sex: card.sex,
    nation: card.cardType === 'resident' ? card.nation : null,
    birth: card.birth,
    address: card.address,
    idNumber: card.idNumber,
    authority: card.authority,
    validFrom: card.validFrom,
    validTo: card.validTo,
    // The reader's photo is WLT-encrypted; without a licensed decoder there is no image to place.
    photo: null,
  };
}

export class IdCopyService {
  constructor(
    private readonly ctx: TerminalContext,
    private readonly devices: DeviceBoard,
    private readonly session: SessionService,
    private readonly transactions: TransactionLog,
  ) {}

  async print(purposeInput: string): Promise<A4JobStatus> {
    const card = this.session.currentCard();
    if (!card) throw new ApiError('not-signed-in', '请先在读卡器上放置身份证');
    let purpose: string;
    try {
      purpose = checkPurpose(purposeInput);
    } catch (err) {
      if (err instanceof IdCopyInputError) throw new ApiError('bad-input', err.message);
      throw err;
    }
    const a4 = this.devices.a4;
    if (!a4 || !a4.available) {
      await this.record({ jobId: 'none', state: 'failed', cause: 'absent' });
      throw new ApiError('device-absent', '本机暂不能打印A4文件，请到窗口办理复印。');
    }
    const pdf = await renderIdCopyPdf(faceOf(card), { purpose, hallName: this.ctx.store.config.hall.name });
    const status = await a4.print(pdf, { jobName: 'id-copy' });
    const plain: A4JobStatus = { jobId: status.jobId, state: status.state, cause: status.cause };
    await this.record({ jobId: status.jobId, state: status.state, reason: status.reason });
    return plain;
  }

  status(jobId: string): A4JobStatus {
    const job = this.devices.a4?.job(jobId);
    if (!job) throw new ApiError('not-found', `no A4 print job ${jobId}`);
    return { jobId: job.jobId, state: job.state, cause: job.cause };
  }

  private async record(payload: { jobId: string; state: A4JobStatus['state']; reason?: string; cause?: 'absent' }): Promise<void> {
    try {
      await this.transactions.append('print', { document: 'id-copy', ...payload, ...(payload.reason ? { reason: payload.reason.slice(0, 200) } : {}) });
    } catch (err) {
      this.ctx.log.warn({ err: (err as Error).message }, 'print transaction not recorded');
    }
  }

  handlers(): Handlers {
    return {
      'print.idCopy': ({ purpose }) => this.print(purpose),
      'print.a4Status': ({ jobId }) => this.status(jobId),
    };
  }
}

export const idCopyPart = definePart({
  name: 'id-copy',
  needs: ['devices', 'session', 'transactions'],
  provides: [],
  build: (ctx, { devices, session, transactions }) => ({ provides: {}, handlers: new IdCopyService(ctx, devices, session, transactions).handlers() }),
});
