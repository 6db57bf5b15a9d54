import { CopyField } from './CopyField';

/** A secret the server returns only once (API key, webhook secret): copyable, with a warning that says so. */
export function OnceSecret({ label, value, onDone, testId }: { label: string; value: string; onDone: () => void; testId: string }) {
  return (
    <div className="once-secret" role="region" aria-label={label}>
      <p className="banner banner-warn">
        <strong>Copy this {label.toLowerCase()} now.</strong> It is shown only once and cannot be retrieved later.
      </p>
      <CopyField label={label} value={value} testId={testId} primary>
        <button type="button" className="btn" onClick={onDone}>Done</button>
      </CopyField>
    </div>
  );
}
