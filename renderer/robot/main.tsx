import { createRoot } from 'react-dom/client';
import '../shared/base.css';
import '../shared/help.css';
import './robot.css';
import { initI18n } from '../i18n/index.ts';
import { strings } from './strings.ts';
import { RobotApp } from './RobotApp.tsx';

initI18n(strings);
createRoot(document.getElementById('root')!).render(<RobotApp />);
