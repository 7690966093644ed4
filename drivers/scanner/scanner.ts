/**
 * Bar code / QR scanner drivers, both emitting 'scan' {data, symbology, aim}:
 * HidPosScanner over a HID report source, SerialScanner over a ByteTransport.
 * Malformed input is reported on 'scan-error' and never stops the scanner.
 */
import { EventEmitter } from 'node:events';
import type { ByteTransport } from '../transport/types.ts';
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

export class SerialScanner extends EventEmitter<ScannerEvents> {
  private readonly splitter = new ScanLineSplitter();
  private transport: ByteTransport | null = null;

  constructor(transport: ByteTransport | null = null) {
    super();
    if (transport) this.attach(transport);
  }

  attach(transport: ByteTransport): void {
    this.detach();
    this.transport = transport;
    transport.on('data', this.onData);
    transport.on('close', this.onClose);
    transport.on('error', this.onError);
  }

  detach(): void {
    const t = this.transport;
    if (!t) return;
    t.off('data', this.onData);
    t.off('close', this.onClose);
    t.off('error', this.onError);
    this.transport = null;
  }

  async close(): Promise<void> {
    const t = this.transport;
    this.detach();
    await t?.close();
  }

  private readonly onData = (chunk: Uint8Array): void => {
    let lines: Uint8Array[];
    try {
      lines = this.splitter.push(chunk);
    } catch (err) {
      this.onError(err as Error);
      return;
    }
    for (const line of lines) this.emit('scan', scanFromLine(line));
  };

  private readonly onClose = (): void => {
    this.emit('close');
  };

  private readonly onError = (err: Error): void => {
    if (this.listenerCount('scan-error') > 0) this.emit('scan-error', err);
  };
}

/** The device side of a serial scanner: writes symbols as AIM-prefixed CR LF lines. */
export class ScannerSimulator {
  constructor(private transport: ByteTransport | null = null) {}

  attach(transport: ByteTransport): void {
    this.transport = transport;
  }

  async scan(data: string, aim = ']Q1'): Promise<void> {
    const t = this.transport;
    if (!t || !t.isOpen) throw new Error('the simulated scanner is not connected');
    await t.write(new TextEncoder().encode(`${aim}${data}\r\n`));
  }
}
