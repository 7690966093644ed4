import { createRoot } from 'react-dom/client';
import '../shared/base.css';
import './robot.css';
import { RobotApp } from './RobotApp.tsx';

createRoot(document.getElementById('root')!).render(<RobotApp />);
