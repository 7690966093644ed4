import { createRoot } from 'react-dom/client';
import '../shared/base.css';
import './kiosk.css';
import { initI18n } from '../i18n/index.ts';
import { strings } from './strings.ts';
import { App } from './App.tsx';

initI18n(strings);
createRoot(document.getElementById('root')!).render(<App />);
