/**
 * The device side of an ESC/POS receipt printer over a ByteTransport. It parses what
 * it receives, keeps a paper level counted in text lines, answers DLE EOT queries, runs
 * out of paper mid-receipt, and renders what was printed as plain text, one receipt per
 * cut, so tests and the demo hall can look at the tickets.
 */
import { EventEmitter } from 'node:events';
import type { ByteTransport } from '../transport/types.ts';
import { EscPosParser, type EscPosCommand } from './escpos-parser.ts';
import { qrLines } from './escpos.ts';
import { encodeStatusByte, type PrinterStatus, type StatusQuery } from './status.ts';

export interface PrintedReceipt {
  /** The printed lines, aligned within the paper width; CJK counts two columns. */
  text: string;
  qr: string[];
  barcodes: string[];
  /** The paper ran out before the cut: this is the torn-off start of a receipt. */
  truncated: boolean;
}

export interface PrinterSimulatorOptions {
  /** Paper left, in text lines; Infinity for an endless roll. */
  paper?: number;
  /** Paper level at or below which the near-end sensor trips. */
  nearEndAt?: number;
  /** Columns at size 1. */
  width?: number;
}

export interface PrinterSimulatorEvents {
  receipt: [receipt: PrintedReceipt];
  'paper-out': [];
}

const gb18030 = new TextDecoder('gb18030');
const utf8 = new TextDecoder('utf-8');

interface TextState {
  align: number;
  width: number;
  height: number;
  bold: boolean;
}

export class PrinterSimulator extends EventEmitter<PrinterSimulatorEvents> {
  private transport: ByteTransport | null = null;
  private readonly parser = new EscPosParser();
  private paperLines: number;
  private readonly nearEndAt: number;
  readonly width: number;
  coverOpen = false;
  cutterError = false;
  readonly receipts: PrintedReceipt[] = [];
  /** Every status query answered, for tests. */
  statusQueries = 0;

  private lines: string[] = [];
  private qr: string[] = [];
  private barcodes: string[] = [];
  private lineBytes: number[] = [];
  private state: TextState = { align: 0, width: 1, height: 1, bold: false };
  private qrData = '';
  private qrModule = 3;
  private barcodeHeight = 162;
  private hri = 0;

  constructor(transport: ByteTransport | null = null, options: PrinterSimulatorOptions = {}) {
    super();
    this.paperLines = options.paper ?? Infinity;
    this.nearEndAt = options.nearEndAt ?? 20;
    this.width = options.width ?? 48;
    if (transport) this.attach(transport);
  }

  attach(transport: ByteTransport): void {
    this.detach();
    this.transport = transport;
    transport.on('data', this.onData);
    transport.on('error', () => undefined);
  }

  detach(): void {
    this.transport?.off('data', this.onData);
    this.transport = null;
  }

  async unplug(): Promise<void> {
    const t = this.transport;
    this.detach();
    await t?.close();
  }

  get paper(): number {
    return this.paperLines;
  }

  /** Loads a roll with this many lines left (0 empties it). */
  setPaper(lines: number): void {
    this.paperLines = Math.max(0, lines);
  }

  get status(): Omit<PrinterStatus, 'paper'> {
    const paperOut = this.paperLines <= 0;
    return {
      online: !paperOut && !this.coverOpen && !this.cutterError,
      coverOpen: this.coverOpen,
      paperNearEnd: !paperOut && this.paperLines <= this.nearEndAt,
      paperOut,
      cutterError: this.cutterError,
      unrecoverableError: false,
    };
  }

  /** Text of the receipt being printed (not yet cut). */
  get currentText(): string {
    return this.lines.join('\n');
  }

  /** Feeds raw ESC/POS bytes as if they had arrived on the port. */
  receive(bytes: Uint8Array): void {
    for (const cmd of this.parser.push(bytes)) this.execute(cmd);
  }

  private readonly onData = (chunk: Uint8Array): void => this.receive(chunk);

  private execute(cmd: EscPosCommand): void {
    if (cmd.type === 'status-request') {
      // Real-time: answered even while offline.
      this.statusQueries++;
      if (cmd.n >= 1 && cmd.n <= 4) this.reply(encodeStatusByte(cmd.n as StatusQuery, this.status));
      return;
    }
    // Offline (paper out, cover open, cutter jam): everything else is lost, as on a real printer.
    if (!this.status.online) return;
    switch (cmd.type) {
      case 'init':
        this.lineBytes = [];
        this.state = { align: 0, width: 1, height: 1, bold: false };
        break;
      case 'text':
        for (const b of cmd.bytes) this.lineBytes.push(b);
        break;
      case 'lf':
        this.printLine();
        break;
      case 'align':
        this.state.align = cmd.value;
        break;
      case 'size':
        this.state.width = cmd.width;
        this.state.height = cmd.height;
        break;
      case 'bold':
        this.state.bold = cmd.on;
        break;
      case 'print-mode':
        this.state.width = cmd.value & 0x20 ? 2 : 1;
        this.state.height = cmd.value & 0x10 ? 2 : 1;
        break;
      case 'feed':
        if (this.lineBytes.length > 0) this.printLine();
        for (let i = 0; i < cmd.lines; i++) if (!this.emitLine('', 1)) return;
        break;
      case 'qr-module-size':
        this.qrModule = cmd.size;
        break;
      case 'qr-store':
        this.qrData = utf8.decode(cmd.data);
        break;
      case 'qr-print': {
        if (!this.consume(qrLines(new TextEncoder().encode(this.qrData).length, this.qrModule))) return;
        this.qr.push(this.qrData);
        this.lines.push(this.aligned(`[QR ${this.qrData}]`, 1));
        this.checkPaper();
        break;
      }
      case 'barcode-height':
        this.barcodeHeight = cmd.dots;
        break;
      case 'barcode-hri':
        this.hri = cmd.position;
        break;
      case 'barcode': {
        const data = cmd.system === 73 ? decodeCode128(cmd.data) : utf8.decode(cmd.data);
        if (!this.consume(Math.ceil(this.barcodeHeight / 24) + (this.hri ? 1 : 0))) return;
        this.barcodes.push(data);
        this.lines.push(this.aligned(`[CODE128 ${data}]`, 1));
        this.checkPaper();
        break;
      }
      case 'cut':
        if (this.lineBytes.length > 0) this.printLine();
        // The feed before the blade may run the roll dry: the receipt is complete but cannot be cut.
        if (cmd.feed > 0 && !this.consume(Math.min(cmd.feed, this.paperLines))) return;
        this.finishReceipt(false);
        break;
      default:
        break;
    }
  }

  private printLine(): void {
    const text = gb18030.decode(Uint8Array.from(this.lineBytes));
    this.lineBytes = [];
    const perLine = Math.max(1, Math.floor(this.width / this.state.width));
    // The printer wraps what does not fit.
    const rows = wrap(text, perLine);
    for (const row of rows) if (!this.emitLine(this.aligned(row, this.state.width), this.state.height)) return;
  }

  private emitLine(rendered: string, height: number): boolean {
    if (!this.consume(height)) return false;
    this.lines.push(rendered);
    this.checkPaper();
    return this.paperLines > 0;
  }

  /** Uses paper; false when the roll ends first, and the receipt is torn off unfinished. */
  private consume(lines: number): boolean {
    if (this.paperLines >= lines) {
      this.paperLines -= lines;
      return true;
    }
    this.paperLines = 0;
    this.runOut();
    return false;
  }

  /** Called after something printed: a roll that just reached its end stops the printer. */
  private checkPaper(): void {
    if (this.paperLines <= 0) this.runOut();
  }

  private runOut(): void {
    this.finishReceipt(true);
    this.emit('paper-out');
  }

  private aligned(text: string, scale: number): string {
    const cols = columns(text) * scale;
    const free = Math.max(0, this.width - cols);
    const pad = this.state.align === 1 ? Math.floor(free / 2) : this.state.align === 2 ? free : 0;
    return ' '.repeat(Math.floor(pad / scale) * scale) + text;
  }

  private finishReceipt(truncated: boolean): void {
    while (this.lines.length > 0 && this.lines.at(-1)!.trim() === '') this.lines.pop();
    const empty = this.lines.length === 0 && this.qr.length === 0 && this.barcodes.length === 0;
    if (!empty) {
      const receipt: PrintedReceipt = { text: this.lines.join('\n'), qr: this.qr, barcodes: this.barcodes, truncated };
      this.receipts.push(receipt);
      this.emit('receipt', receipt);
    }
    this.lines = [];
    this.qr = [];
    this.barcodes = [];
    this.lineBytes = [];
  }

  private reply(byte: number): void {
    const t = this.transport;
    if (t && t.isOpen) t.write(Uint8Array.of(byte)).catch(() => undefined);
  }
}

/** Display columns: CJK and other wide characters take two. */
export function columns(text: string): number {
  let n = 0;
  for (const ch of text) n += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\u{20000}-\u{3fffd}]/u.test(ch) ? 2 : 1;
  return n;
}

function wrap(text: string, width: number): string[] {
  if (columns(text) <= width) return [text];
  const rows: string[] = [];
  let row = '';
  for (const ch of text) {
    if (columns(row + ch) > width) {
      rows.push(row);
      row = '';
    }
    row += ch;
  }
  rows.push(row);
  return rows;
}

/** GS k 73 data: '{A' '{B' '{C' select a code set, '{{' is a literal brace, set C packs two digits per byte. */
export function decodeCode128(data: Uint8Array): string {
  let set: 'A' | 'B' | 'C' = 'B';
  let out = '';
  for (let i = 0; i < data.length; i++) {
    const b = data[i];
    if (b === 0x7b && i + 1 < data.length) {
      const next = String.fromCharCode(data[++i]);
      if (next === 'A' || next === 'B' || next === 'C') set = next;
      else if (next === '{') out += '{';
      continue;
    }
    out += set === 'C' ? String(b).padStart(2, '0') : String.fromCharCode(b);
  }
  return out;
}
