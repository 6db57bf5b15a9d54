import type { CreateUserInput, Role } from '@callsight/sdk';
import { useState } from 'react';
import { client } from '../shared/api';
import { useAuth } from '../shared/auth';
import { formatDateTime } from '../shared/format';
import { ProblemBanner } from '../shared/ProblemBanner';
import { Sheet } from '../shared/Sheet';
import { hasRole, ROLES } from '../shared/roles';
import { useToast } from '../shared/Toasts';
import { useFormAction } from '../shared/use-form-action';
import { useResource } from '../shared/use-resource';
import { Section, TableState } from './Section';
import { UserEditor } from './UserEditor';

export function UsersSection() {
  const { user } = useAuth();
  const users = useResource(() => client.users.list());
  const items = users.data?.items ?? [];
  const [editing, setEditing] = useState<string | null>(null);
  const isAdmin = hasRole(user.role, 'admin');
  const editingUser = items.find((u) => u.id === editing);

  return (
    <Section id="users" title="Users" description="People who sign in to the phone, agent, admin and rooms apps.">
      {hasRole(user.role, 'admin') && <CreateUserForm onCreated={users.reload} />}
      <ProblemBanner error={users.error} />
      <TableState loading={users.loading} error={users.error} empty={items.length === 0} what="users" />
      {items.length > 0 && (
        <div className="table-wrap">
          <table className="table table-cards" data-testid="users-table">
            <thead>
              <tr><th>Name</th><th>Email</th><th>Role</th><th>Phone number</th><th>Created</th><th>Status</th>{isAdmin && <th><span className="sr-only">Actions</span></th>}</tr>
            </thead>
            <tbody>
              {items.map((u) => (
                <tr key={u.id} data-testid="user-row" data-email={u.email}>
                  <td data-card-title>{u.name}</td>
                  <td data-label="Email">{u.email}</td>
                  <td data-label="Role"><span className={`role role-${u.role}`}>{u.role}</span></td>
                  <td data-label="Phone number" className="mono">{u.phoneNumber ?? '—'}</td>
                  <td data-label="Created">{formatDateTime(u.createdAt)}</td>
                  <td data-label="Status">{u.disabled ? <span className="pill pill-muted">disabled</span> : <span className="pill pill-ok">active</span>}</td>
                  {isAdmin && (
                    <td className="actions">
                      <button type="button" className="btn btn-small" aria-haspopup="dialog" aria-label={`Manage ${u.name}`} onClick={() => setEditing(u.id)} data-testid="user-edit">
                        Manage
                      </button>
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {isAdmin && editingUser && (
        <Sheet title={`Manage ${editingUser.name}`} onClose={() => setEditing(null)} testId="user-sheet">
          <UserEditor key={editingUser.id} user={editingUser} self={editingUser.id === user.id} onChanged={users.reload} onClose={() => setEditing(null)} />
        </Sheet>
      )}
    </Section>
  );
}

function CreateUserForm({ onCreated }: { onCreated: () => void }) {
  const toast = useToast();
  const { error, busy, submit } = useFormAction(async (form) => {
    const phoneNumber = String(form.get('phoneNumber') ?? '').trim();
    const input: CreateUserInput = {
      email: String(form.get('email')),
      name: String(form.get('name')),
      role: String(form.get('role')) as Role,
      password: String(form.get('password')),
      ...(phoneNumber ? { phoneNumber } : {}),
    };
    const created = await client.users.create(input);
    toast.success(`${created.name} can now sign in as ${created.role}`);
    onCreated();
  });

  return (
    <form className="card form-grid" onSubmit={submit} data-testid="user-form" aria-label="Create user">
      <h2 className="span-all">Add a user</h2>
      <div className="span-all"><ProblemBanner error={error} /></div>
      <label className="field">
        <span>Name</span>
        <input name="name" required maxLength={200} autoComplete="off" data-testid="user-name" />
      </label>
      <label className="field">
        <span>Email</span>
        <input name="email" type="email" required autoComplete="off" data-testid="user-email" />
      </label>
      <label className="field">
        <span>Role</span>
        <select name="role" defaultValue="agent" data-testid="user-role">
          {ROLES.map((r) => <option key={r} value={r}>{r}</option>)}
        </select>
      </label>
      <label className="field">
        <span>Initial password</span>
        <input name="password" type="password" required minLength={8} autoComplete="new-password" data-testid="user-password" />
      </label>
      <label className="field">
        <span>Phone number <small className="muted">(optional)</small></span>
        <input name="phoneNumber" inputMode="tel" placeholder="+15550123 or extension" data-testid="user-phone" />
      </label>
      <div className="form-actions">
        <button className="btn btn-primary" type="submit" disabled={busy} data-testid="user-submit">
          {busy ? 'Creating…' : 'Create user'}
        </button>
      </div>
    </form>
  );
}
