/**
 * 查询打印: the signed-in citizen's government records as the kiosk screen shows them. The
 * record is the data-sharing one (protocol/datashare.ts) with its holder masked, and the
 * name and number masked wherever the record repeats them.
 */
import { z } from 'zod';
import { method } from '../method.ts';
import { RecordKind, type DataRecord, type QueryFailure } from '../../datashare.ts';
import type { A4JobStatus } from './print.ts';

export interface RecordView extends Omit<DataRecord, 'holder'> {
  holder: { maskedName: string; maskedId: string };
}

/** Why a query gave no record, in `ApiError.detail.reason`: the gateway's reasons, or the platform out of reach. */
export type RecordFailure = QueryFailure | 'offline';

export const recordsMethods = {
  'records.query': method<RecordView>()(z.object({ kind: RecordKind })),
  /** The record last queried in this session, printed on A4 as a signed certificate; the code is the one printed on it. */
  'records.print': method<{ job: A4JobStatus; code: string }>()(z.object({ kind: RecordKind })),
};
