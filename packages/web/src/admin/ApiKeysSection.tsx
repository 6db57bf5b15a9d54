import type { ApiKey, CreatedApiKey, Role } from '@callsight/sdk';
import { useState } from 'react';
import { client } from '../shared/api';
import { formatDateTime } from '../shared/format';
import { OnceSecret } from '../shared/OnceSecret';
import { ProblemBanner } from '../shared/ProblemBanner';
import { ROLES } from '../shared/roles';
import { useToast } from '../shared/Toasts';
import { useFormAction } from '../shared/use-form-action';
import { useResource } from '../shared/use-resource';
import { Section, TableState } from './Section';

export function ApiKeysSection() {
  const toast = useToast();
  const keys = useResource(() => client.apiKeys.list());
  const [created, setCreated] = useState<CreatedApiKey | null>(null);
  const items = keys.data?.items ?? [];

  async function revoke(key: ApiKey) {
    if (!window.confirm(`Revoke "${key.name}"? Programs using it stop working immediately.`)) return;
    try {
      await client.apiKeys.revoke(key.id);
      toast.success(`Revoked ${key.name}`);
      keys.reload();
    } catch (err) {
      toast.error(err);
    }
  }

  return (
    <Section id="api-keys" title="API keys" description="Let your servers call the REST and WebSocket API with Authorization: Bearer csk_…">
      {created ? (
        <OnceSecret label="API key" value={created.key} testId="new-api-key" onDone={() => setCreated(null)} />
      ) : (
        <CreateKeyForm
          onCreated={(k) => {
            setCreated(k);
            keys.reload();
          }}
        />
      )}
      <ProblemBanner error={keys.error} />
      <TableState loading={keys.loading} error={keys.error} empty={items.length === 0} what="API keys" />
      {items.length > 0 && (
        <div className="table-wrap">
          <table className="table table-cards" data-testid="api-keys-table">
            <thead>
              <tr><th>Name</th><th>Role</th><th>Key</th><th>Created</th><th>Last used</th><th><span className="visually-hidden">Actions</span></th></tr>
            </thead>
            <tbody>
              {items.map((k) => (
                <tr key={k.id} data-testid="api-key-row" data-name={k.name} className={k.revoked ? 'row-muted' : undefined}>
                  <td data-card-title>{k.name}</td>
                  <td data-label="Role"><span className={`role role-${k.role}`}>{k.role}</span></td>
                  <td data-label="Key" className="mono">{k.prefix}…</td>
                  <td data-label="Created">{formatDateTime(k.createdAt)}</td>
                  <td data-label="Last used">{formatDateTime(k.lastUsedAt)}</td>
                  <td className="actions">
                    {k.revoked ? (
                      <span className="pill pill-muted">revoked</span>
                    ) : (
                      <button type="button" className="btn btn-danger btn-small" onClick={() => void revoke(k)}>Revoke</button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Section>
  );
}

function CreateKeyForm({ onCreated }: { onCreated: (key: CreatedApiKey) => void }) {
  const { error, busy, submit } = useFormAction(async (form) => {
    onCreated(await client.apiKeys.create({ name: String(form.get('name')), role: String(form.get('role')) as Role }));
  });

  return (
    <form className="card form-grid" onSubmit={submit} data-testid="api-key-form" aria-label="Create API key">
      <h2 className="span-all">Create an API key</h2>
      <div className="span-all"><ProblemBanner error={error} /></div>
      <label className="field">
        <span>Name</span>
        <input name="name" required maxLength={200} placeholder="e.g. CRM integration" data-testid="api-key-name" />
      </label>
      <label className="field">
        <span>Role</span>
        <select name="role" defaultValue="admin" data-testid="api-key-role">
          {ROLES.map((r) => <option key={r} value={r}>{r}</option>)}
        </select>
      </label>
      <div className="form-actions">
        <button className="btn btn-primary" type="submit" disabled={busy} data-testid="api-key-submit">
          {busy ? 'Creating…' : 'Create key'}
        </button>
      </div>
    </form>
  );
}
