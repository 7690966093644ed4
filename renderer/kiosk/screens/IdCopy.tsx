/**
 * 身份证复印件: the signed-in citizen picks (or types) what the copy is for, and it comes
 * out of the A4 printer watermarked for that purpose and today. The screen follows the job
 * to printed, or says why it waits (paper, jam) in the citizen's language.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../shared/api.ts';
import { ID_COPY_PURPOSE_MAX, type A4JobStatus } from '../../../protocol/ui/domains/print.ts';
import { useKiosk } from '../state.tsx';
import { BackBar } from '../parts/BackBar.tsx';
import { CardPrompt } from '../parts/CardPrompt.tsx';

const PURPOSES = ['社保卡申领', '银行开户', '户籍业务', '不动产登记'] as const;

export function IdCopyScreen() {
  const { t } = useTranslation();
  const k = useKiosk();
  const [purpose, setPurpose] = useState('');
  const [job, setJob] = useState<A4JobStatus | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => api.on('print.a4job', (j) => setJob((cur) => (cur && cur.jobId === j.jobId ? j : cur))), []);

  if (!k.person) {
    return (
      <div className="id-copy" data-testid="id-copy">
        <BackBar title={t('idCopy.title')} />
        <CardPrompt message={t('idCopy.placeCard')} />
      </div>
    );
  }

  const print = async () => {
    setBusy(true);
    setProblem(null);
    try {
      setJob(await api.call('print.idCopy', { purpose }));
    } catch (err) {
      const code = (err as { code?: string }).code;
      setProblem(code === 'device-absent' ? t('idCopy.noPrinter') : code === 'bad-input' ? t('idCopy.badPurpose', { max: ID_COPY_PURPOSE_MAX }) : t('idCopy.failed'));
    } finally {
      setBusy(false);
    }
  };

  const chosen = purpose.trim();
  return (
    <div className="id-copy" data-testid="id-copy">
      <BackBar title={t('idCopy.title')} />
      <p>{t('idCopy.explain')}</p>
      <div className="purpose-choices" role="radiogroup" aria-label={t('idCopy.purpose')}>
        {PURPOSES.map((p) => (
          <button key={p} className={`chip ${purpose === p ? 'selected' : ''}`} role="radio" aria-checked={purpose === p} data-purpose={p} onClick={() => setPurpose(p)}>
            {t(`idCopy.purposes.${p}`)}
          </button>
        ))}
      </div>
      <label className="purpose-input">
        {t('idCopy.other')}
        <input data-testid="id-copy-purpose" value={purpose} maxLength={ID_COPY_PURPOSE_MAX} onChange={(e) => setPurpose(e.target.value)} />
      </label>
      {chosen && <p className="watermark-preview" data-testid="id-copy-preview">{t('idCopy.preview', { purpose: chosen })}</p>}
      <button className="primary big" data-testid="id-copy-print" disabled={!chosen || busy || job?.state === 'queued' || job?.state === 'printing'} onClick={() => void print()}>
        {busy ? t('idCopy.printing') : t('idCopy.print')}
      </button>
      {job && (
        <p className={job.state === 'held' || job.state === 'failed' ? 'warn' : 'notice'} role="status" data-testid="id-copy-state" data-state={job.state}>
          {job.state === 'done' ? t('idCopy.done') : job.state === 'held' ? t(`a4Cause.${job.cause ?? 'held'}`) : job.state === 'failed' ? t('idCopy.failed') : t('idCopy.printing')}
        </p>
      )}
      {problem && <p className="warn" role="alert" data-testid="id-copy-problem">{problem}</p>}
    </div>
  );
}
