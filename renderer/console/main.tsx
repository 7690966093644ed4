import { createRoot } from 'react-dom/client';
import { initI18n, staffLang } from '../i18n/index.ts';
import { strings } from './strings.ts';
import { App } from './App.tsx';
import './console.css';

initI18n(strings, staffLang());
createRoot(document.getElementById('root')!).render(<App />);
