/**
 * The A4 printer under the supervisor. Its "port" is the printer's IPP URI (a CUPS queue,
 * ipp://host:631/printers/name): opening is asking the printer for its state, health
 * follows the state it reports, and losing the print server counts as losing the device,
 * so the supervisor reconnects with its usual backoff.
 */
import { EventEmitter } from 'node:events';
import { errorMessage } from '../log.ts';
import { A4Printer, type A4PrinterOptions, type A4PrinterStatus } from '../a4printer/printer.ts';
import { A4_REASON } from '../a4printer/states.ts';
import type { DeviceAdapter, DeviceContext } from './types.ts';

export class A4PrinterAdapter implements DeviceAdapter {
  readonly printer: A4Printer;
  /** Tells the supervisor the print server went away (its 'close'). */
  private link = new EventEmitter();

  constructor(
    private readonly ctx: DeviceContext,
    options: Partial<A4PrinterOptions> = {},
  ) {
    this.printer = new A4Printer({ pollMs: ctx.config.pollMs ?? 2000, ...options, printerUri: ctx.config.port, userName: 'xiaojin', logger: ctx.log });
    this.printer.on('job', (job) => ctx.emit('a4-print-job', job));
    this.printer.on('status', (status) => {
      if (!ctx.isOpen) return;
      if (status.cause === 'disconnected' || status.cause === 'no-response') {
        this.link.emit('close');
        return;
      }
      this.apply(status);
    });
  }

  async open(): Promise<void> {
    let status: A4PrinterStatus;
    try {
      status = await this.printer.status();
    } catch (err) {
      throw new Error(`the A4 printer at ${this.ctx.config.port} does not answer: ${errorMessage(err)}`, { cause: err });
    }
    this.link = new EventEmitter();
    this.ctx.opened(async () => undefined, this.link);
    this.apply(status);
    this.printer.startMonitoring();
  }

  async dispose(): Promise<void> {
    await this.printer.close();
  }

  private apply(status: A4PrinterStatus): void {
    if (status.cause) this.ctx.setHealth('faulty', `${A4_REASON[status.cause]} (${status.reasons.join(', ') || status.state})`);
    else this.ctx.setHealth('ok');
  }
}
