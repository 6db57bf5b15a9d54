import { StrictMode, type ReactNode } from 'react';
import { createRoot } from 'react-dom/client';
import { ToastProvider } from './Toasts';
import './styles.css';

/** Every app's entry: the design system, toasts and React's strict checks. */
export function mount(app: ReactNode): void {
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <ToastProvider>{app}</ToastProvider>
    </StrictMode>,
  );
}
