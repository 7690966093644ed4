/**
 * What the records screens decide without drawing: which plain sentence a failed query
 * gets, and whether asking again may help. Pure, so unit tests and screens share it.
 */
import { QUERY_FAILURES } from '../../protocol/datashare.ts';
import type { RecordFailure } from '../../protocol/ui/domains/records.ts';

/** The reason a records.query error carries, or 'failed' when it names none this screen knows. */
export function recordFailureOf(err: unknown): RecordFailure | 'failed' {
  if (!err || typeof err !== 'object') return 'failed';
  const detail = (err as { detail?: unknown }).detail;
  const reason = detail && typeof detail === 'object' && 'reason' in detail ? String((detail as { reason: unknown }).reason) : null;
  if (reason === 'offline' || (QUERY_FAILURES as readonly string[]).includes(reason ?? '')) return reason as RecordFailure;
  return (err as { code?: unknown }).code === 'offline' ? 'offline' : 'failed';
}

/** A source down, a timeout or a lost link may pass; the other failures will not by asking again. */
export function worthRetrying(failure: RecordFailure | 'failed'): boolean {
  return failure === 'source-down' || failure === 'timeout' || failure === 'offline' || failure === 'failed';
}
