import { createRoot } from 'react-dom/client';
import '../shared/base.css';
import './display.css';
import { initI18n } from '../i18n/index.ts';
import { shownFromUrl, strings } from './strings.ts';
import { App } from './App.tsx';

// The hall sets the display's language(s) in its address (?lang=zh|en|both); both shows English under the Chinese.
const shown = shownFromUrl();
initI18n(strings, shown === 'en' ? 'en' : 'zh');
createRoot(document.getElementById('root')!).render(<App />);
