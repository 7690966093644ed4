import { createRoot } from 'react-dom/client';
import '../shared/base.css';
import './window.css';
import { App } from './App.tsx';

createRoot(document.getElementById('root')!).render(<App />);
