/**
 * ByteTransport over node-serialport. Opening distinguishes "no such port" (the device
 * is absent: unplugged, wrong path) from other failures (present but unusable), because
 * the device manager reports the two differently.
 */
import { SerialPort } from 'serialport';
import { BaseTransport, TransportClosedError } from './types.ts';

export class PortAbsentError extends Error {
  override readonly name = 'PortAbsentError';
  constructor(
    readonly path: string,
    cause?: unknown,
  ) {
    super(`serial port ${path} does not exist`, { cause });
  }
}

export class PortOpenError extends Error {
  override readonly name = 'PortOpenError';
  constructor(
    readonly path: string,
    cause: unknown,
  ) {
    super(`cannot open serial port ${path}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

export interface SerialOptions {
  baudRate?: number;
}

export class SerialTransport extends BaseTransport {
  private constructor(
    private readonly port: SerialPort,
    readonly name: string,
  ) {
    super();
    port.on('data', (chunk: Buffer) => this.emit('data', new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length)));
    port.on('error', (err: Error) => this.emitError(err));
    port.on('close', () => this.emitClose());
  }

  static async open(path: string, options: SerialOptions = {}): Promise<SerialTransport> {
    const port = new SerialPort({ path, baudRate: options.baudRate ?? 115200, autoOpen: false });
    try {
      await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(err) : resolve())));
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (/ENOENT|No such file|cannot find/i.test(message)) throw new PortAbsentError(path, err);
      throw new PortOpenError(path, err);
    }
    return new SerialTransport(port, path);
  }

  get isOpen(): boolean {
    return this.port.isOpen;
  }

  async write(bytes: Uint8Array): Promise<void> {
    if (!this.port.isOpen) throw new TransportClosedError(this.name);
    // Resolves when the OS has the bytes. Not tcdrain: waiting for the line to empty ties up a
    // libuv pool thread per write and delays the next exchange for nothing; close() still flushes.
    await new Promise<void>((resolve, reject) => {
      this.port.write(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length), (err) => (err ? reject(err) : resolve()));
    });
  }

  async close(): Promise<void> {
    if (!this.port.isOpen) {
      this.emitClose();
      return;
    }
    await new Promise<void>((resolve) => this.port.close(() => resolve()));
    this.emitClose();
  }
}

export function openSerial(path: string, options: SerialOptions = {}): Promise<SerialTransport> {
  return SerialTransport.open(path, options);
}
