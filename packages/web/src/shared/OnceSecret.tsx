import { useToast } from './Toasts';

/** A secret the server returns only once (API key, webhook secret): copyable, with a warning that says so. */
export function OnceSecret({ label, value, onDone, testId }: { label: string; value: string; onDone: () => void; testId: string }) {
  const toast = useToast();

  async function copy() {
    try {
      await navigator.clipboard.writeText(value);
      toast.success(`${label} copied`);
    } catch {
      // Clipboard needs a secure context (https or localhost); the text stays selectable.
      toast.error(new Error('Copying is blocked here: select the text and copy it by hand.'));
    }
  }

  return (
    <div className="once-secret" role="region" aria-label={label}>
      <p className="banner banner-warn">
        <strong>Copy this {label.toLowerCase()} now.</strong> It is shown only once and cannot be retrieved later.
      </p>
      <div className="row">
        <input className="grow mono" readOnly value={value} aria-label={label} data-testid={testId} onFocus={(e) => e.currentTarget.select()} />
        <button type="button" className="btn btn-primary" onClick={() => void copy()}>Copy</button>
        <button type="button" className="btn" onClick={onDone}>Done</button>
      </div>
    </div>
  );
}
