import { createContext, useCallback, useContext, useMemo, useRef, useState, type ReactNode } from 'react';
import { errorText } from './ProblemBanner';

interface Toast {
  id: number;
  tone: 'success' | 'error';
  text: string;
}

interface ToastApi {
  success(text: string): void;
  /** Shows the problem detail of an API error (or any error's message). */
  error(err: unknown): void;
}

const ToastContext = createContext<ToastApi | null>(null);

const TTL_MS = { success: 3500, error: 8000 };

/** Short-lived notices for actions whose result has no other place on screen (revoke, delete, copy). */
export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const nextId = useRef(1);

  const dismiss = useCallback((id: number) => setToasts((ts) => ts.filter((t) => t.id !== id)), []);
  const push = useCallback(
    (tone: Toast['tone'], text: string) => {
      const id = nextId.current++;
      // A new notice replaces the one on screen: the latest result is the one that matters.
      setToasts([{ id, tone, text }]);
      setTimeout(() => dismiss(id), TTL_MS[tone]);
    },
    [dismiss],
  );
  const api = useMemo<ToastApi>(() => ({ success: (text) => push('success', text), error: (err) => push('error', errorText(err)) }), [push]);

  return (
    <ToastContext.Provider value={api}>
      {children}
      <div className="toasts" role="status" aria-live="polite">
        {toasts.map((t) => (
          <div key={t.id} className={`toast toast-${t.tone}`}>
            <span>{t.text}</span>
            <button type="button" className="toast-close" aria-label="Dismiss" onClick={() => dismiss(t.id)}>
              ×
            </button>
          </div>
        ))}
      </div>
    </ToastContext.Provider>
  );
}

export function useToast(): ToastApi {
  const api = useContext(ToastContext);
  if (!api) throw new Error('useToast outside ToastProvider');
  return api;
}
