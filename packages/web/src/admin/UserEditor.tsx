import type { Role, User } from '@callsight/sdk';
import { useState, type FormEvent } from 'react';
import { client } from '../shared/api';
import { OnceSecret } from '../shared/OnceSecret';
import { ProblemBanner } from '../shared/ProblemBanner';
import { ROLES } from '../shared/roles';
import { useAction } from '../shared/use-action';
import { useToast } from '../shared/Toasts';

/** A password an admin hands over once: 16 characters from an alphabet without look-alikes. */
function newPassword(): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('');
}

/**
 * One user's management: name, role and phone number; disable or enable (a
 * disabled user is signed out everywhere); a one-time link for them to choose a
 * new password, or a new password shown once; remove (erased, history keeps "Former user"). Your own account cannot be
 * disabled, demoted or removed from here.
 */
export function UserEditor({ user, self, onChanged, onClose }: { user: User; self: boolean; onChanged: () => void; onClose: () => void }) {
  const toast = useToast();
  const { error, busy, run } = useAction(onChanged);
  const [password, setPassword] = useState<string | null>(null);
  const [resetLink, setResetLink] = useState<string | null>(null);

  const save = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const phone = String(form.get('phoneNumber') ?? '').trim();
    void run(async () => {
      const updated = await client.users.update(user.id, {
        name: String(form.get('name')).trim(),
        ...(self ? {} : { role: String(form.get('role')) as Role }),
        phoneNumber: phone || null,
      });
      toast.success(`${updated.name} saved`);
      onClose();
    });
  };

  const toggleDisabled = () =>
    void run(async () => {
      const updated = await client.users.update(user.id, { disabled: !user.disabled });
      toast.success(updated.disabled ? `${updated.name} is disabled and signed out` : `${updated.name} can sign in again`);
    });

  const resetPassword = () =>
    void run(async () => {
      const next = newPassword();
      await client.users.update(user.id, { password: next });
      setPassword(next);
      toast.success(`New password set for ${user.name}; their sessions were ended`);
    });

  const issueResetLink = () =>
    void run(async () => {
      setResetLink((await client.users.passwordResetLink(user.id)).url);
      toast.success(`Reset link ready for ${user.name}: it works once, for an hour`);
    });

  const remove = () => {
    if (!window.confirm(`Remove ${user.name}? Their name, email and phone are erased, their SIP phones stop working, and past calls will show "Former user".`)) return;
    void run(async () => {
      await client.users.remove(user.id);
      toast.success(`${user.name} was removed`);
      onClose();
    });
  };

  return (
    <div className="user-editor stack" data-testid="user-editor">
      <ProblemBanner error={error} />
      {password && <OnceSecret label="New password" value={password} onDone={() => setPassword(null)} testId="user-new-password" />}
      {resetLink && <OnceSecret label="Reset link" value={resetLink} onDone={() => setResetLink(null)} testId="user-reset-link" />}
      <form className="stack" onSubmit={save} aria-label={`Edit ${user.name}`}>
        <label className="field">
          <span>Name</span>
          <input name="name" required maxLength={200} defaultValue={user.name} data-testid="edit-user-name" />
        </label>
        <label className="field">
          <span>Role</span>
          <select name="role" defaultValue={user.role} disabled={self} data-testid="edit-user-role">
            {ROLES.map((r) => <option key={r} value={r}>{r}</option>)}
          </select>
        </label>
        <label className="field">
          <span>Phone number <small className="muted">(optional)</small></span>
          <input name="phoneNumber" inputMode="tel" defaultValue={user.phoneNumber ?? ''} data-testid="edit-user-phone" />
        </label>
        <div className="form-actions row wrap">
          <button type="submit" className="btn btn-primary" disabled={busy} data-testid="edit-user-save">Save</button>
          <button type="button" className="btn" onClick={onClose} disabled={busy}>Cancel</button>
          <span className="grow" />
          <button type="button" className="btn" onClick={issueResetLink} disabled={busy || user.disabled} data-testid="edit-user-reset-link">Reset link</button>
          <button type="button" className="btn" onClick={resetPassword} disabled={busy} data-testid="edit-user-reset">Reset password</button>
          {!self && (
            <button type="button" className={`btn ${user.disabled ? '' : 'btn-danger'}`} onClick={toggleDisabled} disabled={busy} data-testid="edit-user-disable">
              {user.disabled ? 'Enable' : 'Disable'}
            </button>
          )}
          {!self && (
            <button type="button" className="btn btn-danger" onClick={remove} disabled={busy} data-testid="edit-user-remove">
              Remove
            </button>
          )}
        </div>
      </form>
    </div>
  );
}
