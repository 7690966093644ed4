/**
 * The one place a terminal is wired: each part says what it needs from the others and what
 * it provides, and the order parts are built in follows from those declarations rather than
 * from where they sit in a list. A part needing something nobody provides, or parts needing
 * each other, is refused before anything is built, naming the parts involved.
 */
import { createKioskServices, type KioskModule, type KioskOptions, type KioskServices } from './kiosk-services.ts';

/** What one part gives the terminal, named so that others can declare they depend on it. */
export type Capability = 'transactions' | 'central' | 'online' | 'deviceManager' | 'printer' | 'devices' | 'tts' | 'session' | 'queue' | 'robot';

export interface TerminalPart {
  readonly name: string;
  readonly needs: readonly Capability[];
  readonly provides: readonly Capability[];
  readonly build: KioskModule;
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

/** Builds a terminal from its parts, in the order their declared needs require. */
export function composeTerminal(options: KioskOptions, parts: readonly TerminalPart[]): Promise<KioskServices> {
  return createKioskServices(options, orderParts(parts).map((p) => p.build));
}
