/**
 * The simulated devices of a one-machine hall, behind the same seam as real ports: a
 * device configured on port 'sim' is opened as one end of an in-memory pair whose other
 * end a simulator speaks the real bytes on. Whoever composes a terminal decides to have
 * them; the device manager only opens ports.
 */
import type { DeviceConfig } from '../config/schema.ts';
import type { ByteTransport } from './transport/types.ts';
import { createMemoryPair } from './transport/memory.ts';
import { PortAbsentError } from './transport/serial.ts';
import { IdCardSimulator } from './idcard/simulator.ts';
import { fixtureCards, toSimCard } from './idcard/fixtures.ts';
import type { CardType } from './idcard/text.ts';
import { PrinterSimulator } from './printer/simulator.ts';
import { ScannerSimulator } from './scanner/scanner.ts';
import { A4PrinterSimulator } from './a4printer/simulator.ts';
import type { IppPost } from './a4printer/transport.ts';

export const SIM_PORT = 'sim';

export interface SimulatedDevicesOptions {
  /** The card on the simulated reader at start (none by default). */
  card?: CardType | null;
  /** Lines of paper on the simulated roll. */
  paper?: number;
}

export class NoSimulatorError extends Error {
  override readonly name = 'NoSimulatorError';
  constructor(kind: string) {
    super(`no simulator for a ${kind} on port '${SIM_PORT}' on this terminal`);
  }
}

/** One simulator per kind, made on first use, so the control panel and tests can reach it. */
export class SimulatedDevices {
  idcard?: IdCardSimulator;
  printer?: PrinterSimulator;
  scanner?: ScannerSimulator;
  a4?: A4PrinterSimulator;

  /** Device kinds whose cable is out: opening them fails as an absent port does. */
  private readonly unplugged = new Set<'idcard' | 'printer'>();

  constructor(private readonly options: SimulatedDevicesOptions = {}) {}

  /** Pulls the cable: the open link closes and the device cannot be opened until replug(). */
  async unplug(kind: 'idcard' | 'printer'): Promise<void> {
    this.unplugged.add(kind);
    await this[kind]?.unplug();
  }

  /** Puts the cable back: the manager's next reconnect attempt opens the device again. */
  replug(kind: 'idcard' | 'printer'): void {
    this.unplugged.delete(kind);
  }

  /** An A4 printer speaks IPP, not bytes on a line: the driver's requests go to the simulator as they would to CUPS. */
  a4Post(): IppPost {
    const sim = (this.a4 ??= new A4PrinterSimulator());
    return (body) => Promise.resolve(sim.handle(body));
  }

  /** The driver's end of a fresh pair, the simulator attached to the other. */
  connect(config: DeviceConfig): ByteTransport {
    if ((this.unplugged as Set<string>).has(config.kind)) throw new PortAbsentError(`${SIM_PORT}:${config.id}`);
    const [driverEnd, deviceEnd] = createMemoryPair(`${SIM_PORT}:${config.id}`);
    switch (config.kind) {
      case 'idcard': {
        const card = this.options.card;
        this.idcard ??= new IdCardSimulator(null, { card: card ? toSimCard(fixtureCards[card]) : null });
        this.idcard.attach(deviceEnd);
        break;
      }
      case 'printer':
        this.printer ??= new PrinterSimulator(null, { paper: this.options.paper ?? 2000 });
        this.printer.attach(deviceEnd);
        break;
      case 'scanner':
        this.scanner ??= new ScannerSimulator();
        // An unplugged scanner's port is missing, as a real one's device node is.
        if (!this.scanner.present) throw new PortAbsentError(`${SIM_PORT}:${config.id}`);
        this.scanner.attach(deviceEnd);
        break;
      default:
        throw new NoSimulatorError(config.kind);
    }
    return driverEnd;
  }
}
