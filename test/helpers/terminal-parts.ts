/**
 * Parts for tests that build a terminal through the real root while supplying one end
 * themselves: the platform link they cut and restore, or the paper a receipt lands on.
 * They go through the same declarations as the production parts, so a part under test
 * still gets exactly what it declared.
 */
import { definePart, type CentralLink, type DeviceBoard, type PrinterPort, type TerminalPart, type TransactionLog } from '../../electron/services/compose.ts';

/** The outbox and the platform link, as the sync part would provide them. */
export function linkPart(transactions: TransactionLog, central: CentralLink | null): TerminalPart {
  return definePart({ name: 'test-link', needs: [], provides: ['transactions', 'central'], build: () => ({ provides: { transactions, central } }) });
}

/** Devices with only the given printer (and card source, where a test signs citizens in). */
export function devicesWith(printer: PrinterPort, manager: DeviceBoard['manager'] = null): TerminalPart {
  const devices: DeviceBoard = { manager, printer, a4: null, health: () => [] };
  return definePart({ name: 'test-devices', needs: [], provides: ['devices'], build: () => ({ provides: { devices } }) });
}

/** A printer that keeps every document it is given and reports each job done. */
export function keepingPrinter(printed: unknown[]): PrinterPort {
  return { available: true, print: async (doc) => (printed.push(doc), { jobId: `job-${printed.length}`, state: 'done' }), job: () => undefined, cancel: () => false };
}
