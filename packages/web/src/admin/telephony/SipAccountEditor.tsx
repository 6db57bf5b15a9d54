import type { User } from '@callsight/sdk';
import { useState, type FormEvent } from 'react';
import { ProblemBanner } from '../../shared/ProblemBanner';
import { useAction } from '../../shared/use-action';
import { useToast } from '../../shared/Toasts';
import type { SipAccount } from '@callsight/sdk';
import { client } from '../../shared/api';
import { SrtpPolicyField, srtpOf } from './SrtpPolicyField';

/** A SIP account's management: who it rings, a new password, or removing it (its phones are unregistered at once). */
export function SipAccountEditor({ account, users, onChanged, onClose }: { account: SipAccount; users: User[]; onChanged: () => void; onClose: () => void }) {
  const toast = useToast();
  const { error, busy, run } = useAction(onChanged);
  const [confirmDelete, setConfirmDelete] = useState(false);

  const save = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const password = String(form.get('password') ?? '');
    const userId = String(form.get('userId') ?? '') || null;
    void run(async () => {
      await client.sipAccounts.update(account.id, { userId, srtp: srtpOf(form), ...(password ? { password } : {}) });
      toast.success(password ? `${account.username} saved with its new password` : `${account.username} saved`);
      onClose();
    });
  };

  const remove = () =>
    void run(async () => {
      await client.sipAccounts.remove(account.id);
      toast.success(`SIP account ${account.username} removed`);
      onClose();
    });

  return (
    <div className="stack" data-testid="sip-account-editor">
      <ProblemBanner error={error} />
      <form className="form-grid" onSubmit={save} aria-label={`Edit SIP account ${account.username}`}>
        <label className="field">
          <span>Rings user</span>
          <select name="userId" defaultValue={account.userId ?? ''} data-testid="sip-edit-user">
            <option value="">Nobody</option>
            {users.map((u) => <option key={u.id} value={u.id}>{u.name} ({u.email})</option>)}
          </select>
        </label>
        <SrtpPolicyField defaultValue={account.srtp} testId="sip-edit-srtp" who="phone" />
        <label className="field">
          <span>New password <small className="muted">(leave empty to keep it)</small></span>
          <input name="password" type="password" minLength={8} autoComplete="new-password" data-testid="sip-edit-password" />
        </label>
        <div className="form-actions row wrap">
          <button type="submit" className="btn btn-primary" disabled={busy} data-testid="sip-edit-save">Save</button>
          <button type="button" className="btn" onClick={onClose} disabled={busy}>Cancel</button>
          <span className="grow" />
          {confirmDelete ? (
            <>
              <span className="small">Remove {account.username}? Its phones stop ringing.</span>
              <button type="button" className="btn btn-danger" onClick={remove} disabled={busy} data-testid="sip-edit-delete-confirm">Remove</button>
              <button type="button" className="btn" onClick={() => setConfirmDelete(false)} disabled={busy}>Keep</button>
            </>
          ) : (
            <button type="button" className="btn btn-danger" onClick={() => setConfirmDelete(true)} disabled={busy} data-testid="sip-edit-delete">Remove account</button>
          )}
        </div>
      </form>
    </div>
  );
}
