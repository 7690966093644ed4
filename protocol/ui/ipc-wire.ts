/**
 * What Electron's main process and the sandboxed preload share. Kept free of zod and
 * Node so the preload bundle stays a few hundred bytes that only require 'electron'.
 */
import type { WireError } from './errors.ts';

/** Names the IPC channels use; kept here so main and preload cannot drift apart. */
export const IPC = { call: 'xiaojin:call', event: 'xiaojin:event', audio: 'xiaojin:audio' } as const;

/** The one shape main answers an IPC call with (the router's DispatchResult). */
export type IpcReply = { ok: true; value: unknown } | { ok: false; error: WireError };

// contextBridge copies only the message of an Error that crosses into the page, so the
// wire error travels inside the message and the renderer turns it back into ApiCallError.
const MARK = 'xiaojin-api-error:';

export function encodeIpcError(error: WireError): string {
  return `${MARK}${JSON.stringify({ code: error.code, message: error.message, detail: error.detail })}`;
}

export function decodeIpcError(message: string): WireError | null {
  const at = message.indexOf(MARK);
  if (at < 0) return null;
  try {
    const parsed = JSON.parse(message.slice(at + MARK.length)) as Partial<WireError>;
    if (typeof parsed.code !== 'string' || typeof parsed.message !== 'string') return null;
    return { code: parsed.code, message: parsed.message, detail: parsed.detail };
  } catch {
    return null;
  }
}
