import type { Attestation, BrandingPolicy } from '@callsight/sdk';
import { useEffect, useState } from 'react';
import { client } from '../../shared/api';
import { ProblemBanner } from '../../shared/ProblemBanner';
import { useToast } from '../../shared/Toasts';
import { useResource } from '../../shared/use-resource';

const LEVELS: { level: Attestation; label: string; hint: string }[] = [
  { level: 'A', label: 'Full attestation (A)', hint: 'the carrier knows the caller and that they may use the number' },
  { level: 'B', label: 'Partial attestation (B)', hint: 'the carrier knows the caller, not their right to the number' },
  { level: 'C', label: 'Gateway attestation (C)', hint: 'the carrier only knows where the call entered its network' },
];

/**
 * The tenant's branded-calling policy: which STIR/SHAKEN attestations let a verified
 * brand reach the callee, and whether an unverified caller's carrier name is shown (marked).
 */
export function VerificationPolicyCard() {
  const toast = useToast();
  const policy = useResource(() => client.branding.policy());
  const [draft, setDraft] = useState<BrandingPolicy | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (policy.data) setDraft(policy.data);
  }, [policy.data]);

  async function save() {
    if (!draft) return;
    setBusy(true);
    setError(null);
    try {
      setDraft(await client.branding.setPolicy(draft));
      policy.reload();
      toast.success('Verification policy saved');
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  const toggle = (level: Attestation, on: boolean) =>
    draft && setDraft({ ...draft, brandAttestations: on ? [...draft.brandAttestations, level] : draft.brandAttestations.filter((l) => l !== level) });
  const changed = draft && policy.data && JSON.stringify([...draft.brandAttestations].sort()) + draft.unverifiedNames !== JSON.stringify([...policy.data.brandAttestations].sort()) + policy.data.unverifiedNames;

  return (
    <section className="card" aria-labelledby="verification-policy-title" data-testid="verification-policy">
      <h2 id="verification-policy-title">Verification policy</h2>
      <p className="muted">Incoming calls are checked with STIR/SHAKEN. Choose which calls may show a caller's verified brand on your people's phones.</p>
      <ProblemBanner error={policy.error ?? error} />
      {draft && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void save();
          }}
        >
          <fieldset>
            <legend>Show the brand on calls with</legend>
            {LEVELS.map(({ level, label, hint }) => (
              <label key={level} className="row">
                <input type="checkbox" checked={draft.brandAttestations.includes(level)} onChange={(e) => toggle(level, e.target.checked)} data-testid={`policy-attest-${level}`} />
                <span>
                  {label} <small className="muted">— {hint}</small>
                </span>
              </label>
            ))}
          </fieldset>
          <label className="row" style={{ marginBottom: '0.75rem' }}>
            <input type="checkbox" checked={draft.unverifiedNames} onChange={(e) => setDraft({ ...draft, unverifiedNames: e.target.checked })} data-testid="policy-unverified-names" />
            <span>
              Show the caller's name from the carrier when nothing verified it, marked “Unverified”
            </span>
          </label>
          {draft.brandAttestations.length === 0 && <p className="muted" role="status">No call will show a brand.</p>}
          <div className="form-actions">
            <button className="btn btn-primary" type="submit" disabled={busy || !changed} data-testid="policy-save">
              {busy ? 'Saving…' : 'Save policy'}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
