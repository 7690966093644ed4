/**
 * An A4 job followed on screen: the host reports each job's state as CUPS moves it, and
 * the screen that started the job shows where it is, or why it waits (paper, jam, cover),
 * in the citizen's language. Other screens' jobs are not this one's business.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../shared/api.ts';
import type { A4JobStatus } from '../../../protocol/ui/domains/print.ts';

/** The job this screen started (set it from the print call's answer), kept current by the host's reports. */
export function useA4Job(): [A4JobStatus | null, (job: A4JobStatus | null) => void] {
  const [job, setJob] = useState<A4JobStatus | null>(null);
  useEffect(() => api.on('print.a4job', (j) => setJob((cur) => (cur && cur.jobId === j.jobId ? j : cur))), []);
  return [job, setJob];
}

/** The job's state in a line; `done`, `failed` and `printing` are the screen's own words. */
export function A4JobLine({ job, testId, words }: { job: A4JobStatus; testId: string; words: { done: string; failed: string; printing: string } }) {
  const { t } = useTranslation();
  const trouble = job.state === 'held' || job.state === 'failed';
  const text = job.state === 'done' ? words.done : job.state === 'held' ? t(`a4Cause.${job.cause ?? 'held'}`) : job.state === 'failed' ? words.failed : words.printing;
  return (
    <p className={trouble ? 'warn' : 'notice'} role="status" data-testid={testId} data-state={job.state}>
      {text}
    </p>
  );
}
