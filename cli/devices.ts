/**
 * `xiaojin devices …`: the technician's tools for the kiosk hardware. Each subcommand
 * opens the port itself, does one thing, prints JSON or a short report, and exits with
 * a distinct code when there is no device (3) or no card (4) so scripts can tell.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { Command } from './index.ts';
import { PortAbsentError, PortOpenError, openSerial, type SerialTransport } from '../drivers/transport/serial.ts';
import { IdCardReader, type CardRead } from '../drivers/idcard/reader.ts';
import { NoCardError, ReaderTimeoutError, UnsupportedCardError } from '../drivers/idcard/errors.ts';
import { ReceiptPrinter, PrinterTimeoutError } from '../drivers/printer/printer.ts';
import { ReceiptError, type ReceiptInput } from '../drivers/printer/receipt.ts';
import { listHidDevices, hex4 } from '../drivers/hid/transport.ts';

const EXIT = { usage: 2, noDevice: 3, noCard: 4, notPrinted: 5 } as const;

class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

const USAGE = `usage:
  xiaojin devices list [--json]
  xiaojin devices idcard read --port PATH [--baud N] [--fingerprint] [--timeout MS]
  xiaojin devices printer status --port PATH [--baud N]
  xiaojin devices printer print --port PATH --file RECEIPT.json [--baud N] [--wait]
  xiaojin devices printer test --port PATH [--baud N] [--wait]`;

export const command: Command = {
  summary: 'list and exercise kiosk devices (idcard, printer)',
  async run(argv) {
    const [group, action, ...rest] = argv;
    if (!group || group === '--help' || group === '-h') {
      console.log(USAGE);
      return group ? 0 : EXIT.usage;
    }
    if (group === 'list') return list([action, ...rest].filter((a): a is string => a !== undefined));
    if (group === 'idcard' && action === 'read') return idcardRead(rest);
    if (group === 'printer' && action === 'status') return printerStatus(rest);
    if (group === 'printer' && action === 'print') return printerPrint(rest);
    if (group === 'printer' && action === 'test') return printerTest(rest);
    console.error(`xiaojin devices: unknown subcommand '${[group, action].filter(Boolean).join(' ')}'\n\n${USAGE}`);
    return EXIT.usage;
  },
};

function options(argv: string[], extra: Record<string, { type: 'string' | 'boolean' }> = {}) {
  try {
    const { values } = parseArgs({
      args: argv,
      options: { port: { type: 'string' }, baud: { type: 'string' }, ...extra },
      strict: true,
      allowPositionals: false,
    });
    return values as Record<string, string | boolean | undefined>;
  } catch (err) {
    throw new CliError(`${(err as Error).message}\n\n${USAGE}`, EXIT.usage);
  }
}

function portOf(values: Record<string, string | boolean | undefined>): string {
  const port = values.port;
  if (typeof port !== 'string' || port === '') throw new CliError(`--port PATH is required\n\n${USAGE}`, EXIT.usage);
  return port;
}

function baudOf(values: Record<string, string | boolean | undefined>, fallback: number): number {
  if (values.baud === undefined) return fallback;
  const baud = Number(values.baud);
  if (!Number.isInteger(baud) || baud <= 0) throw new CliError(`--baud must be a positive integer, got '${values.baud}'`, EXIT.usage);
  return baud;
}

async function open(port: string, baud: number, what: string): Promise<SerialTransport> {
  try {
    return await openSerial(port, { baudRate: baud });
  } catch (err) {
    if (err instanceof PortAbsentError) throw new CliError(`no ${what}: serial port ${port} does not exist`, EXIT.noDevice);
    if (err instanceof PortOpenError) throw new CliError(`no ${what}: ${err.message}`, EXIT.noDevice);
    throw err;
  }
}

// ---------------------------------------------------------------- list

async function list(argv: string[]): Promise<number> {
  const values = options(argv, { json: { type: 'boolean' } });
  const { SerialPort } = await import('serialport');
  const serial = await SerialPort.list();
  let hid: Awaited<ReturnType<typeof listHidDevices>> = [];
  let hidError: string | null = null;
  try {
    hid = await listHidDevices();
  } catch (err) {
    hidError = (err as Error).message;
  }
  if (values.json) {
    console.log(JSON.stringify({ serial, hid, hidError }, null, 2));
    return 0;
  }
  console.log('serial ports:');
  if (serial.length === 0) console.log('  (none)');
  for (const p of serial) {
    const id = p.vendorId ? ` [${p.vendorId}:${p.productId}]` : '';
    console.log(`  ${p.path}${id}${p.manufacturer ? ` ${p.manufacturer}` : ''}`);
  }
  console.log('HID devices:');
  if (hidError) console.log(`  (cannot enumerate: ${hidError})`);
  else if (hid.length === 0) console.log('  (none)');
  for (const d of hid) {
    const page = d.usagePage !== undefined ? ` usage page 0x${d.usagePage.toString(16)}` : '';
    console.log(`  ${hex4(d.vendorId)}:${hex4(d.productId)} ${d.product ?? ''}${page} ${d.path ?? ''}`.trimEnd());
  }
  return 0;
}

// ---------------------------------------------------------------- idcard

/** The JSON shape printed by `devices idcard read`: common fields first, then type-specific ones. */
export function cardJson(read: CardRead): Record<string, unknown> {
  const { card } = read;
  const { name, sex, nation, birth, address, idNumber, idNumberValid, authority, validFrom, validTo, cardType, ...specific } = card;
  return {
    name,
    sex,
    nation,
    birth,
    address,
    idNumber,
    idNumberValid,
    authority,
    validFrom,
    validTo,
    cardType,
    photoBytes: read.photo.length,
    fingerprintBytes: read.fingerprint?.length ?? 0,
    additionalAddress: read.additionalAddress,
    ...specific,
  };
}

async function idcardRead(argv: string[]): Promise<number> {
  const values = options(argv, { fingerprint: { type: 'boolean' }, timeout: { type: 'string' } });
  const port = portOf(values);
  const baud = baudOf(values, 115200);
  const timeout = values.timeout === undefined ? undefined : Number(values.timeout);
  const transport = await open(port, baud, 'ID-card reader');
  const reader = new IdCardReader(transport, timeout ? { timeouts: { find: timeout, select: timeout, read: timeout * 3, sam: timeout } } : {});
  try {
    try {
      await reader.samStatus();
    } catch (err) {
      if (err instanceof ReaderTimeoutError) throw new CliError(`no ID-card reader answering on ${port} at ${baud} baud`, EXIT.noDevice);
      throw err;
    }
    let read: CardRead;
    try {
      read = await reader.readCard({ fingerprint: Boolean(values.fingerprint), additionalAddress: true });
    } catch (err) {
      if (err instanceof NoCardError) throw new CliError('no card on the reader: place the card flat on the reader and try again', EXIT.noCard);
      if (err instanceof UnsupportedCardError) throw new CliError(err.message, EXIT.noCard);
      throw err;
    }
    console.log(JSON.stringify(cardJson(read), null, 2));
    return 0;
  } finally {
    await reader.close();
  }
}

// ---------------------------------------------------------------- printer

async function withPrinter<T>(argv: string[], extra: Record<string, { type: 'string' | 'boolean' }>, fn: (p: ReceiptPrinter, values: Record<string, string | boolean | undefined>) => Promise<T>): Promise<T> {
  const values = options(argv, extra);
  const port = portOf(values);
  const baud = baudOf(values, 9600);
  const transport = await open(port, baud, 'printer');
  const printer = new ReceiptPrinter(transport, { statusTimeoutMs: 1000, msPerLine: 25, pollMs: 1000 });
  try {
    return await fn(printer, values);
  } catch (err) {
    if (err instanceof PrinterTimeoutError) throw new CliError(`no printer answering on ${port} at ${baud} baud`, EXIT.noDevice);
    throw err;
  } finally {
    await printer.close();
  }
}

async function printerStatus(argv: string[]): Promise<number> {
  return withPrinter(argv, {}, async (printer) => {
    console.log(JSON.stringify(await printer.status(), null, 2));
    return 0;
  });
}

async function printDoc(printer: ReceiptPrinter, doc: unknown, wait: boolean): Promise<number> {
  // Ask first, so "no printer" is reported as such rather than as a held job.
  await printer.status();
  let job = await printer.print(doc);
  if (job.state === 'held' && wait) {
    console.error(`job ${job.jobId} held: ${job.reason}; waiting (Ctrl-C to give up)`);
    job = await printer.whenDone(job.jobId);
  }
  console.log(JSON.stringify({ jobId: job.jobId, state: job.state, reason: job.reason, attempts: job.attempts }));
  if (job.state !== 'done') {
    console.error(`not printed: ${job.reason ?? job.state}`);
    return EXIT.notPrinted;
  }
  return 0;
}

async function printerPrint(argv: string[]): Promise<number> {
  return withPrinter(argv, { file: { type: 'string' }, wait: { type: 'boolean' } }, async (printer, values) => {
    if (typeof values.file !== 'string') throw new CliError(`--file RECEIPT.json is required\n\n${USAGE}`, EXIT.usage);
    let doc: unknown;
    try {
      doc = JSON.parse(await readFile(values.file, 'utf8'));
    } catch (err) {
      throw new CliError(`cannot read ${values.file}: ${(err as Error).message}`, EXIT.usage);
    }
    try {
      return await printDoc(printer, doc, Boolean(values.wait));
    } catch (err) {
      if (err instanceof ReceiptError) throw new CliError(`${values.file}: ${err.message}`, EXIT.usage);
      throw err;
    }
  });
}

export const TEST_RECEIPT: ReceiptInput = {
  items: [
    { type: 'text', text: '小今 打印测试', align: 'center', size: 2, bold: true },
    { type: 'text', text: 'Xiaojin printer test', align: 'center' },
    { type: 'rule' },
    { type: 'text', text: '左对齐 left' },
    { type: 'text', text: '居中 centre', align: 'center' },
    { type: 'text', text: '右对齐 right', align: 'right' },
    { type: 'text', text: '加粗 bold', bold: true },
    { type: 'text', text: '生僻字 䶮 · 欧元 €', align: 'left' },
    { type: 'rule', char: '=' },
    { type: 'qr', data: 'https://xiaojin.example/printer-test?中文=1' },
    { type: 'code128', data: 'XJ-TEST-0001' },
    { type: 'cut' },
  ],
};

async function printerTest(argv: string[]): Promise<number> {
  return withPrinter(argv, { wait: { type: 'boolean' } }, (printer, values) => printDoc(printer, TEST_RECEIPT, Boolean(values.wait)));
}
