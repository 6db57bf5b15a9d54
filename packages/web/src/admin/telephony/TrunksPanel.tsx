import { useState } from 'react';
import { Sheet } from '../../shared/Sheet';
import { formatDateTime } from '../../shared/format';
import { ProblemBanner } from '../../shared/ProblemBanner';
import { useFormAction } from '../../shared/use-form-action';
import { useToast } from '../../shared/Toasts';
import { useResource } from '../../shared/use-resource';
import { TableState } from '../Section';
import type { Trunk } from '@callsight/sdk';
import { client } from '../../shared/api';
import { SRTP_SHORT, SrtpPolicyField, srtpOf } from './SrtpPolicyField';
import { TrunkEditor } from './TrunkEditor';

/** SIP trunks: the carriers that calls to outside numbers go through. */
export function TrunksPanel() {
  const toast = useToast();
  const trunks = useResource(() => client.trunks.list());
  const items = trunks.data?.items ?? [];
  const [editing, setEditing] = useState<string | null>(null);
  const editingTrunk = items.find((t) => t.id === editing);

  async function remove(t: Trunk) {
    if (!window.confirm(`Remove the trunk ${t.name}?`)) return;
    try {
      await client.trunks.remove(t.id);
      toast.success(`Trunk ${t.name} removed`);
      trunks.reload();
    } catch (err) {
      toast.error(err);
    }
  }

  return (
    <div className="stack">
      <h2>Trunks</h2>
      <AddTrunkForm onAdded={trunks.reload} />
      <ProblemBanner error={trunks.error} />
      <TableState loading={trunks.loading} error={trunks.error} empty={items.length === 0} what="trunks" />
      {items.length > 0 && (
        <div className="table-wrap">
          <table className="table table-cards" data-testid="trunks-table">
            <thead><tr><th>Name</th><th>Proxy</th><th>Username</th><th>Registers</th><th>Encrypted audio</th><th>Created</th><th className="actions"><span className="visually-hidden">Actions</span></th></tr></thead>
            <tbody>
              {items.map((t) => (
                <tr key={t.id} data-testid="trunk-row" data-name={t.name}>
                  <td data-card-title><strong>{t.name}</strong></td>
                  <td data-label="Proxy" className="mono break">{t.address}</td>
                  <td data-label="Username">{t.username ?? '—'}</td>
                  <td data-label="Registers">{t.register ? 'yes' : 'no'}</td>
                  <td data-label="Encrypted audio" data-testid="trunk-srtp">{SRTP_SHORT[t.srtp]}</td>
                  <td data-label="Created">{formatDateTime(t.createdAt)}</td>
                  <td className="actions">
                    <span className="row">
                      <button type="button" className="btn btn-small" onClick={() => setEditing(t.id)} data-testid="trunk-edit" aria-label={`Edit ${t.name}`}>Edit</button>
                      <button type="button" className="btn btn-danger btn-small" onClick={() => void remove(t)} data-testid="trunk-delete">Remove</button>
                    </span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {editingTrunk && (
        <Sheet title={`Edit ${editingTrunk.name}`} onClose={() => setEditing(null)} testId="trunk-sheet">
          <TrunkEditor key={editingTrunk.id} trunk={editingTrunk} onChanged={trunks.reload} onClose={() => setEditing(null)} />
        </Sheet>
      )}
    </div>
  );
}

function AddTrunkForm({ onAdded }: { onAdded: () => void }) {
  const toast = useToast();
  const { error, busy, submit } = useFormAction(async (form) => {
    const optional = (name: string) => {
      const v = String(form.get(name) ?? '').trim();
      return v ? { [name]: v } : {};
    };
    const t = await client.trunks.create({
      name: String(form.get('name')).trim(),
      address: String(form.get('address')).trim(),
      ...optional('username'),
      ...optional('password'),
      register: form.get('register') === 'on',
      srtp: srtpOf(form),
    });
    toast.success(`Trunk ${t.name} added`);
    onAdded();
  });

  return (
    <form className="card form-grid" onSubmit={submit} aria-label="Add trunk" data-testid="trunk-form">
      <div className="span-all"><ProblemBanner error={error} /></div>
      <label className="field">
        <span>Name</span>
        <input name="name" required maxLength={100} placeholder="Carrier" data-testid="trunk-name" />
      </label>
      <label className="field">
        <span>Proxy URI</span>
        <input name="address" required placeholder="sip:sip.carrier.example:5060" data-testid="trunk-address" />
      </label>
      <label className="field">
        <span>Username <small className="muted">(optional)</small></span>
        <input name="username" autoComplete="off" data-testid="trunk-username" />
      </label>
      <label className="field">
        <span>Password <small className="muted">(optional)</small></span>
        <input name="password" type="password" autoComplete="new-password" data-testid="trunk-password" />
      </label>
      <SrtpPolicyField testId="trunk-srtp-policy" who="carrier" />
      <label className="row">
        <input name="register" type="checkbox" data-testid="trunk-register" /> Register to the carrier
      </label>
      <div className="form-actions">
        <button className="btn btn-primary" type="submit" disabled={busy} data-testid="trunk-submit">{busy ? 'Adding…' : 'Add trunk'}</button>
      </div>
    </form>
  );
}
