/**
 * 身份证复印件: the signed-in citizen picks (or types) what the copy is for, and it comes
 * out of the A4 printer watermarked for that purpose and today. The screen follows the job
 * to printed, or says why it did not print (paper, jam; a held copy is withdrawn so it never
 * comes out for the next citizen) and lets them print again.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../shared/api.ts';
import { ID_COPY_PURPOSE_MAX } from '../../../protocol/ui/domains/print.ts';
import { useKiosk } from '../state.tsx';
import { BackBar } from '../parts/BackBar.tsx';
import { CardPrompt } from '../parts/CardPrompt.tsx';
import { A4JobLine, useA4Job } from '../parts/A4Job.tsx';

const PURPOSES = ['社保卡申领', '银行开户', '户籍业务', '不动产登记'] as const;

export function IdCopyScreen() {
  const { t } = useTranslation();
  const k = useKiosk();
  const [purpose, setPurpose] = useState('');
  const [job, setJob] = useA4Job();
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

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
      <button className="primary big" data-testid="id-copy-print" disabled={!chosen || busy} onClick={() => void print()}>
        {busy ? t('idCopy.printing') : t('idCopy.print')}
      </button>
      {job && <A4JobLine job={job} testId="id-copy-state" words={{ done: t('idCopy.done'), failed: t('idCopy.failed'), printing: t('idCopy.printing') }} />}
      {problem && <p className="warn" role="alert" data-testid="id-copy-problem">{problem}</p>}
    </div>
  );
}
