import { BRAND_NAMES, type VaultAuditEntry, type VaultAuditPage, type VaultRefusalReason } from '@callsight/protocol';
import { useState } from 'react';
import { client } from '../../shared/api';
import { formatDateTime } from '../../shared/format';
import { ProblemBanner } from '../../shared/ProblemBanner';
import { useAction } from '../../shared/use-action';
import { useResource } from '../../shared/use-resource';
import { Section, TableState } from '../Section';

const ACTIONS: Record<VaultAuditEntry['action'], string> = {
  saved: 'Saved (tokenized)',
  removed: 'Removed',
  spoken: 'Read into the call',
  repeated: 'Last group repeated',
  keyed: 'Keyed on the keypad',
  rotated: 'Keys rotated',
  refused: 'Refused',
};

const ATTEMPTS: Record<NonNullable<VaultAuditEntry['refusal']>['attempt'], string> = {
  speak: 'Reading refused',
  repeat: 'Repeat refused',
};

/** Why it was refused, in words: nothing was read in any of these cases. */
const REASONS: Record<VaultRefusalReason, string> = {
  not_customer: 'Only the card’s owner can read it',
  unknown_card: 'No such card',
  not_their_card: 'Another customer’s card',
  other_tenant: 'A card of another organisation',
  card_removed: 'The card had been removed',
  not_on_call: 'Not a party to that call',
  no_active_call: 'No connected call',
  in_progress: 'A card was already being read',
  rate_limited: 'Too many readings in an hour',
  invalid_code: 'Security code not valid',
  not_agent: 'Only the agent on the call can ask',
  unknown_reading: 'No such reading',
  repeat_expired: 'Asked too long after the reading',
};

function who(e: VaultAuditEntry): string {
  if (e.actor) return e.actor.name;
  if (e.action === 'refused') return 'Someone in another organisation';
  return e.customer ? `${e.customer.name} or an admin` : '—';
}

function callText(e: VaultAuditEntry): string {
  if (!e.call) return '—';
  if (e.action === 'refused') return e.call.caller ? `Call with ${e.call.caller}` : '—';
  return `${e.call.caller ?? 'Unknown caller'} → ${e.call.agent ?? 'unknown agent'}`;
}

function outcome(e: VaultAuditEntry): string {
  if (e.rotation) return `Version ${e.rotation.version}, ${e.rotation.rewrapped} ${e.rotation.rewrapped === 1 ? 'card' : 'cards'} re-wrapped`;
  if (e.refusal) return REASONS[e.refusal.reason] ?? 'Refused';
  return outcomeText(e.outcome);
}

const outcomeText = (o: string | null) => (o ? o.replace(/-/g, ' ').replace(/^./, (c) => c.toUpperCase()) : '—');
const dayStart = (d: string) => (d ? new Date(`${d}T00:00:00`).getTime() : undefined);

/** Who used which saved card when, on which call: cards as brand and last 4, people by name. */
export function VaultAuditSection() {
  const [filter, setFilter] = useState({ from: '', to: '', userId: '' });
  const [cursors, setCursors] = useState<string[]>([]);
  const users = useResource(() => client.users.list());
  const keys = useResource(() => client.vault.keys().catch(() => null));
  const page = useResource<VaultAuditPage>(() =>
    client.vault.audit({ from: dayStart(filter.from), to: filter.to ? dayStart(filter.to)! + 86_400_000 : undefined, userId: filter.userId || undefined, limit: 25, cursor: cursors.at(-1) }),
  );
  const rotate = useAction(keys.reload);
  const items = page.data?.items ?? [];
  const apply = (next: Partial<typeof filter>) => {
    setFilter((f) => ({ ...f, ...next }));
    setCursors([]);
    setTimeout(page.reload);
  };
  const go = (next: string[]) => {
    setCursors(next);
    setTimeout(page.reload);
  };
  const k = keys.data;
  return (
    <Section id="vault" title="Card vault" description="Who used which saved card, when and on which call. Cards show as brand and last 4 only.">
      {k && (
        <div className="row" style={{ flexWrap: "wrap" }} data-testid="vault-keys">
          <span>Active key version <strong>{k.currentVersion}</strong></span>
          <span>Oldest version that still decrypts <strong>{k.minDecryptionVersion}</strong></span>
          <span>Last rotation <strong>{k.lastRotatedAt ? formatDateTime(k.lastRotatedAt) : 'never'}</strong></span>
          <button type="button" className="btn btn-small" disabled={rotate.busy} data-testid="vault-rotate" onClick={() => void rotate.run(async () => void (await client.vault.rotateKeys()))}>
            Rotate keys
          </button>
        </div>
      )}
      <ProblemBanner error={rotate.error} />
      <div className="row" style={{ flexWrap: "wrap" }} data-testid="vault-filters">
        <label>From <input type="date" value={filter.from} onChange={(e) => apply({ from: e.target.value })} data-testid="vault-from" /></label>
        <label>To <input type="date" value={filter.to} onChange={(e) => apply({ to: e.target.value })} data-testid="vault-to" /></label>
        <label>
          Person{' '}
          <select value={filter.userId} onChange={(e) => apply({ userId: e.target.value })} data-testid="vault-person">
            <option value="">Everyone</option>
            {(users.data?.items ?? []).map((u) => <option key={u.id} value={u.id}>{u.name}</option>)}
          </select>
        </label>
      </div>
      <ProblemBanner error={page.error} />
      <TableState loading={page.loading} error={page.error} empty={items.length === 0} what="vault activity" />
      {items.length > 0 && (
        <div className="table-wrap" tabIndex={0} role="region" aria-label="Vault activity">
          <table className="table table-cards" data-testid="vault-audit-table">
            <thead>
              <tr><th>When</th><th>What</th><th>Who</th><th>Card</th><th>Call</th><th>Outcome</th></tr>
            </thead>
            <tbody>
              {items.map((e) => (
                <tr key={e.id} data-testid="vault-audit-row">
                  <td data-label="When">{formatDateTime(e.at)}</td>
                  <td data-label="What">{e.refusal ? ATTEMPTS[e.refusal.attempt] : ACTIONS[e.action]}</td>
                  <td data-label="Who">{who(e)}</td>
                  <td data-label="Card">{e.card ? `${BRAND_NAMES[e.card.brand]} •••• ${e.card.last4}` : '—'}</td>
                  <td data-label="Call">{callText(e)}</td>
                  <td data-label="Outcome" data-refused={e.refusal ? 'true' : undefined}>{outcome(e)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <div className="row">
        <button type="button" className="btn btn-small" disabled={cursors.length === 0 || page.loading} onClick={() => go(cursors.slice(0, -1))} data-testid="vault-newer">Newer</button>
        <button type="button" className="btn btn-small" disabled={!page.data?.nextCursor || page.loading} onClick={() => go([...cursors, page.data!.nextCursor!])} data-testid="vault-older">Older</button>
      </div>
    </Section>
  );
}
