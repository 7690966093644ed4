/**
 * Tells a citizen whose ID card has expired, or ends within 90 days, before they go to a
 * window with it, and offers the hall's renewal item. It stays until they dismiss it or go
 * to that item; a new sign-in (a new key in the frame) brings it back.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useKiosk } from '../state.tsx';

export function CardExpiryNotice() {
  const { t } = useTranslation();
  const k = useKiosk();
  const [dismissed, setDismissed] = useState(false);
  const card = k.card;
  const warn = card && (card.expired || card.expiresSoon) ? card : null;
  const text = warn ? t(warn.expired ? 'cardExpiry.expired' : 'cardExpiry.expiresSoon', { date: warn.validTo }) : '';

  useEffect(() => {
    if (text) k.speak(text);
    // Spoken once when the notice first appears, not on every render of the frame.
  }, [text]);

  if (!warn || dismissed) return null;
  const onRenewal = warn.renewal && k.screen.name === 'guide' && k.screen.code === warn.renewal.code;
  if (onRenewal) return null;
  return (
    <section className={`card-expiry ${warn.expired ? 'expired' : 'soon'}`} role="alert" data-testid="card-expiry">
      <p>{text}</p>
      <div className="card-expiry-actions">
        {warn.renewal && (
          <button
            className="primary big"
            data-testid="card-renew"
            onClick={() => {
              setDismissed(true);
              k.go({ name: 'guide', code: warn.renewal!.code, caseCode: warn.renewal!.caseCode });
            }}
          >
            {t('cardExpiry.renew')}
          </button>
        )}
        <button className="big" data-testid="card-expiry-dismiss" onClick={() => setDismissed(true)}>
          {t('cardExpiry.dismiss')}
        </button>
      </div>
    </section>
  );
}
