import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ErrorBoundary } from '../app/ErrorBoundary';
import { installRecorderHook } from '../app/recorderHook';
import { EmbedApp } from './EmbedApp';
import '../app/styles.css';
import './embed.css';

installRecorderHook();
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ErrorBoundary>
      <EmbedApp />
    </ErrorBoundary>
  </StrictMode>,
);
