/**
 * 一键求助 on every kiosk and robot screen: one tap calls a member of staff to this
 * terminal, and the panel says where the call is (waiting for the network, staff told,
 * 工作人员马上到). The terminal keeps one call per need, so tapping again is harmless.
 * Its style (help.css) is imported by each page's main.tsx, so the kiosk host can render
 * this component into HTML without a bundler.
 */
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from './api.ts';
import { newRequestId } from './request-id.ts';
import type { HelpStatus } from '../../protocol/ui/domains/help.ts';

export function HelpButton({ screen }: { screen: string }) {
  const { t } = useTranslation();
  const [status, setStatus] = useState<HelpStatus | null>(null);
  const [shown, setShown] = useState(false);
  const [failed, setFailed] = useState(false);
  const request = useRef<string | null>(null);

  useEffect(() => {
    api.call('help.status', {}).then(setStatus, () => undefined);
    return api.on('help.changed', (s) => {
      setStatus(s);
      // Staff answering is news the citizen is waiting for: it opens the panel.
      if (s.state === 'acknowledged') setShown(true);
    });
  }, []);

  const raise = () => {
    setShown(true);
    setFailed(false);
    request.current ??= newRequestId();
    api.call('help.raise', { requestId: request.current, screen }).then(
      (s) => {
        setStatus(s);
        request.current = null;
      },
      () => {
        setFailed(true);
        request.current = null;
      },
    );
  };

  const outstanding = status && status.state !== 'acknowledged';
  return (
    <>
      <button className={`help-button ${status ? status.state : ''}`} data-testid="help-button" onClick={raise} aria-haspopup="dialog">
        <svg className="help-icon" viewBox="0 0 24 24" width="1.1em" height="1.1em" aria-hidden>
          <circle cx="12" cy="12" r="10" fill="none" stroke="currentColor" strokeWidth="2.5" />
          <path d="M12 6.5v7" stroke="currentColor" strokeWidth="2.8" strokeLinecap="round" />
          <circle cx="12" cy="17.5" r="1.6" fill="currentColor" />
        </svg>{' '}
        {t('help.button')}
      </button>
      {shown && (
        <div className="help-panel" role="dialog" aria-live="assertive" data-testid="help-panel" data-state={failed ? 'failed' : (status?.state ?? 'sending')}>
          <p className="help-message">
            {failed ? t('help.failed') : !status ? t('help.sending') : status.state === 'acknowledged' ? t('help.coming') : status.state === 'open' ? t('help.told') : t('help.queued')}
          </p>
          {outstanding && <p className="help-stay">{t('help.stay')}</p>}
          <button data-testid="help-close" onClick={() => setShown(false)}>{t('help.close')}</button>
        </div>
      )}
    </>
  );
}
