import type { SrtpPolicy } from '@callsight/sdk';

/** How each SDES-SRTP policy reads to an admin: what the peer's audio will be. */
export const SRTP_LABELS: Record<SrtpPolicy, string> = {
  optional: 'Encrypted when the phone asks',
  required: 'Always encrypted',
  off: 'Never encrypted',
};

/** Short form for tables. */
export const SRTP_SHORT: Record<SrtpPolicy, string> = { optional: 'when asked', required: 'always', off: 'never' };

/** The encrypted-audio (SRTP) choice of a SIP account or trunk form; the form field is `srtp`. */
export function SrtpPolicyField({ defaultValue = 'optional', testId, who }: { defaultValue?: SrtpPolicy; testId: string; who: 'phone' | 'carrier' }) {
  return (
    <label className="field">
      <span>Encrypted audio (SRTP) <small className="muted">({who === 'phone' ? 'a phone set to require it needs "Always"' : 'what the carrier supports'})</small></span>
      <select name="srtp" defaultValue={defaultValue} data-testid={testId}>
        {(Object.keys(SRTP_LABELS) as SrtpPolicy[]).map((p) => (
          <option key={p} value={p}>{who === 'carrier' ? SRTP_LABELS[p].replace('the phone', 'the carrier') : SRTP_LABELS[p]}</option>
        ))}
      </select>
    </label>
  );
}

/** The form's `srtp` value as a policy. */
export const srtpOf = (form: FormData): SrtpPolicy => (String(form.get('srtp') ?? 'optional') as SrtpPolicy);
