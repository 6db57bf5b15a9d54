import type { CardField, CardFieldValue } from '@callsight/sdk';

/** Form values are typed as the field wants them, so the shared rules check them unchanged. */
function parse(field: CardField, raw: string): CardFieldValue {
  if (raw === '') return null;
  if (field.type === 'number') return Number.isFinite(Number(raw)) ? Number(raw) : raw;
  return raw;
}

/** One card field as a labelled control with its error; used by the customer's sheet and the agent's composer. */
export function CardFieldInput({
  field,
  value,
  error,
  onChange,
  idPrefix,
}: {
  field: CardField;
  value: CardFieldValue | undefined;
  error?: string;
  onChange: (value: CardFieldValue) => void;
  idPrefix: string;
}) {
  const id = `${idPrefix}-${field.name}`;
  const common = {
    id,
    name: field.name,
    'aria-invalid': error ? true : undefined,
    'aria-describedby': error ? `${id}-error` : undefined,
    readOnly: field.readOnly,
    'data-testid': `${idPrefix}-field-${field.name}`,
  };
  let control;
  if (field.type === 'boolean') {
    control = <input type="checkbox" {...common} checked={value === true} disabled={field.readOnly} onChange={(e) => onChange(e.target.checked)} />;
  } else if (field.type === 'enum') {
    control = (
      <select {...common} value={typeof value === 'string' ? value : ''} disabled={field.readOnly} onChange={(e) => onChange(parse(field, e.target.value))}>
        <option value="">Choose…</option>
        {(field.options ?? []).map((o) => (
          <option key={o} value={o}>{o}</option>
        ))}
      </select>
    );
  } else {
    control = (
      <input
        {...common}
        type={field.type === 'number' ? 'number' : field.type === 'date' ? 'date' : 'text'}
        step={field.type === 'number' ? 'any' : undefined}
        value={value === null || value === undefined ? '' : String(value)}
        onChange={(e) => onChange(parse(field, e.target.value))}
        autoComplete="off"
      />
    );
  }
  return (
    <div className={`field ${field.type === 'boolean' ? 'field-inline' : ''}`}>
      <label htmlFor={id}>
        {field.label}
        {!field.required && !field.readOnly && <span className="muted small"> (optional)</span>}
      </label>
      {control}
      {error && (
        <span className="field-error" id={`${id}-error`} data-testid={`${idPrefix}-error-${field.name}`}>
          {error}
        </span>
      )}
    </div>
  );
}
