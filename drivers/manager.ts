/**
 * The one supervisor of a terminal's devices: opens those its configuration names
 * through one adapter per kind, reports each one's health, reconnects with backoff when
 * a port disappears and comes back, and turns every device failure into a health
 * change, never into an exception that could take the kiosk down. Simulators come in
 * through the transport seam (`simulators`), never from here.
 */
import { EventEmitter } from 'node:events';
import type { DeviceConfig } from '../config/schema.ts';
import type { ByteTransport } from './transport/types.ts';
import { PortAbsentError, openSerial } from './transport/serial.ts';
import { silentLogger, errorMessage, type DriverLogger } from './log.ts';
import { Backoff } from '../common/retry.ts';
import { SIM_PORT, NoSimulatorError, type SimulatedDevices } from './simulated.ts';
import type { CardRead, IdCardReaderOptions, ReadOptions } from './idcard/reader.ts';
import type { PrintJobStatus, ReceiptPrinter, ReceiptPrinterOptions } from './printer/printer.ts';
import type { PaperState, PrinterStatus } from './printer/status.ts';
import { HidDeviceAbsentError, openHidDevice, type HidDeviceSelector, type OpenedHidDevice } from './hid/transport.ts';
import type { Closable, DeviceAdapter, DeviceContext, DeviceHealth, DeviceManagerEvents, DeviceState } from './adapters/types.ts';
import { IdCardAdapter } from './adapters/idcard.ts';
import { PrinterAdapter } from './adapters/printer.ts';
import { ScannerAdapter } from './adapters/scanner.ts';
import { TouchAdapter } from './adapters/touch.ts';
import { A4PrinterAdapter } from './adapters/a4printer.ts';
import type { A4JobStatus, A4PrintOptions } from './a4printer/printer.ts';

export type { DeviceConfig };
export type { DeviceHealth, DeviceKind, DeviceManagerEvents, DeviceState } from './adapters/types.ts';

export interface DeviceManagerOptions {
  logger?: DriverLogger;
  /** Seams for tests: how serial ports and HID devices are opened. */
  openSerial?: (path: string, baudRate: number) => Promise<ByteTransport>;
  openHid?: (selector: HidDeviceSelector) => Promise<OpenedHidDevice>;
  /** What answers on port 'sim'; without it a device configured there cannot be opened. */
  simulators?: SimulatedDevices;
  /** Reconnect backoff: first retry after minMs, doubling up to maxMs. */
  reconnect?: { minMs?: number; maxMs?: number };
  reader?: IdCardReaderOptions;
  printer?: ReceiptPrinterOptions;
}

export class NoPrinterError extends Error {
  override readonly name = 'NoPrinterError';
  constructor() {
    super('this kiosk has no receipt printer configured');
  }
}

export class NoA4PrinterError extends Error {
  override readonly name = 'NoA4PrinterError';
  constructor() {
    super('this terminal has no A4 printer configured');
  }
}

export class NoIdCardReaderError extends Error {
  override readonly name = 'NoIdCardReaderError';
  constructor() {
    super('this kiosk has no ID-card reader configured');
  }
}

class Slot {
  health: DeviceHealth;
  close: (() => Promise<void>) | null = null;
  opening = false;
  readonly adapter: DeviceAdapter;

  constructor(
    readonly config: DeviceConfig,
    readonly reconnect: Backoff,
    adapterFor: (slot: Slot) => DeviceAdapter,
  ) {
    this.health = { id: config.id, kind: config.kind, port: config.port, state: 'absent', detail: 'not opened yet', since: now() };
    this.adapter = adapterFor(this);
  }
}

export class DeviceManager extends EventEmitter<DeviceManagerEvents> {
  private readonly slots: Slot[];
  private readonly log: DriverLogger;
  private readonly openSerialPort: (path: string, baudRate: number) => Promise<ByteTransport>;
  private readonly openHidDevice: (selector: HidDeviceSelector) => Promise<OpenedHidDevice>;
  private started = false;
  private stopped = false;

  constructor(
    configs: readonly DeviceConfig[],
    private readonly options: DeviceManagerOptions = {},
  ) {
    super();
    this.log = options.logger ?? silentLogger;
    this.openSerialPort = options.openSerial ?? ((path, baudRate) => openSerial(path, { baudRate }));
    this.openHidDevice = options.openHid ?? openHidDevice;
    const backoff = { baseMs: options.reconnect?.minMs ?? 500, maxMs: options.reconnect?.maxMs ?? 15_000 };
    const ids = new Set<string>();
    this.slots = configs.map((config) => {
      if (ids.has(config.id)) throw new Error(`device id '${config.id}' appears twice in the configuration`);
      ids.add(config.id);
      return new Slot(config, new Backoff(backoff), (slot) => this.createAdapter(this.context(slot)));
    });
  }

  /** The simulators answering on port 'sim', for the hall's control panel and tests. */
  get simulators(): Partial<Pick<SimulatedDevices, 'idcard' | 'printer' | 'scanner' | 'a4' | 'unplug' | 'replug'>> {
    return this.options.simulators ?? {};
  }

  // ------------------------------------------------------------ lifecycle

  /** Opens every device. Never throws for a device problem: that becomes its health. */
  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    await Promise.all(this.slots.map((slot) => this.open(slot)));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all(
      this.slots.map(async (slot) => {
        slot.reconnect.cancel();
        await this.teardown(slot);
        await slot.adapter.dispose?.();
      }),
    );
  }

  health(): DeviceHealth[] {
    return this.slots.map((s) => ({ ...s.health }));
  }

  // ------------------------------------------------------------ operations

  /** Queues a receipt on the (first) printer: resolves done, or held with the reason. */
  async print(doc: unknown): Promise<PrintJobStatus> {
    return this.printer().print(doc);
  }

  /** Cancels a job not yet printed (a held one included); false when it printed or is printing. */
  cancelPrintJob(jobId: string): boolean {
    return this.printer().cancel(jobId);
  }

  printJob(jobId: string): PrintJobStatus | undefined {
    return this.printer().job(jobId);
  }

  whenPrinted(jobId: string): Promise<PrintJobStatus> {
    return this.printer().whenDone(jobId);
  }

  /** Sends a PDF to the A4 printer: resolves done, held with the cause, or failed. */
  async printA4(pdf: Uint8Array, options: A4PrintOptions): Promise<A4JobStatus> {
    return this.a4().print(pdf, options);
  }

  a4Job(jobId: string): A4JobStatus | undefined {
    return this.a4().job(jobId);
  }

  cancelA4Job(jobId: string): Promise<boolean> {
    return this.a4().cancel(jobId);
  }

  private a4() {
    const adapter = this.adapter(A4PrinterAdapter);
    if (!adapter) throw new NoA4PrinterError();
    return adapter.printer;
  }

  /** The printer's live status, or null when it cannot be asked (absent, not answering). */
  async printerStatus(): Promise<PrinterStatus | null> {
    const adapter = this.adapter(PrinterAdapter);
    if (!adapter) return null;
    try {
      return await adapter.printer.status();
    } catch {
      return adapter.printer.lastStatus;
    }
  }

  /** An on-demand read (polling reports cards by itself). */
  readCard(options: ReadOptions = { additionalAddress: true }): Promise<CardRead> {
    const adapter = this.adapter(IdCardAdapter);
    if (!adapter) return Promise.reject(new NoIdCardReaderError());
    return adapter.reader.readCard(options);
  }

  private printer(): ReceiptPrinter {
    const adapter = this.adapter(PrinterAdapter);
    if (!adapter) throw new NoPrinterError();
    return adapter.printer;
  }

  private adapter<A extends DeviceAdapter>(type: new (...args: never[]) => A): A | undefined {
    for (const slot of this.slots) if (slot.adapter instanceof type) return slot.adapter;
    return undefined;
  }

  // ------------------------------------------------------------ adapters

  private createAdapter(ctx: DeviceContext): DeviceAdapter {
    switch (ctx.config.kind) {
      case 'idcard':
        return new IdCardAdapter(ctx, this.options.reader);
      case 'printer':
        return new PrinterAdapter(ctx, this.options.printer);
      case 'scanner':
        return new ScannerAdapter(ctx);
      case 'touch':
        return new TouchAdapter(ctx);
      case 'a4printer': {
        if (ctx.config.port !== SIM_PORT) return new A4PrinterAdapter(ctx);
        // Opening fails with the reason, as a serial device on 'sim' without simulators does.
        const post = this.options.simulators?.a4Post() ?? (() => Promise.reject(new NoSimulatorError('a4printer')));
        return new A4PrinterAdapter(ctx, { post });
      }
    }
  }

  /** What an adapter may do to its slot. */
  private context(slot: Slot): DeviceContext {
    const { config } = slot;
    return {
      config,
      log: this.log,
      get isOpen() {
        return slot.close !== null;
      },
      setHealth: (state, detail, paper) => this.setHealth(slot, state, detail, paper),
      emit: (event, ...args) => this.safeEmit(event, ...args),
      openHid: (selector) => this.openHidDevice(selector),
      opened: (close, source) => this.opened(slot, close, source),
      openPort: async (defaultBaud, release) => {
        const transport = await this.byteTransport(config, config.baud ?? defaultBaud);
        if (this.stopped) {
          await transport.close();
          return null;
        }
        transport.on('error', (err) => this.log.warn({ device: config.id, err: err.message }, 'transport error'));
        this.opened(
          slot,
          async () => {
            release();
            await transport.close();
          },
          transport,
        );
        return transport;
      },
    };
  }

  private async byteTransport(config: DeviceConfig, baud: number): Promise<ByteTransport> {
    if (config.port !== SIM_PORT) return this.openSerialPort(config.port, baud);
    if (!this.options.simulators) throw new NoSimulatorError(config.kind);
    return this.options.simulators.connect(config);
  }

  // ------------------------------------------------------------ opening and reconnecting

  private async open(slot: Slot): Promise<void> {
    if (this.stopped || slot.opening || slot.close) return;
    slot.opening = true;
    try {
      await slot.adapter.open();
      slot.reconnect.reset();
    } catch (err) {
      const absent = err instanceof PortAbsentError || err instanceof HidDeviceAbsentError;
      this.setHealth(slot, absent ? 'absent' : 'faulty', errorMessage(err));
      this.scheduleReconnect(slot);
    } finally {
      slot.opening = false;
    }
  }

  private opened(slot: Slot, close: () => Promise<void>, source?: Closable): void {
    slot.close = close;
    source?.once('close', () => this.lost(slot));
  }

  /** The port went away: report it and try again with backoff. */
  private lost(slot: Slot): void {
    if (this.stopped) return;
    void this.teardown(slot).finally(() => {
      this.setHealth(slot, 'absent', `${slot.config.port} disconnected`);
      this.scheduleReconnect(slot);
    });
  }

  private async teardown(slot: Slot): Promise<void> {
    const close = slot.close;
    slot.close = null;
    if (!close) return;
    try {
      await close();
    } catch (err) {
      this.log.debug({ device: slot.config.id, err: errorMessage(err) }, 'closing a device failed');
    }
  }

  private scheduleReconnect(slot: Slot): void {
    if (this.stopped) return;
    slot.reconnect.schedule(() => void this.open(slot));
  }

  // ------------------------------------------------------------ health

  private setHealth(slot: Slot, state: DeviceState, detail?: string, paper?: PaperState): void {
    const h = slot.health;
    const nextPaper = slot.config.kind === 'printer' ? (paper ?? h.paper) : undefined;
    if (h.state === state && h.detail === detail && h.paper === nextPaper) return;
    const next: DeviceHealth = { id: h.id, kind: h.kind, port: h.port, state, since: h.state === state ? h.since : now() };
    if (detail !== undefined) next.detail = detail;
    if (nextPaper !== undefined) next.paper = nextPaper;
    slot.health = next;
    this.log.info({ device: h.id, state, detail }, 'device health');
    this.safeEmit('health', { ...next });
  }

  private safeEmit<K extends keyof DeviceManagerEvents>(event: K, ...args: DeviceManagerEvents[K]): void {
    try {
      (this.emit as (e: K, ...a: DeviceManagerEvents[K]) => boolean)(event, ...args);
    } catch (err) {
      this.log.error({ event, err: errorMessage(err) }, 'device manager listener threw');
    }
  }
}

function now(): string {
  return new Date().toISOString();
}
