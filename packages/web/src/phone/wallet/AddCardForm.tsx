import { BRAND_NAMES, CallsightApiError, brandLengths, cardBrand, groupSizes, normalizePan, validateCard, type VaultCard } from '@callsight/sdk';
import { useState, type FormEvent } from 'react';
import { client } from '../../shared/api';
import { ProblemBanner } from '../../shared/ProblemBanner';
import { BrandMark } from './BrandMark';

/** Shows the digits in the brand's groups as they are typed (4-4-4-4, Amex 4-6-5). */
function formatted(digits: string): string {
  const sizes = groupSizes(cardBrand(digits), Math.max(...brandLengths(cardBrand(digits))));
  const out: string[] = [];
  let at = 0;
  for (const n of sizes) {
    if (at >= digits.length) break;
    out.push(digits.slice(at, at + n));
    at += n;
  }
  return out.join(' ');
}

/**
 * Adding a card: the number checked as it is typed (length for its brand, Luhn), the
 * expiry and the name as printed. The same rules run on the server. The number leaves
 * this form only in the save request; nothing keeps it afterwards.
 */
export function AddCardForm({ onSaved, onCancel }: { onSaved: (card: VaultCard) => void; onCancel: () => void }) {
  const [digits, setDigits] = useState('');
  const [month, setMonth] = useState('');
  const [year, setYear] = useState('');
  const [name, setName] = useState('');
  const [touched, setTouched] = useState<Record<string, boolean>>({});
  const [serverFields, setServerFields] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const input = { pan: digits, expMonth: Number(month), expYear: year.length === 2 ? 2000 + Number(year) : Number(year), holderName: name };
  const issues = Object.fromEntries(validateCard(input).map((i) => [i.path.replace('body.', ''), i.message]));
  const brand = cardBrand(digits);
  const show = (field: string) => (touched[field] ? (issues[field] ?? serverFields[field]) : undefined);
  const panComplete = digits.length > 0 && brandLengths(brand).includes(digits.length) && !issues.pan;

  async function submit(e: FormEvent) {
    e.preventDefault();
    setTouched({ pan: true, expMonth: true, expYear: true, holderName: true });
    if (Object.keys(issues).length) return;
    setBusy(true);
    setProblem(null);
    try {
      const card = await client.vault.save(input);
      setDigits('');
      onSaved(card);
    } catch (err) {
      if (err instanceof CallsightApiError && err.fields.length) setServerFields(Object.fromEntries(err.fields.map((f) => [f.path.replace('body.', ''), f.message])));
      else setProblem(err);
    } finally {
      setBusy(false);
    }
  }

  const field = (id: string) => ({ 'aria-invalid': show(id) ? true : undefined, 'aria-describedby': show(id) ? `${id}-error` : undefined, onBlur: () => setTouched((t) => ({ ...t, [id]: true })) });

  return (
    <form className="stack wallet-form" onSubmit={submit} noValidate data-testid="add-card-form" autoComplete="on">
      <h3>Add a card</h3>
      <label className="field">
        Card number
        <span className="pan-input">
          <input
            data-testid="add-card-pan"
            inputMode="numeric"
            autoComplete="cc-number"
            value={formatted(digits)}
            onChange={(e) => {
              setDigits(normalizePan(e.target.value).replace(/[^0-9]/g, '').slice(0, 19));
              setServerFields({});
            }}
            placeholder="1234 5678 9012 3456"
            {...field('pan')}
          />
          <BrandMark brand={brand} />
        </span>
        {show('pan') ? (
          <span className="field-error" id="pan-error" data-testid="add-card-pan-error">
            {show('pan')}
          </span>
        ) : panComplete ? (
          <span className="field-ok" data-testid="add-card-pan-ok">
            {BRAND_NAMES[brand]} number looks right
          </span>
        ) : null}
      </label>
      <div className="row wallet-expiry">
        <label className="field grow">
          Expiry month
          <input data-testid="add-card-month" inputMode="numeric" autoComplete="cc-exp-month" placeholder="MM" maxLength={2} value={month} onChange={(e) => setMonth(e.target.value.replace(/[^0-9]/g, ''))} {...field('expMonth')} />
        </label>
        <label className="field grow">
          Expiry year
          <input data-testid="add-card-year" inputMode="numeric" autoComplete="cc-exp-year" placeholder="YY" maxLength={4} value={year} onChange={(e) => setYear(e.target.value.replace(/[^0-9]/g, ''))} {...field('expYear')} />
        </label>
      </div>
      {(show('expMonth') || show('expYear')) && (
        <span className="field-error" id="expYear-error" data-testid="add-card-expiry-error">
          {show('expMonth') ?? show('expYear')}
        </span>
      )}
      <label className="field">
        Name on card
        <input data-testid="add-card-name" autoComplete="cc-name" value={name} onChange={(e) => setName(e.target.value)} {...field('holderName')} />
        {show('holderName') && (
          <span className="field-error" id="holderName-error">
            {show('holderName')}
          </span>
        )}
      </label>
      <p className="muted small">The number is encrypted as soon as it reaches us. We never store the security code; you give it only when a card is read into a call.</p>
      <ProblemBanner error={problem} />
      <div className="sheet-actions">
        <button type="button" className="btn" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className="btn btn-primary" disabled={busy} data-testid="add-card-save">
          {busy ? 'Saving…' : 'Save card'}
        </button>
      </div>
    </form>
  );
}
