/**
 * The gate every IPC call passes before it reaches the router. The router already
 * checks the method name against the contract and the input against its schema; this
 * adds what only Electron knows: who sent the call. Only the main frame of the kiosk's
 * own page may call, so a page that somehow got loaded, or a frame inside one, cannot.
 */
import { methods } from '../../protocol/ui/contract.ts';
import type { DispatchResult } from '../api/router.ts';
import type { IpcReply } from '../../protocol/ui/ipc-wire.ts';
import { isAppUrl } from './security.ts';

export interface IpcSender {
  /** URL of the frame that sent the call (event.senderFrame.url); null when the frame is gone. */
  frameUrl: string | null;
  /** Whether that frame is the top-level frame of its page. */
  isMainFrame: boolean;
  /** Whether the call came from the kiosk's own window rather than some other webContents. */
  fromKioskWindow: boolean;
}

export interface Dispatcher {
  dispatch(method: string, input: unknown): Promise<DispatchResult>;
}

const refused = (message: string): IpcReply => ({ ok: false, error: { code: 'unavailable', message } });

/** Why a call from this sender is refused, or null when it may proceed. */
export function senderProblem(sender: IpcSender): string | null {
  if (!sender.fromKioskWindow) return 'calls are accepted only from the kiosk window';
  if (!sender.frameUrl) return 'the calling frame is gone';
  if (!sender.isMainFrame) return 'calls are not accepted from embedded frames';
  if (!isAppUrl(sender.frameUrl)) return 'calls are accepted only from the kiosk pages';
  return null;
}

/**
 * IPC carries structured clones while the WebSocket bridge carries JSON; passing every
 * value through JSON keeps the two transports identical for the renderer (dates arrive
 * as strings either way, and a class instance cannot leak its prototype).
 */
function asJson(value: unknown): unknown {
  return value === undefined ? undefined : JSON.parse(JSON.stringify(value));
}

export function createIpcHandler(router: Dispatcher, onRefused: (reason: string, method: string) => void = () => {}) {
  return async (sender: IpcSender, method: unknown, input: unknown): Promise<IpcReply> => {
    const problem = senderProblem(sender);
    const name = typeof method === 'string' ? method.slice(0, 64) : typeof method;
    if (problem) {
      onRefused(problem, name);
      return refused(problem);
    }
    if (typeof method !== 'string' || !Object.prototype.hasOwnProperty.call(methods, method)) {
      return { ok: false, error: { code: 'unknown-method', message: `unknown method ${name}` } };
    }
    let wireInput: unknown;
    try {
      wireInput = asJson(input);
    } catch {
      return { ok: false, error: { code: 'bad-input', message: `${method}: input is not plain data` } };
    }
    const result = await router.dispatch(method, wireInput);
    if (!result.ok) return result;
    try {
      return { ok: true, value: asJson(result.value) };
    } catch {
      return { ok: false, error: { code: 'internal', message: 'The kiosk hit an internal problem; please try again.' } };
    }
  };
}

/** Events pass through JSON for the same reason results do. */
export function eventPayload(payload: unknown): unknown {
  return asJson(payload);
}
