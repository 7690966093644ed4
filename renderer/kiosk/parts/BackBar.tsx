/** The back and home buttons every screen but home carries, with the screen's title. */
import { useTranslation } from 'react-i18next';
import { useKiosk } from '../state.tsx';

export function BackBar({ title }: { title: string }) {
  const { t } = useTranslation();
  const k = useKiosk();
  return (
    <div className="backbar">
      <button onClick={k.back} data-testid="back">‹ {t('back')}</button>
      <h1>{title}</h1>
      <button onClick={k.goHome} data-testid="go-home">{t('home')}</button>
    </div>
  );
}
