/**
 * The record on screen, on paper: the host signs it through the platform and prints it on
 * the A4 printer; the screen follows the job to printed (with the verification code the
 * paper carries) or says why it waits, in the citizen's language.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../shared/api.ts';
import type { RecordKind } from '../../../protocol/datashare.ts';
import { A4JobLine, useA4Job } from './A4Job.tsx';

/** In fours, as the paper prints it, for whoever types it on the verify page. */
const grouped = (code: string) => code.match(/.{1,4}/g)?.join('-') ?? code;

const PROBLEMS: Record<string, string> = { 'device-absent': 'noPrinter', offline: 'offline', 'not-found': 'again', 'not-signed-in': 'again' };

export function RecordPrint({ kind }: { kind: RecordKind }) {
  const { t } = useTranslation();
  const [job, setJob] = useA4Job();
  const [code, setCode] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const print = async () => {
    setBusy(true);
    setProblem(null);
    try {
      const printed = await api.call('records.print', { kind });
      setCode(printed.code);
      setJob(printed.job);
    } catch (err) {
      setProblem(`recordPrint.${PROBLEMS[(err as { code?: string }).code ?? ''] ?? 'failed'}`);
    } finally {
      setBusy(false);
    }
  };

  const inFlight = busy || job?.state === 'queued' || job?.state === 'printing';
  return (
    <div className="record-print" data-testid="record-print">
      {/* One certificate per look-up: a second tap would only print the same paper twice. */}
      {job?.state !== 'done' && (
        <button className="primary big" data-testid="record-print-button" disabled={inFlight} onClick={() => void print()}>
          {inFlight ? t('recordPrint.printing') : t('recordPrint.print')}
        </button>
      )}
      {job && <A4JobLine job={job} testId="record-print-state" words={{ done: t('recordPrint.done', { code: grouped(code) }), failed: t('recordPrint.failed'), printing: t('recordPrint.printing') }} />}
      {problem && <p className="warn" role="alert" data-testid="record-print-problem">{t(problem)}</p>}
    </div>
  );
}
