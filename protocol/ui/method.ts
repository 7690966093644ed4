/**
 * How a domain declares a method of the UI contract. Apart from contract.ts, which gathers
 * the domains, so a domain never imports the module that imports it: whichever of them a
 * process happens to load first, the other is already whole.
 */
import type { z } from 'zod';

/** A method: what the UI sends (validated on arrival) and what it gets back. */
export interface MethodSpec<I extends z.ZodType = z.ZodType, O = unknown> {
  input: I;
  /** Phantom field carrying the output type; never read at run time. */
  output?: O;
}

/** `method<Output>()(inputSchema)`: the input type comes from the schema, the output is declared. */
export function method<O>() {
  return <I extends z.ZodType>(input: I): MethodSpec<I, O> => ({ input });
}
