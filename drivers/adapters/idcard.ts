/** The ID-card reader under the supervisor: SAM check on open, polling, health from each poll. */
import { errorMessage } from '../log.ts';
import { IdCardReader, type IdCardReaderOptions } from '../idcard/reader.ts';
import { ReaderDisconnectedError, ReaderTimeoutError, SamError } from '../idcard/errors.ts';
import type { DeviceAdapter, DeviceContext } from './types.ts';

export class IdCardAdapter implements DeviceAdapter {
  readonly reader: IdCardReader;

  constructor(
    private readonly ctx: DeviceContext,
    options: IdCardReaderOptions = {},
  ) {
    const { config } = ctx;
    this.reader = new IdCardReader(null, { ...options, pollMs: config.pollMs ?? options.pollMs, logger: ctx.log });
    this.reader.on('card-present', (read) => ctx.emit('card-present', read, config.id));
    this.reader.on('card-removed', () => ctx.emit('card-removed', config.id));
    this.reader.on('card-error', (err) => ctx.emit('card-error', err, config.id));
    this.reader.on('poll', (outcome) => {
      if (!ctx.isOpen) return;
      if (outcome.ok) ctx.setHealth('ok');
      else if (outcome.error instanceof ReaderTimeoutError) ctx.setHealth('faulty', this.silent());
      else if (outcome.error instanceof SamError) ctx.setHealth('faulty', outcome.error.message);
      else if (!(outcome.error instanceof ReaderDisconnectedError)) ctx.log.debug({ device: config.id, err: errorMessage(outcome.error) }, 'poll failed');
    });
  }

  async open(): Promise<void> {
    const transport = await this.ctx.openPort(115200, () => {
      this.reader.stopPolling();
      this.reader.detach();
    });
    if (!transport) return;
    this.reader.attach(transport);
    try {
      await this.reader.samStatus();
      this.ctx.setHealth('ok');
    } catch (err) {
      this.ctx.setHealth('faulty', err instanceof ReaderTimeoutError ? this.silent() : errorMessage(err));
    }
    // Polling keeps going while faulty: the first good answer turns health back to ok.
    this.reader.startPolling(this.ctx.config.pollMs ?? this.reader.pollMs);
  }

  private silent(): string {
    return `ID-card reader on ${this.ctx.config.port} does not answer`;
  }
}
