/**
 * Bar code / QR scanner drivers, both emitting 'scan' {data, symbology, aim}:
 * HidPosScanner over a HID report source, SerialScanner over a ByteTransport.
 * Malformed input is reported on 'scan-error' and never stops the scanner.
 */
import { EventEmitter } from 'node:events';
import { TransportClosedError, type ByteTransport } from '../transport/types.ts';
import { Link, type LinkParser, type Parsed } from '../link.ts';
import type { HidReportSource } from '../hid/transport.ts';
import { HidPosAssembler, VENDOR_LAYOUT, type HidPosLayout } from './hidpos.ts';
import { ScanLineSplitter, scanFromLine } from './lines.ts';
import type { ScanEvent } from './symbology.ts';

export interface ScannerEvents {
  scan: [scan: ScanEvent];
  'scan-error': [err: Error];
  close: [];
}

export class HidPosScanner extends EventEmitter<ScannerEvents> {
  private readonly assembler: HidPosAssembler;

  constructor(
    private readonly source: HidReportSource,
    layout: HidPosLayout = VENDOR_LAYOUT,
  ) {
    super();
    this.assembler = new HidPosAssembler(layout);
    source.on('report', (r) => this.handleReport(r));
    source.on('error', (err) => this.emitError(err));
    source.on('close', () => this.emit('close'));
  }

  handleReport(report: Uint8Array): void {
    let scan: ScanEvent | null;
    try {
      scan = this.assembler.push(report);
    } catch (err) {
      this.assembler.reset();
      this.emitError(err as Error);
      return;
    }
    if (scan) this.emit('scan', scan);
  }

  close(): Promise<void> {
    return this.source.close();
  }

  private emitError(err: Error): void {
    if (this.listenerCount('scan-error') > 0) this.emit('scan-error', err);
  }
}

/** Lines off the line as scans; a runaway line is an error, and the lines after it still count. */
class ScanParser implements LinkParser<ScanEvent> {
  private readonly splitter = new ScanLineSplitter();
  readonly pending = 0;

  push(chunk: Uint8Array): Parsed<ScanEvent>[] {
    try {
      return this.splitter.push(chunk).map((line) => ({ ok: true, value: scanFromLine(line) }));
    } catch (err) {
      return [{ ok: false, error: err as Error, deferred: false }];
    }
  }

  resync(): Parsed<ScanEvent>[] {
    return [];
  }

  reset(): void {}
}

/** A scanner only ever speaks unasked, so everything it sends arrives as an unclaimed message. */
export class SerialScanner extends EventEmitter<ScannerEvents> {
  private readonly link = new Link<ScanEvent>({
    parser: new ScanParser(),
    label: 'scanner',
    errors: {
      notConnected: () => new TransportClosedError('scanner'),
      closed: () => new TransportClosedError('scanner'),
      writeFailed: () => new TransportClosedError('scanner'),
    },
    onUnclaimed: (scan) => this.emit('scan', scan),
    onUnclaimedError: (err) => this.onError(err),
    onTransportError: (err) => this.onError(err),
    onClose: () => this.emit('close'),
  });

  constructor(transport: ByteTransport | null = null) {
    super();
    if (transport) this.attach(transport);
  }

  attach(transport: ByteTransport): void {
    this.link.attach(transport);
  }

  detach(): void {
    this.link.detach();
  }

  close(): Promise<void> {
    return this.link.close();
  }

  private onError(err: Error): void {
    if (this.listenerCount('scan-error') > 0) this.emit('scan-error', err);
  }
}

/** The device side of a serial scanner: writes symbols as AIM-prefixed CR LF lines. */
export class ScannerSimulator {
  private unplugged = false;

  constructor(private transport: ByteTransport | null = null) {}

  attach(transport: ByteTransport): void {
    this.transport = transport;
  }

  /** False while the scanner is unplugged: its port is not there to open. */
  get present(): boolean {
    return !this.unplugged;
  }

  /** Pulls the scanner's cable: the line closes and stays absent until plug(). */
  async unplug(): Promise<void> {
    this.unplugged = true;
    const t = this.transport;
    this.transport = null;
    if (t?.isOpen) await t.close();
  }

  plug(): void {
    this.unplugged = false;
  }

  async scan(data: string, aim = ']Q1'): Promise<void> {
    const t = this.transport;
    if (!t || !t.isOpen) throw new Error('the simulated scanner is not connected');
    await t.write(new TextEncoder().encode(`${aim}${data}\r\n`));
  }
}
