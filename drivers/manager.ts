/**
 * Opens the devices named in a kiosk's configuration and keeps them usable: reports
 * each one's health, reconnects with backoff when a port disappears and comes back,
 * and turns every device failure into a health change, never into an exception that
 * could take the kiosk down. Port 'sim' runs a device simulator in-process over a
 * memory pair; the simulators are exposed so the hall launcher and tests can insert
 * cards, change paper and read receipts.
 */
import { EventEmitter } from 'node:events';
import type { DeviceConfig } from '../config/schema.ts';
import type { ByteTransport } from './transport/types.ts';
import { createMemoryPair } from './transport/memory.ts';
import { PortAbsentError, openSerial } from './transport/serial.ts';
import { silentLogger, errorMessage, type DriverLogger } from './log.ts';
import { IdCardReader, type CardRead, type IdCardReaderOptions, type ReadOptions } from './idcard/reader.ts';
import { IdCardSimulator } from './idcard/simulator.ts';
import { fixtureCards, toSimCard } from './idcard/fixtures.ts';
import type { CardType } from './idcard/text.ts';
import { IdCardError, ReaderDisconnectedError, ReaderTimeoutError, SamError } from './idcard/errors.ts';
import { ReceiptPrinter, type PrintJobStatus, type ReceiptPrinterOptions } from './printer/printer.ts';
import { PrinterSimulator } from './printer/simulator.ts';
import { notReadyReason, type PaperState, type PrinterStatus } from './printer/status.ts';
import { HidPosScanner, ScannerSimulator, SerialScanner } from './scanner/scanner.ts';
import { VENDOR_LAYOUT, hidPosLayout } from './scanner/hidpos.ts';
import type { ScanEvent } from './scanner/symbology.ts';
import { HidDeviceAbsentError, openHidDevice, type HidDeviceSelector, type OpenedHidDevice } from './hid/transport.ts';
import { TouchScreen, type TouchPoint } from './touch/touchscreen.ts';

export type { DeviceConfig };
export type DeviceKind = DeviceConfig['kind'];
export type DeviceState = 'ok' | 'absent' | 'faulty';

export interface DeviceHealth {
  id: string;
  kind: DeviceKind;
  port: string;
  state: DeviceState;
  detail?: string;
  paper?: PaperState;
  /** When the device entered this state (ISO time). */
  since: string;
}

export interface DeviceManagerEvents {
  health: [health: DeviceHealth];
  'card-present': [read: CardRead, deviceId: string];
  'card-removed': [deviceId: string];
  /** A card is on the reader but cannot be read (unsupported type, keeps failing). */
  'card-error': [err: IdCardError, deviceId: string];
  scan: [scan: ScanEvent, deviceId: string];
  touch: [points: TouchPoint[], deviceId: string];
  'print-job': [job: PrintJobStatus];
  'printer-status': [status: PrinterStatus, deviceId: string];
}

export interface DeviceManagerOptions {
  logger?: DriverLogger;
  /** Seams for tests: how serial ports and HID devices are opened. */
  openSerial?: (path: string, baudRate: number) => Promise<ByteTransport>;
  openHid?: (selector: HidDeviceSelector) => Promise<OpenedHidDevice>;
  /** Reconnect backoff: first retry after minMs, doubling up to maxMs. */
  reconnect?: { minMs?: number; maxMs?: number };
  reader?: IdCardReaderOptions;
  printer?: ReceiptPrinterOptions;
  /** Simulators: the card on the simulated reader at start (none by default) and the paper roll. */
  simulatedCard?: CardType | null;
  simulatedPaper?: number;
}

export class NoPrinterError extends Error {
  override readonly name = 'NoPrinterError';
  constructor() {
    super('this kiosk has no receipt printer configured');
  }
}

export class NoIdCardReaderError extends Error {
  override readonly name = 'NoIdCardReaderError';
  constructor() {
    super('this kiosk has no ID-card reader configured');
  }
}

export interface Simulators {
  idcard?: IdCardSimulator;
  printer?: PrinterSimulator;
  scanner?: ScannerSimulator;
}

type Driver =
  | { kind: 'idcard'; reader: IdCardReader }
  | { kind: 'printer'; printer: ReceiptPrinter }
  | { kind: 'scanner'; serial: SerialScanner | null; hid: HidPosScanner | null }
  | { kind: 'touch'; screen: TouchScreen | null };

interface Slot {
  config: DeviceConfig;
  health: DeviceHealth;
  driver: Driver;
  close: (() => Promise<void>) | null;
  attempt: number;
  timer: NodeJS.Timeout | null;
  opening: boolean;
}

const DEFAULT_BAUD: Record<DeviceKind, number> = { idcard: 115200, printer: 9600, scanner: 9600, touch: 0 };

export class DeviceManager extends EventEmitter<DeviceManagerEvents> {
  readonly simulators: Simulators = {};
  private readonly slots: Slot[];
  private readonly log: DriverLogger;
  private readonly openSerialPort: (path: string, baudRate: number) => Promise<ByteTransport>;
  private readonly openHidDevice: (selector: HidDeviceSelector) => Promise<OpenedHidDevice>;
  private readonly minMs: number;
  private readonly maxMs: number;
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
    this.minMs = options.reconnect?.minMs ?? 500;
    this.maxMs = options.reconnect?.maxMs ?? 15_000;
    const ids = new Set<string>();
    this.slots = configs.map((config) => {
      if (ids.has(config.id)) throw new Error(`device id '${config.id}' appears twice in the configuration`);
      ids.add(config.id);
      return {
        config,
        health: { id: config.id, kind: config.kind, port: config.port, state: 'absent', detail: 'not opened yet', since: now() },
        driver: this.createDriver(config),
        close: null,
        attempt: 0,
        timer: null,
        opening: false,
      };
    });
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
        if (slot.timer) clearTimeout(slot.timer);
        slot.timer = null;
        await this.teardown(slot);
        if (slot.driver.kind === 'printer') await slot.driver.printer.close().catch(() => undefined);
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

  printJob(jobId: string): PrintJobStatus | undefined {
    return this.printer().job(jobId);
  }

  whenPrinted(jobId: string): Promise<PrintJobStatus> {
    return this.printer().whenDone(jobId);
  }

  /** The printer's live status, or null when it cannot be asked (absent, not answering). */
  async printerStatus(): Promise<PrinterStatus | null> {
    const slot = this.slots.find((s) => s.driver.kind === 'printer');
    if (!slot || slot.driver.kind !== 'printer') return null;
    try {
      return await slot.driver.printer.status();
    } catch {
      return slot.driver.printer.lastStatus;
    }
  }

  /** An on-demand read (polling reports cards by itself). */
  readCard(options: ReadOptions = { additionalAddress: true }): Promise<CardRead> {
    const slot = this.slots.find((s) => s.driver.kind === 'idcard');
    if (!slot || slot.driver.kind !== 'idcard') return Promise.reject(new NoIdCardReaderError());
    return slot.driver.reader.readCard(options);
  }

  private printer(): ReceiptPrinter {
    const slot = this.slots.find((s) => s.driver.kind === 'printer');
    if (!slot || slot.driver.kind !== 'printer') throw new NoPrinterError();
    return slot.driver.printer;
  }

  // ------------------------------------------------------------ drivers

  private createDriver(config: DeviceConfig): Driver {
    const sim = config.port === 'sim';
    switch (config.kind) {
      case 'idcard': {
        if (sim && !this.simulators.idcard) {
          const card = this.options.simulatedCard;
          this.simulators.idcard = new IdCardSimulator(null, { card: card ? toSimCard(fixtureCards[card]) : null });
        }
        const reader = new IdCardReader(null, { ...this.options.reader, pollMs: config.pollMs ?? this.options.reader?.pollMs, logger: this.log });
        reader.on('card-present', (read) => this.safeEmit('card-present', read, config.id));
        reader.on('card-removed', () => this.safeEmit('card-removed', config.id));
        reader.on('card-error', (err) => this.safeEmit('card-error', err, config.id));
        reader.on('poll', (outcome) => {
          const slot = this.slot(config.id);
          if (!slot || !slot.close) return;
          if (outcome.ok) this.setHealth(slot, 'ok');
          else if (outcome.error instanceof ReaderTimeoutError) this.setHealth(slot, 'faulty', `ID-card reader on ${config.port} does not answer`);
          else if (outcome.error instanceof SamError) this.setHealth(slot, 'faulty', outcome.error.message);
          else if (!(outcome.error instanceof ReaderDisconnectedError)) this.log.debug({ device: config.id, err: errorMessage(outcome.error) }, 'poll failed');
        });
        return { kind: 'idcard', reader };
      }
      case 'printer': {
        if (sim && !this.simulators.printer) this.simulators.printer = new PrinterSimulator(null, { paper: this.options.simulatedPaper ?? 2000 });
        const printer = new ReceiptPrinter(null, {
          msPerLine: sim ? 0 : 25,
          ...this.options.printer,
          pollMs: config.pollMs ?? this.options.printer?.pollMs ?? 2000,
          logger: this.log,
        });
        printer.on('job', (job) => this.safeEmit('print-job', job));
        printer.on('status', (status) => {
          this.safeEmit('printer-status', status, config.id);
          const slot = this.slot(config.id);
          if (slot?.close) this.applyPrinterStatus(slot, status);
        });
        printer.on('status-error', (err) => {
          const slot = this.slot(config.id);
          if (slot?.close) this.setHealth(slot, 'faulty', `printer on ${config.port} does not answer: ${err.message}`);
        });
        return { kind: 'printer', printer };
      }
      case 'scanner':
        if (sim && !this.simulators.scanner) this.simulators.scanner = new ScannerSimulator();
        return { kind: 'scanner', serial: null, hid: null };
      case 'touch':
        return { kind: 'touch', screen: null };
    }
  }

  private applyPrinterStatus(slot: Slot, status: PrinterStatus): void {
    const reason = notReadyReason(status);
    const detail: Record<string, string> = {
      'paper-out': '缺纸 (paper out)',
      'cover-open': '纸仓盖打开 (cover open)',
      'cutter-error': '切刀故障 (cutter error)',
      offline: '离线 (offline)',
    };
    if (reason) this.setHealth(slot, 'faulty', detail[reason], status.paper);
    else this.setHealth(slot, 'ok', status.paper === 'near-end' ? '纸将用完 (paper near end)' : undefined, status.paper);
  }

  // ------------------------------------------------------------ opening and reconnecting

  private async open(slot: Slot): Promise<void> {
    if (this.stopped || slot.opening || slot.close) return;
    slot.opening = true;
    try {
      await this.openSlot(slot);
      slot.attempt = 0;
    } catch (err) {
      const absent = err instanceof PortAbsentError || err instanceof HidDeviceAbsentError;
      this.setHealth(slot, absent ? 'absent' : 'faulty', errorMessage(err));
      this.scheduleReconnect(slot);
    } finally {
      slot.opening = false;
    }
  }

  private async openSlot(slot: Slot): Promise<void> {
    const { config, driver } = slot;
    const baud = config.baud ?? DEFAULT_BAUD[config.kind];
    if (driver.kind === 'touch') return this.openTouch(slot, driver);
    if (driver.kind === 'scanner' && config.port === 'hid') return this.openHidScanner(slot, driver);

    const transport = await this.byteTransport(config, baud);
    if (this.stopped) {
      await transport.close();
      return;
    }
    transport.on('error', (err) => this.log.warn({ device: config.id, err: err.message }, 'transport error'));
    transport.once('close', () => this.lost(slot));
    slot.close = async () => {
      if (driver.kind === 'idcard') {
        driver.reader.stopPolling();
        driver.reader.detach();
      } else if (driver.kind === 'printer') {
        driver.printer.stopMonitoring();
        driver.printer.detach();
      } else if (driver.kind === 'scanner') {
        driver.serial?.detach();
      }
      await transport.close();
    };

    switch (driver.kind) {
      case 'idcard': {
        driver.reader.attach(transport);
        try {
          await driver.reader.samStatus();
          this.setHealth(slot, 'ok');
        } catch (err) {
          this.setHealth(slot, 'faulty', err instanceof ReaderTimeoutError ? `ID-card reader on ${config.port} does not answer` : errorMessage(err));
        }
        // Polling keeps going while faulty: the first good answer turns health back to ok.
        driver.reader.startPolling(config.pollMs ?? driver.reader.pollMs);
        break;
      }
      case 'printer': {
        driver.printer.attach(transport);
        try {
          this.applyPrinterStatus(slot, await driver.printer.status());
        } catch (err) {
          this.setHealth(slot, 'faulty', `printer on ${config.port} does not answer: ${errorMessage(err)}`);
        }
        driver.printer.startMonitoring();
        break;
      }
      case 'scanner': {
        driver.serial ??= new SerialScanner();
        if (driver.serial.listenerCount('scan') === 0) driver.serial.on('scan', (scan) => this.safeEmit('scan', scan, config.id));
        driver.serial.attach(transport);
        this.setHealth(slot, 'ok');
        break;
      }
    }
  }

  private async byteTransport(config: DeviceConfig, baud: number): Promise<ByteTransport> {
    if (config.port !== 'sim') return this.openSerialPort(config.port, baud);
    const [driverEnd, deviceEnd] = createMemoryPair(`sim:${config.id}`);
    const sims = this.simulators;
    if (config.kind === 'idcard') sims.idcard?.attach(deviceEnd);
    else if (config.kind === 'printer') sims.printer?.attach(deviceEnd);
    else if (config.kind === 'scanner') sims.scanner?.attach(deviceEnd);
    return driverEnd;
  }

  private async openHidScanner(slot: Slot, driver: Extract<Driver, { kind: 'scanner' }>): Promise<void> {
    const { config } = slot;
    if (!config.hid) throw new Error(`scanner '${config.id}' on port 'hid' needs hid.vendorId and hid.productId`);
    const opened = await this.openHidDevice({ ...config.hid, usagePage: 0x8c });
    const layout = (opened.descriptor && safe(() => hidPosLayout(opened.descriptor!))) || VENDOR_LAYOUT;
    const scanner = new HidPosScanner(opened.source, layout);
    scanner.on('scan', (scan) => this.safeEmit('scan', scan, config.id));
    scanner.on('scan-error', (err) => this.log.warn({ device: config.id, err: err.message }, 'scanner report error'));
    opened.source.once('close', () => this.lost(slot));
    driver.hid = scanner;
    slot.close = () => opened.source.close();
    this.setHealth(slot, 'ok');
  }

  private async openTouch(slot: Slot, driver: Extract<Driver, { kind: 'touch' }>): Promise<void> {
    const { config } = slot;
    if (config.port === 'sim') {
      slot.close = async () => undefined;
      this.setHealth(slot, 'ok', 'simulated: touch input comes from the kiosk screen itself');
      return;
    }
    if (config.port !== 'hid' || !config.hid) {
      throw new Error(`touchscreen '${config.id}' needs port 'hid' with hid.vendorId and hid.productId`);
    }
    const opened = await this.openHidDevice({ ...config.hid, usagePage: 0x0d });
    if (!opened.descriptor) {
      await opened.source.close();
      throw new Error(`the report descriptor of ${opened.path} is not readable, so its touch reports cannot be parsed`);
    }
    const screen = new TouchScreen(opened.source, { descriptor: opened.descriptor, calibration: config.calibration });
    screen.on('touch', (points) => this.safeEmit('touch', points, config.id));
    screen.on('error', (err) => this.log.warn({ device: config.id, err: err.message }, 'touchscreen error'));
    opened.source.once('close', () => this.lost(slot));
    driver.screen = screen;
    slot.close = () => screen.close();
    this.setHealth(slot, 'ok');
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
    if (this.stopped || slot.timer) return;
    const delayMs = Math.min(this.maxMs, this.minMs * 2 ** Math.min(slot.attempt, 16));
    slot.attempt += 1;
    slot.timer = setTimeout(() => {
      slot.timer = null;
      void this.open(slot);
    }, delayMs);
  }

  // ------------------------------------------------------------ health

  private slot(id: string): Slot | undefined {
    return this.slots.find((s) => s.config.id === id);
  }

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

function safe<T>(fn: () => T): T | null {
  try {
    return fn();
  } catch {
    return null;
  }
}
