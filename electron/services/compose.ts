/**
 * The one place a terminal is wired. Each part declares what it needs from the others and
 * what it provides; the root builds parts in the order those declarations require, hands
 * each exactly what it declared (typed, never null for want of ordering) and refuses before
 * building anything a need nobody provides, two providers of one thing, or parts that need
 * each other. Nothing is filled in afterwards: what a part provides is fixed when it is built.
 */
import type { Handlers } from '../api/router.ts';
import type { DeviceManager } from '../../drivers/manager.ts';
import type { DeviceHealth } from '../../protocol/ui/domains/kiosk.ts';
import type { PrintJobStatus } from '../../protocol/ui/domains/print.ts';
import type { A4JobStatus, A4PrintOptions } from '../../drivers/a4printer/printer.ts';
import type { TerminalContext } from './kiosk-services.ts';
import type { SessionService } from './session.ts';
import type { KioskQueue } from './queue.ts';
import type { RobotService } from './robot.ts';
import type { CertificatePrinter } from './certificates.ts';
import type { OutboxStatus } from './outbox.ts';
import type { RecordsService } from './records.ts';

/** The kiosk's durable record of what happened; `append` resolves only after the commit. */
export interface TransactionLog {
  append(type: string, payload: unknown): Promise<{ id: string }>;
  /** The store's own state, for the terminal's health check (absent where there is none). */
  status?(): OutboxStatus;
}

/** The link to the central platform, for calls that need its answer (taking a ticket). */
export interface CentralLink {
  readonly online: boolean;
  /** The platform's raw answer: callers check it against the event's answer schema. */
  request(event: string, payload: unknown, timeoutMs?: number): Promise<unknown>;
  onOnline(handler: (online: boolean) => void): void;
  /** Listens to an event the platform pushes to this terminal; returns a function that stops. */
  onPush(event: string, handler: (payload: unknown) => void): () => void;
  /** The hall's key for pseudonymising ID numbers, once the platform has given it. */
  idKeySecret(): string | null;
  /** Answer what the platform asks of this terminal (a staff command); the result is the acknowledgement. */
  answer(event: string, handler: (payload: unknown) => Promise<unknown>): () => void;
}

/** The receipt printer as domain parts see it (a job ends done, held or failed). */
export interface PrinterPort {
  print(doc: unknown): Promise<PrintJobStatus>;
  job(jobId: string): PrintJobStatus | undefined;
  /** Withdraws a job not yet printed; false when it already printed or is printing. */
  cancel(jobId: string): boolean;
  readonly available: boolean;
}

/** The A4 printer as the parts that print documents see it. */
export interface A4PrinterPort {
  print(pdf: Uint8Array, options: A4PrintOptions): Promise<A4JobStatus>;
  job(jobId: string): A4JobStatus | undefined;
  cancel(jobId: string): Promise<boolean>;
  readonly available: boolean;
}

/** The terminal's hardware as the other parts see it. */
export interface DeviceBoard {
  /** The driver manager, for the card reader's events and the simulators' controls; null without devices. */
  readonly manager: DeviceManager | null;
  readonly printer: PrinterPort | null;
  /** The A4 printer, where the terminal has one. */
  readonly a4: A4PrinterPort | null;
  /** Current health of every configured device. */
  health(): DeviceHealth[];
}

/** Whether this terminal can read aloud. */
export interface SpeechStatus {
  readonly tts: boolean;
}

/** The robot's ears as the transports see them: microphone frames in (16 kHz mono int16). */
export interface VoiceInput {
  /** False when the frame was dropped (the pipeline fell behind); drops are counted. */
  feed(pcm: Int16Array): boolean;
}

/**
 * Everything one part can give another. `central` is null on a stand-alone terminal and
 * `robot` on a terminal that is not a robot: those are facts about the terminal, not gaps
 * left until some later part fills them.
 */
export interface Capabilities {
  transactions: TransactionLog;
  central: CentralLink | null;
  devices: DeviceBoard;
  speech: SpeechStatus;
  session: SessionService;
  queue: KioskQueue;
  robot: RobotService | null;
  /** The voice pipeline, on a robot whose voice models load. */
  voice: VoiceInput | null;
  /** Signs and prints certificates for the signed-in citizen on the A4 printer. */
  certificates: CertificatePrinter;
  /** 查询打印: the signed-in citizen's records, whole, for printing them (`record(kind)`). */
  records: RecordsService;
}

export type Capability = keyof Capabilities;

/** What building a part yields: the screen's methods it answers and what it gives the others. */
export interface Built<P extends Capability> {
  handlers?: Handlers;
  provides: Pick<Capabilities, P>;
}

/** A part as written: its build sees exactly the capabilities it declared it needs. */
export interface PartSpec<N extends Capability, P extends Capability> {
  readonly name: string;
  readonly needs: readonly N[];
  readonly provides: readonly P[];
  build(ctx: TerminalContext, deps: Pick<Capabilities, N>): Built<P> | Promise<Built<P>>;
}

/** A part as the root holds it, whatever it needs and provides. */
export interface TerminalPart {
  readonly name: string;
  readonly needs: readonly Capability[];
  readonly provides: readonly Capability[];
  build(ctx: TerminalContext, deps: Capabilities): Promise<{ handlers: Handlers; provides: Partial<Capabilities> }>;
}

export function definePart<N extends Capability = never, P extends Capability = never>(spec: PartSpec<N, P>): TerminalPart {
  return {
    name: spec.name,
    needs: spec.needs,
    provides: spec.provides,
    build: async (ctx, deps) => {
      const built = await spec.build(ctx, deps);
      return { handlers: built.handlers ?? {}, provides: built.provides };
    },
  };
}

export class CompositionError extends Error {
  override readonly name = 'CompositionError';
}

/**
 * The parts in an order where each comes after every part providing what it needs; parts
 * that do not depend on each other keep their listed order.
 */
export function orderParts(parts: readonly TerminalPart[]): TerminalPart[] {
  const providers = new Map<Capability, TerminalPart>();
  for (const part of parts) {
    for (const cap of part.provides) {
      const other = providers.get(cap);
      if (other) throw new CompositionError(`parts '${other.name}' and '${part.name}' both provide '${cap}'`);
      providers.set(cap, part);
    }
  }
  for (const part of parts) {
    for (const cap of part.needs) {
      if (!providers.has(cap)) throw new CompositionError(`part '${part.name}' needs '${cap}', which no part provides`);
    }
  }

  const ordered: TerminalPart[] = [];
  const state = new Map<TerminalPart, 'visiting' | 'done'>();
  const visit = (part: TerminalPart, path: TerminalPart[]): void => {
    const seen = state.get(part);
    if (seen === 'done') return;
    if (seen === 'visiting') {
      const cycle = [...path.slice(path.indexOf(part)), part].map((p) => p.name).join(' → ');
      throw new CompositionError(`parts need each other: ${cycle}`);
    }
    state.set(part, 'visiting');
    for (const cap of part.needs) {
      const provider = providers.get(cap);
      if (provider && provider !== part) visit(provider, [...path, part]);
    }
    state.set(part, 'done');
    ordered.push(part);
  };
  for (const part of parts) visit(part, []);
  return ordered;
}

/**
 * The capabilities a part declared, and only those: reading one it did not declare is a
 * wiring mistake, reported at once rather than as an undefined somewhere later.
 */
export function grantedTo(part: TerminalPart, provided: ReadonlyMap<Capability, unknown>): Capabilities {
  const granted = new Map(part.needs.map((cap) => [cap, provided.get(cap)] as const));
  // The proxy's target is empty; every read goes through `get`, which only answers declared needs.
  return new Proxy({} as Capabilities, {
    get(_, key) {
      // Symbols are asked by inspection (util.inspect, Promise resolution), not by parts.
      if (typeof key === 'symbol') return undefined;
      if (!granted.has(key as Capability)) {
        throw new CompositionError(`part '${part.name}' read '${String(key)}' without declaring that it needs it`);
      }
      return granted.get(key as Capability);
    },
  });
}

/** Checks that a built part gave everything it declared, naming what is missing. */
export function checkProvided(part: TerminalPart, provides: Partial<Capabilities>): void {
  for (const cap of part.provides) {
    if (!(cap in provides)) throw new CompositionError(`part '${part.name}' declared '${cap}' but did not provide it`);
  }
}
