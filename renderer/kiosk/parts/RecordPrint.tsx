/**
 * The record on screen, on paper: the host signs it through the platform and prints it on
 * the A4 printer; the screen follows the job to printed (with the verification code the
 * paper carries) or says why it waits, in the citizen's language.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../shared/api.ts';
import type { RecordKind } from '../../../protocol/datashare.ts';
import type { A4JobStatus } from '../../../protocol/ui/domains/print.ts';

/** In fours, as the paper prints it, for whoever types it on the verify page. */
const grouped = (code: string) => code.match(/.{1,4}/g)?.join('-') ?? code;

const PROBLEMS: Record<string, string> = { 'device-absent': 'noPrinter', offline: 'offline', 'not-found': 'again', 'not-signed-in': 'again' };

export function RecordPrint({ kind }: { kind: RecordKind }) {
  const { t } = useTranslation();
  const [printed, setPrinted] = useState<{ job: A4JobStatus; code: string } | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => api.on('print.a4job', (j) => setPrinted((cur) => (cur && cur.job.jobId === j.jobId ? { ...cur, job: j } : cur))), []);

  const print = async () => {
    setBusy(true);
    setProblem(null);
    try {
      setPrinted(await api.call('records.print', { kind }));
    } catch (err) {
      setProblem(`recordPrint.${PROBLEMS[(err as { code?: string }).code ?? ''] ?? 'failed'}`);
    } finally {
      setBusy(false);
    }
  };

  const job = printed?.job;
  const inFlight = busy || job?.state === 'queued' || job?.state === 'printing';
  return (
    <div className="record-print" data-testid="record-print">
      {/* One certificate per look-up: a second tap would only print the same paper twice. */}
      {job?.state !== 'done' && (
        <button className="primary big" data-testid="record-print-button" disabled={inFlight} onClick={() => void print()}>
          {inFlight ? t('recordPrint.printing') : t('recordPrint.print')}
        </button>
      )}
      {job && (
        <p className={job.state === 'held' || job.state === 'failed' ? 'warn' : 'notice'} role="status" data-testid="record-print-state" data-state={job.state}>
          {job.state === 'done'
            ? t('recordPrint.done', { code: grouped(printed.code) })
            : job.state === 'held'
              ? t(`a4Cause.${job.cause ?? 'held'}`)
              : job.state === 'failed'
                ? t('recordPrint.failed')
                : t('recordPrint.printing')}
        </p>
      )}
      {problem && <p className="warn" role="alert" data-testid="record-print-problem">{t(problem)}</p>}
    </div>
  );
}
