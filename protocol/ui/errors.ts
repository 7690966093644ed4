/**
 * Errors that cross the API boundary. The UI gets a code it can translate and a plain
 * message; stack traces stay in the host's log.
 */
export type ApiErrorCode =
  | 'bad-input'
  | 'unknown-method'
  | 'not-found'
  | 'unavailable'
  | 'device-absent'
  | 'paper-out'
  | 'not-signed-in'
  | 'conflict'
  | 'offline'
  | 'internal';

export class ApiError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly detail?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface WireError {
  code: ApiErrorCode;
  message: string;
  detail?: unknown;
}

export function toWireError(err: unknown): WireError {
  if (err instanceof ApiError) return { code: err.code, message: err.message, detail: err.detail };
  return { code: 'internal', message: 'The kiosk hit an internal problem; please try again.' };
}
