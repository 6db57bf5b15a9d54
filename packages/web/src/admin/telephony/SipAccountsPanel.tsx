import type { User } from '@callsight/sdk';
import { Fragment, useState } from 'react';
import { formatDateTime } from '../../shared/format';
import { ProblemBanner } from '../../shared/ProblemBanner';
import { useFormAction } from '../../shared/use-form-action';
import { useToast } from '../../shared/Toasts';
import { useResource } from '../../shared/use-resource';
import { TableState } from '../Section';
import { SipAccountEditor } from './SipAccountEditor';
import { SipServerInfo } from './SipServerInfo';
import { client } from '../../shared/api';
import { SRTP_SHORT, SrtpPolicyField, srtpOf } from './SrtpPolicyField';

/** SIP accounts for desk phones and softphones, with where each is registered right now. */
export function SipAccountsPanel({ users, canEdit }: { users: User[]; canEdit: boolean }) {
  const accounts = useResource(() => client.sipAccounts.list());
  const items = accounts.data?.items ?? [];
  const names = new Map(users.map((u) => [u.id, u.name]));
  const [editing, setEditing] = useState<string | null>(null);

  return (
    <div className="stack">
      <div className="row">
        <h2 className="grow">SIP accounts</h2>
        <button type="button" className="btn btn-small" onClick={accounts.reload} disabled={accounts.loading}>Refresh</button>
      </div>
      <SipServerInfo />
      {canEdit && <CreateAccountForm users={users} onCreated={accounts.reload} />}
      <ProblemBanner error={accounts.error} />
      <TableState loading={accounts.loading} error={accounts.error} empty={items.length === 0} what="SIP accounts" />
      {items.length > 0 && (
        <div className="table-wrap">
          <table className="table table-cards" data-testid="sip-accounts-table">
            <thead><tr><th>Username</th><th>User</th><th>Registered contacts</th><th>Encrypted audio</th><th>Created</th>{canEdit && <th><span className="sr-only">Actions</span></th>}</tr></thead>
            <tbody>
              {items.map((a) => (
                <Fragment key={a.id}>
                <tr data-testid="sip-account-row" data-username={a.username}>
                  <td data-card-title className="mono">{a.username}</td>
                  <td data-label="User">{a.userId ? names.get(a.userId) ?? 'Another user' : '—'}</td>
                  <td data-label="Registered contacts" data-testid="sip-account-contacts">
                    {a.registered.length ? a.registered.map((c) => <div key={c} className="mono small break">{c}</div>) : <span className="muted">not registered</span>}
                  </td>
                  <td data-label="Encrypted audio" data-testid="sip-account-srtp">{SRTP_SHORT[a.srtp]}</td>
                  <td data-label="Created">{formatDateTime(a.createdAt)}</td>
                  {canEdit && (
                    <td className="actions">
                      <button type="button" className="btn btn-small" aria-expanded={editing === a.id} onClick={() => setEditing(editing === a.id ? null : a.id)} data-testid="sip-account-edit">
                        {editing === a.id ? 'Close' : 'Manage'}
                      </button>
                    </td>
                  )}
                </tr>
                {editing === a.id && (
                  <tr className="editor-row">
                    <td colSpan={6}>
                      <SipAccountEditor account={a} users={users} onChanged={accounts.reload} onClose={() => setEditing(null)} />
                    </td>
                  </tr>
                )}
                </Fragment>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

function CreateAccountForm({ users, onCreated }: { users: User[]; onCreated: () => void }) {
  const toast = useToast();
  const { error, busy, submit } = useFormAction(async (form) => {
    const userId = String(form.get('userId') ?? '');
    const created = await client.sipAccounts.create({ username: String(form.get('username')).trim(), password: String(form.get('password')), srtp: srtpOf(form), ...(userId ? { userId } : {}) });
    toast.success(`SIP account ${created.username} created`);
    onCreated();
  });

  return (
    <form className="card form-grid" onSubmit={submit} aria-label="Create SIP account" data-testid="sip-account-form">
      <div className="span-all"><ProblemBanner error={error} /></div>
      <label className="field">
        <span>Username</span>
        <input name="username" required placeholder="desk-204" autoComplete="off" data-testid="sip-account-username" />
      </label>
      <label className="field">
        <span>Password <small className="muted">(8+ characters)</small></span>
        <input name="password" type="password" required minLength={8} autoComplete="new-password" data-testid="sip-account-password" />
      </label>
      <label className="field">
        <span>User <small className="muted">(optional: rings when the user is called)</small></span>
        <select name="userId" defaultValue="" data-testid="sip-account-user">
          <option value="">Nobody</option>
          {users.map((u) => <option key={u.id} value={u.id}>{u.name} ({u.email})</option>)}
        </select>
      </label>
      <SrtpPolicyField testId="sip-account-srtp-policy" who="phone" />
      <div className="form-actions">
        <button className="btn btn-primary" type="submit" disabled={busy} data-testid="sip-account-submit">{busy ? 'Creating…' : 'Create account'}</button>
      </div>
    </form>
  );
}
