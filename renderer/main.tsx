// Renderer entry: pick the host (Electron preload bridge or plain browser) and mount the app.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { startModel } from './flagship';
import { chooseHost } from './host/choose-host';
import './styles/app.css';

const host = chooseHost(window);
const start = startModel();
let initial: unknown = {};
try {
  initial = JSON.parse(start.text);
} catch {
  initial = {};
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App host={host} initialModel={initial as never} initialFileName={start.fileName} />
  </StrictMode>,
);
