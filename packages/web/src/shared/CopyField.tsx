import type { ReactNode } from 'react';
import { useToast } from './Toasts';

/** Copies text to the clipboard with a toast saying so, or saying to copy by hand where the browser won't. */
export function useCopy() {
  const toast = useToast();
  return async (text: string, what = 'Text') => {
    try {
      await navigator.clipboard.writeText(text);
      toast.success(`${what} copied`);
    } catch {
      // Clipboard needs a secure context (https or localhost); the text stays selectable.
      toast.error(new Error('Copying is blocked here: select the text and copy it by hand.'));
    }
  };
}

/** A read-only value a person copies (a URL, a secret): selected on focus, with a Copy button and any further ones. */
export function CopyField({ label, value, testId, primary, children }: { label: string; value: string; testId?: string; primary?: boolean; children?: ReactNode }) {
  const copy = useCopy();
  return (
    <div className="row copy-field">
      <input className="grow mono" readOnly value={value} aria-label={label} data-testid={testId} onFocus={(e) => e.currentTarget.select()} />
      <button type="button" className={primary ? 'btn btn-primary' : 'btn btn-small'} onClick={() => void copy(value, label)}>Copy</button>
      {children}
    </div>
  );
}
