/**
 * The staff screens' calls to the platform's HTTP API (same origin; the session rides in
 * an HttpOnly cookie). Answer types are in protocol/platform-http.ts and protocol/queue-views.ts.
 */
import type { PlatformErrorBody } from '../../protocol/platform-http.ts';

export class PlatformError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly detail?: unknown,
  ) {
    super(message);
  }
}

/** `T` is what the route answers; a call that ignores the answer leaves it unknown. */
export async function platform<T = unknown>(method: 'GET' | 'POST' | 'PATCH', path: string, body?: unknown): Promise<T> {
  const res = await fetch(path, {
    method,
    credentials: 'same-origin',
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let data: unknown = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    // A proxy's HTML error page: the status says enough.
  }
  if (!res.ok) {
    const e = (data as PlatformErrorBody | null)?.error ?? {};
    throw new PlatformError(res.status, e.code ?? 'internal', e.message ?? `HTTP ${res.status}`, e.detail);
  }
  return data as T;
}
