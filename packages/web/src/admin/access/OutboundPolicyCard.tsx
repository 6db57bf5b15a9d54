import type { User } from '@callsight/sdk';
import { useEffect, useState } from 'react';
import { client } from '../../shared/api';
import { ProblemBanner } from '../../shared/ProblemBanner';
import { useAction } from '../../shared/use-action';
import { useToast } from '../../shared/Toasts';
import { useResource } from '../../shared/use-resource';
import type { OutboundPolicy, Reach, Role as PolicyRole } from '@callsight/sdk';

const REACH: { value: Reach; label: string }[] = [
  { value: 'none', label: 'No calls' },
  { value: 'internal', label: 'Only inside the organisation' },
  { value: 'external', label: 'Also outside numbers' },
];

const ROLES: { role: PolicyRole; label: string }[] = [
  { role: 'customer', label: 'Customers' },
  { role: 'agent', label: 'Agents' },
  { role: 'supervisor', label: 'Supervisors' },
  { role: 'admin', label: 'Admins' },
];

const list = (text: string) => text.split(/[\s,]+/).map((p) => p.replace(/^\+/, '')).filter(Boolean);

function ReachSelect({ value, onChange, label, testId }: { value: Reach; onChange: (r: Reach) => void; label: string; testId: string }) {
  return (
    <label className="field">
      <span>{label}</span>
      <select value={value} onChange={(e) => onChange(e.target.value as Reach)} data-testid={testId}>
        {REACH.map((r) => (
          <option key={r.value} value={r.value}>{r.label}</option>
        ))}
      </select>
    </label>
  );
}

/**
 * The tenant's outbound-calling policy: what each role (and, as exceptions, each
 * person) may call, where outside calls may go, and how many calls one person may place.
 */
export function OutboundPolicyCard() {
  const toast = useToast();
  const policy = useResource(() => client.access.outboundPolicy());
  const users = useResource(() => client.users.list());
  const [draft, setDraft] = useState<OutboundPolicy | null>(null);
  const [prefixes, setPrefixes] = useState({ allowed: '', premium: '' });
  const { error, busy, onSubmit } = useAction();
  const [pick, setPick] = useState('');
  useEffect(() => {
    if (!policy.data) return;
    setDraft(policy.data);
    setPrefixes({ allowed: policy.data.allowedPrefixes.map((p) => `+${p}`).join(', '), premium: policy.data.premiumPrefixes.map((p) => `+${p}`).join(', ') });
  }, [policy.data]);

  const people = users.data?.items ?? [];
  const name = (id: string) => people.find((u) => u.id === id)?.name ?? 'A removed user';

  const save = async () => {
    if (!draft) return;
    // Said in words here: the server's refusal would name a list index.
    const bad = [...list(prefixes.allowed), ...list(prefixes.premium)].find((p) => !/^[0-9]{1,15}$/.test(p));
    if (bad) throw new Error(`“${bad}” is not a number prefix: use digits with an optional +, like +44.`);
    if (!/^[0-9]{1,3}$/.test(draft.homeCountryCode)) throw new Error('The home country code is one to three digits, like 1 or 44.');
    const saved = await client.access.saveOutboundPolicy({ ...draft, allowedPrefixes: list(prefixes.allowed), premiumPrefixes: list(prefixes.premium) });
    setDraft(saved);
    policy.reload();
    toast.success('Calling policy saved');
  };

  if (!draft) return <ProblemBanner error={policy.error} />;
  const set = (patch: Partial<OutboundPolicy>) => setDraft({ ...draft, ...patch });
  const exceptions = Object.entries(draft.users);
  const candidates = people.filter((u: User) => !(u.id in draft.users));

  return (
    <section className="card stack" aria-labelledby="outbound-policy-title" data-testid="outbound-policy">
      <h2 id="outbound-policy-title">Outbound calling</h2>
      <p className="muted">Every call the server places — from the apps, the API, call flows, transfers and callbacks — is checked against these rules. “Inside the organisation” means your own numbers, people and agents. Refused calls show up as events.</p>
      <ProblemBanner error={policy.error ?? error} />
      <form className="stack" onSubmit={onSubmit(save)}>
        <fieldset>
          <legend>Who may call what</legend>
          <div className="form-grid">
            {ROLES.map(({ role, label }) => (
              <ReachSelect key={role} label={label} value={draft.roles[role]} onChange={(r) => set({ roles: { ...draft.roles, [role]: r } })} testId={`reach-${role}`} />
            ))}
            <ReachSelect label="Call flows and callbacks" value={draft.flows} onChange={(r) => set({ flows: r })} testId="reach-flows" />
          </div>
        </fieldset>

        <fieldset>
          <legend>Exceptions for individual people</legend>
          {exceptions.length === 0 && <p className="muted">Nobody has an exception: everyone follows their role.</p>}
          {exceptions.map(([userId, reach]) => (
            <div key={userId} className="row wrap" data-testid="reach-exception">
              <strong style={{ minWidth: '10rem' }}>{name(userId)}</strong>
              <ReachSelect label="May call" value={reach} onChange={(r) => set({ users: { ...draft.users, [userId]: r } })} testId="reach-exception-select" />
              <button
                type="button"
                className="btn btn-small"
                onClick={() => {
                  const { [userId]: _gone, ...rest } = draft.users;
                  set({ users: rest });
                }}
              >
                Remove
              </button>
            </div>
          ))}
          {candidates.length > 0 && (
            <div className="row wrap">
              <label className="field">
                <span>Add an exception for</span>
                <select value={pick} onChange={(e) => setPick(e.target.value)} data-testid="reach-exception-user">
                  <option value="">Choose a person…</option>
                  {candidates.map((u) => (
                    <option key={u.id} value={u.id}>{u.name} ({u.email})</option>
                  ))}
                </select>
              </label>
              <button
                type="button"
                className="btn btn-small"
                disabled={!pick}
                onClick={() => {
                  set({ users: { ...draft.users, [pick]: 'external' } });
                  setPick('');
                }}
                data-testid="reach-exception-add"
              >
                Add
              </button>
            </div>
          )}
        </fieldset>

        <fieldset>
          <legend>Where outside calls may go</legend>
          <label className="row">
            <input type="checkbox" checked={draft.blockPremium} onChange={(e) => set({ blockPremium: e.target.checked })} data-testid="block-premium" />
            <span>Block premium-rate numbers</span>
          </label>
          <label className="row">
            <input type="checkbox" checked={draft.blockInternational} onChange={(e) => set({ blockInternational: e.target.checked })} data-testid="block-international" />
            <span>Block international numbers (outside country code +{draft.homeCountryCode})</span>
          </label>
          <label className="row">
            <input type="checkbox" checked={draft.allowSipUris} onChange={(e) => set({ allowSipUris: e.target.checked })} data-testid="allow-sip-uris" />
            <span>Allow calls to outside SIP addresses</span>
          </label>
          <label className="row">
            <input type="checkbox" checked={draft.allowServiceCodes} onChange={(e) => set({ allowServiceCodes: e.target.checked })} data-testid="allow-service-codes" />
            <span>Allow carrier service codes (numbers with * or #)</span>
          </label>
          <div className="form-grid">
            <label className="field">
              <span>Home country code</span>
              <input value={draft.homeCountryCode} inputMode="numeric" maxLength={3} onChange={(e) => set({ homeCountryCode: e.target.value.replace(/\D/g, '') })} data-testid="home-country" />
            </label>
            <label className="field">
              <span>Only numbers starting with <small className="muted">(empty: any)</small></span>
              <input value={prefixes.allowed} placeholder="+1, +44" onChange={(e) => setPrefixes({ ...prefixes, allowed: e.target.value })} data-testid="allowed-prefixes" />
            </label>
            <label className="field span-all">
              <span>Premium-rate ranges</span>
              <textarea rows={2} value={prefixes.premium} onChange={(e) => setPrefixes({ ...prefixes, premium: e.target.value })} data-testid="premium-prefixes" />
            </label>
          </div>
        </fieldset>

        <fieldset>
          <legend>Limits per person</legend>
          <div className="form-grid">
            <label className="field">
              <span>Calls a minute <small className="muted">(0: no limit)</small></span>
              <input type="number" min={0} value={draft.limits.callsPerMinute} onChange={(e) => set({ limits: { ...draft.limits, callsPerMinute: Number(e.target.value) } })} data-testid="limit-rate" />
            </label>
            <label className="field">
              <span>Calls at once <small className="muted">(0: no limit)</small></span>
              <input type="number" min={0} value={draft.limits.concurrentCalls} onChange={(e) => set({ limits: { ...draft.limits, concurrentCalls: Number(e.target.value) } })} data-testid="limit-concurrent" />
            </label>
          </div>
        </fieldset>
        <div className="form-actions">
          <button className="btn btn-primary" type="submit" disabled={busy} data-testid="outbound-save">{busy ? 'Saving…' : 'Save calling policy'}</button>
        </div>
      </form>
    </section>
  );
}
