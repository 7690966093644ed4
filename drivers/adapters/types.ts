/**
 * What the device manager (the one supervisor) and a device kind's adapter say to each
 * other. The supervisor owns opening, reconnecting with backoff and health; an adapter
 * knows only how to drive its kind of device once a port is open.
 */
import type { DeviceConfig } from '../../config/schema.ts';
import type { ByteTransport } from '../transport/types.ts';
import type { DriverLogger } from '../log.ts';
import type { HidDeviceSelector, OpenedHidDevice } from '../hid/transport.ts';
import type { CardRead } from '../idcard/reader.ts';
import type { IdCardError } from '../idcard/errors.ts';
import type { PrintJobStatus } from '../printer/printer.ts';
import type { A4JobStatus } from '../a4printer/printer.ts';
import type { PaperState, PrinterStatus } from '../printer/status.ts';
import type { ScanEvent } from '../scanner/symbology.ts';
import type { TouchPoint } from '../touch/touchscreen.ts';

export type DeviceKind = DeviceConfig['kind'];
export type DeviceState = 'ok' | 'absent' | 'faulty';

export interface DeviceManagerEvents {
  health: [health: DeviceHealth];
  'card-present': [read: CardRead, deviceId: string];
  'card-removed': [deviceId: string];
  /** A card is on the reader but cannot be read (unsupported type, keeps failing). */
  'card-error': [err: IdCardError, deviceId: string];
  scan: [scan: ScanEvent, deviceId: string];
  touch: [points: TouchPoint[], deviceId: string];
  'print-job': [job: PrintJobStatus];
  'a4-print-job': [job: A4JobStatus];
  'printer-status': [status: PrinterStatus, deviceId: string];
}

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

/** Something whose going away means the device is lost. */
export interface Closable {
  once(event: 'close', listener: () => void): unknown;
}

export interface DeviceContext {
  readonly config: DeviceConfig;
  readonly log: DriverLogger;
  /** Whether the device is open now: events from a device being torn down are not health news. */
  readonly isOpen: boolean;
  setHealth(state: DeviceState, detail?: string, paper?: PaperState): void;
  emit<K extends keyof DeviceManagerEvents>(event: K, ...args: DeviceManagerEvents[K]): void;
  /**
   * Opens the configured port (through the transport seam, so a simulator's for 'sim'),
   * watches it for loss, and runs `release` before it is closed. Null when the manager
   * stopped meanwhile.
   */
  openPort(defaultBaud: number, release: () => void): Promise<ByteTransport | null>;
  openHid(selector: HidDeviceSelector): Promise<OpenedHidDevice>;
  /** The device is open: `close` closes it, and `source` closing means it was lost. */
  opened(close: () => Promise<void>, source?: Closable): void;
}

export interface DeviceAdapter {
  /** Opens the device and reports its first health; throws when it cannot be opened. */
  open(): Promise<void>;
  /** After the last close, when the manager stops. */
  dispose?(): Promise<void>;
}
