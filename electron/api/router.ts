/**
 * The host side of the contract: validates every call's input against the method's
 * schema before any handler sees it, and turns failures into wire errors. Both
 * transports call `dispatch`, so IPC and the WebSocket bridge behave the same.
 */
import type { z } from 'zod';
import { methods, type MethodName, type Methods, type OutputOf } from '../../protocol/ui/contract.ts';
import { ApiError, toWireError, type WireError } from '../../protocol/ui/errors.ts';

export type Handler<M extends MethodName> = (input: z.output<Methods[M]['input']>) => Promise<OutputOf<M>> | OutputOf<M>;
export type Handlers = { [M in MethodName]?: Handler<M> };

export type DispatchResult = { ok: true; value: unknown } | { ok: false; error: WireError };

export class ApiRouter {
  private handlers: Handlers = {};

  constructor(private readonly onError: (method: string, err: unknown) => void = () => {}) {}

  /** Adds a domain's handlers; later registrations of the same method replace earlier ones. */
  register(handlers: Handlers): this {
    Object.assign(this.handlers, handlers);
    return this;
  }

  has(method: string): boolean {
    return method in this.handlers;
  }

  async dispatch(method: string, input: unknown): Promise<DispatchResult> {
    if (!Object.prototype.hasOwnProperty.call(methods, method)) {
      return { ok: false, error: { code: 'unknown-method', message: `unknown method ${String(method).slice(0, 64)}` } };
    }
    const name = method as MethodName;
    const parsed = methods[name].input.safeParse(input ?? {});
    if (!parsed.success) {
      const first = parsed.error.issues[0];
      return {
        ok: false,
        error: { code: 'bad-input', message: `${name}: ${first.path.join('.') || 'input'}: ${first.message}` },
      };
    }
    const handler = this.handlers[name] as Handler<MethodName> | undefined;
    if (!handler) return { ok: false, error: { code: 'unavailable', message: `${name} is not available on this terminal` } };
    try {
      return { ok: true, value: await handler(parsed.data as never) };
    } catch (err) {
      if (!(err instanceof ApiError)) this.onError(name, err);
      return { ok: false, error: toWireError(err) };
    }
  }
}
