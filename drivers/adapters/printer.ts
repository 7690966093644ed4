/** The receipt printer under the supervisor: health follows its status, jobs are re-emitted. */
import { errorMessage } from '../log.ts';
import { ReceiptPrinter, type ReceiptPrinterOptions } from '../printer/printer.ts';
import { notReadyReason, type PrinterStatus } from '../printer/status.ts';
import { SIM_PORT } from '../simulated.ts';
import type { DeviceAdapter, DeviceContext } from './types.ts';

const NOT_READY: Record<NonNullable<ReturnType<typeof notReadyReason>>, string> = {
  'paper-out': '缺纸 (paper out)',
  'cover-open': '纸仓盖打开 (cover open)',
  'cutter-error': '切刀故障 (cutter error)',
  offline: '离线 (offline)',
};

export class PrinterAdapter implements DeviceAdapter {
  readonly printer: ReceiptPrinter;

  constructor(
    private readonly ctx: DeviceContext,
    options: ReceiptPrinterOptions = {},
  ) {
    const { config } = ctx;
    this.printer = new ReceiptPrinter(null, {
      // A simulator's status is current at once; a real printer needs time per line.
      msPerLine: config.port === SIM_PORT ? 0 : 25,
      ...options,
      pollMs: config.pollMs ?? options.pollMs ?? 2000,
      logger: ctx.log,
    });
    this.printer.on('job', (job) => ctx.emit('print-job', job));
    this.printer.on('status', (status) => {
      ctx.emit('printer-status', status, config.id);
      if (ctx.isOpen) this.apply(status);
    });
    this.printer.on('status-error', (err) => {
      if (ctx.isOpen) this.silent(err);
    });
  }

  async open(): Promise<void> {
    const transport = await this.ctx.openPort(9600, () => {
      this.printer.stopMonitoring();
      this.printer.detach();
    });
    if (!transport) return;
    this.printer.attach(transport);
    try {
      this.apply(await this.printer.status());
    } catch (err) {
      this.silent(err);
    }
    this.printer.startMonitoring();
  }

  async dispose(): Promise<void> {
    await this.printer.close().catch(() => undefined);
  }

  private apply(status: PrinterStatus): void {
    const reason = notReadyReason(status);
    if (reason) this.ctx.setHealth('faulty', NOT_READY[reason], status.paper);
    else this.ctx.setHealth('ok', status.paper === 'near-end' ? '纸将用完 (paper near end)' : undefined, status.paper);
  }

  private silent(err: unknown): void {
    this.ctx.setHealth('faulty', `printer on ${this.ctx.config.port} does not answer: ${errorMessage(err)}`);
  }
}
