/** The language button every screen shows: it names the other language in that language (the screen's `language` key). */
import { useTranslation } from 'react-i18next';
import { setLang, setStaffLang } from './index.ts';

interface Props {
  /** Staff screens keep the choice on this PC; citizen screens forget it with the visitor. */
  remember?: boolean;
  className?: string;
}

export function LangSwitch({ remember = false, className = 'lang' }: Props) {
  const { t, i18n } = useTranslation();
  const next = i18n.language === 'en' ? 'zh' : 'en';
  return (
    <button type="button" className={className} data-testid="lang-toggle" lang={next === 'zh' ? 'zh-CN' : 'en'} onClick={() => (remember ? setStaffLang : setLang)(next)}>
      {t('language')}
    </button>
  );
}
