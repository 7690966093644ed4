/** Refusals the queue gives for a reason a person can act on (not bugs). */
export type QueueErrorCode = 'bad-request' | 'forbidden' | 'not-found' | 'conflict' | 'closed' | 'full';

export class QueueError extends Error {
  override readonly name = 'QueueError';
  constructor(
    readonly code: QueueErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** A conditional update found the row changed under it; the operation may simply be retried. */
export class RaceError extends Error {
  override readonly name = 'RaceError';
}
