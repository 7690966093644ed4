/** The service the called citizen came for, under the number: the clerk prepares before they arrive. */
import { useTranslation } from 'react-i18next';
import type { CalledService as Service } from '../../protocol/queue-views.ts';

export function CalledService({ service }: { service: Service | null }) {
  const { t, i18n } = useTranslation();
  const en = i18n.language === 'en';
  return (
    <p className="service" data-testid="current-service">
      {service ? (
        <>
          {t('service', { name: en ? (service.nameEn ?? service.name) : service.name })}
          {en && !service.nameEn ? <small className="zh-only"> {t('chineseOnly')}</small> : null}
        </>
      ) : (
        t('noService')
      )}
    </p>
  );
}
