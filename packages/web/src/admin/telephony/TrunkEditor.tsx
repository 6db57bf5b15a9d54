import type { Trunk } from '@callsight/sdk';
import type { FormEvent } from 'react';
import { ProblemBanner } from '../../shared/ProblemBanner';
import { useAction } from '../../shared/use-action';
import { useToast } from '../../shared/Toasts';
import { client } from '../../shared/api';
import { SrtpPolicyField, srtpOf } from './SrtpPolicyField';

/**
 * A trunk's settings. The stored password is never sent back, so an empty
 * password field keeps it; an empty username clears both credentials.
 */
export function TrunkEditor({ trunk, onChanged, onClose }: { trunk: Trunk; onChanged: () => void; onClose: () => void }) {
  const toast = useToast();
  const { error, busy, run } = useAction(onChanged);

  const save = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const username = String(form.get('username') ?? '').trim();
    const password = String(form.get('password') ?? '');
    void run(async () => {
      const saved = await client.trunks.update(trunk.id, {
        name: String(form.get('name')).trim(),
        address: String(form.get('address')).trim(),
        ...(username ? { username } : { username: null, password: null }),
        ...(username && password ? { password } : {}),
        register: form.get('register') === 'on',
        srtp: srtpOf(form),
      });
      toast.success(`Trunk ${saved.name} saved`);
      onClose();
    });
  };

  return (
    <form className="form-grid" onSubmit={save} aria-label={`Edit trunk ${trunk.name}`} data-testid="trunk-editor">
      <div className="span-all"><ProblemBanner error={error} /></div>
      <label className="field">
        <span>Name</span>
        <input name="name" required maxLength={100} defaultValue={trunk.name} data-testid="trunk-edit-name" />
      </label>
      <label className="field">
        <span>Proxy URI</span>
        <input name="address" required defaultValue={trunk.address} data-testid="trunk-edit-address" />
      </label>
      <label className="field">
        <span>Username <small className="muted">(empty: no credentials)</small></span>
        <input name="username" autoComplete="off" defaultValue={trunk.username ?? ''} data-testid="trunk-edit-username" />
      </label>
      <label className="field">
        <span>New password <small className="muted">(leave empty to keep it)</small></span>
        <input name="password" type="password" autoComplete="new-password" data-testid="trunk-edit-password" />
      </label>
      <SrtpPolicyField defaultValue={trunk.srtp} testId="trunk-edit-srtp" who="carrier" />
      <label className="row">
        <input name="register" type="checkbox" defaultChecked={trunk.register} data-testid="trunk-edit-register" /> Register to the carrier
      </label>
      <div className="form-actions row wrap">
        <button type="submit" className="btn btn-primary" disabled={busy} data-testid="trunk-edit-save">{busy ? 'Saving…' : 'Save'}</button>
        <button type="button" className="btn" onClick={onClose} disabled={busy}>Cancel</button>
      </div>
    </form>
  );
}
