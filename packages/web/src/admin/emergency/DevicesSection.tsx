import type { CreateDeviceInput, Device, DeviceKind, User } from '@callsight/sdk';
import { useState } from 'react';
import { client } from '../../shared/api';
import { DEVICE_KIND_TEXT, formatCoordinates, psapText } from '../../shared/emergency-text';
import { formatDateTime, formatRelative } from '../../shared/format';
import { OnceSecret } from '../../shared/OnceSecret';
import { ProblemBanner } from '../../shared/ProblemBanner';
import { useToast } from '../../shared/Toasts';
import { useFormAction } from '../../shared/use-form-action';
import { useResource } from '../../shared/use-resource';
import { Section, TableState } from '../Section';
import { EmergenciesPanel } from './EmergenciesPanel';

/** Emergency devices: active emergencies on top (what needs eyes now), then the registry. */
export function DevicesSection() {
  const toast = useToast();
  const devices = useResource(() => client.devices.list());
  const users = useResource(() => client.users.list());
  const [secret, setSecret] = useState<{ label: string; key: string } | null>(null);
  const items = devices.data?.items ?? [];
  const people = users.data?.items ?? [];
  const ownerName = (id: string | null) => (id ? (people.find((u) => u.id === id)?.name ?? 'Unknown user') : '—');

  async function rotate(d: Device) {
    if (!window.confirm(`Issue a new key for "${d.name}"? The key it uses now stops working at once.`)) return;
    try {
      const { key } = await client.devices.rotateKey(d.id);
      setSecret({ label: `Device key for ${d.name}`, key });
      devices.reload();
    } catch (err) {
      toast.error(err);
    }
  }

  async function revoke(d: Device) {
    if (!window.confirm(`Revoke "${d.name}"? It can no longer send data or raise emergencies.`)) return;
    try {
      await client.devices.revoke(d.id);
      toast.success(`Revoked ${d.name}`);
      devices.reload();
    } catch (err) {
      toast.error(err);
    }
  }

  return (
    <Section id="devices" title="Devices" description="Cars, wearables, phones and alarms that call emergency services with their location when they detect a crash, a fall or an alarm.">
      <EmergenciesPanel onEvent={devices.reload} />
      {secret ? (
        <OnceSecret label={secret.label} value={secret.key} testId="device-key" onDone={() => setSecret(null)} />
      ) : (
        <RegisterDeviceForm
          users={people}
          onCreated={(d, key) => {
            setSecret({ label: `Device key for ${d.name}`, key });
            devices.reload();
          }}
        />
      )}
      <h2>Registered devices</h2>
      <ProblemBanner error={devices.error} />
      <TableState loading={devices.loading} error={devices.error} empty={items.length === 0} what="devices" />
      {items.length > 0 && (
        <div className="table-wrap">
          <table className="table table-cards" data-testid="devices-table">
            <thead>
              <tr><th>Device</th><th>Owner</th><th>Calls</th><th>Last data</th><th>Last position</th><th className="actions"><span className="visually-hidden">Actions</span></th></tr>
            </thead>
            <tbody>
              {items.map((d) => (
                <tr key={d.id} data-testid="device-row" data-name={d.name} className={d.revoked ? 'row-muted' : undefined}>
                  <td data-card-title>
                    <strong>{d.name}</strong>
                    <div className="muted small">{DEVICE_KIND_TEXT[d.kind]}</div>
                  </td>
                  <td data-label="Owner">{ownerName(d.ownerUserId)}</td>
                  <td data-label="Calls" className="small">{d.psaps.map((p) => <div key={p}>{psapText(p)}</div>)}</td>
                  <td data-label="Last data" className="nowrap" title={formatDateTime(d.lastSeenAt)}>
                    {d.lastSeenAt ? formatRelative(d.lastSeenAt) : 'Never'}
                    {d.battery != null && <div className={d.battery < 20 ? 'small text-bad' : 'muted small'}>Battery {d.battery} %</div>}
                  </td>
                  <td data-label="Last position" className="small">
                    {d.lastFix ? (
                      <>
                        {formatCoordinates(d.lastFix.lat, d.lastFix.lon)}
                        <div className="muted">within {Math.round(d.lastFix.accuracy)} m</div>
                      </>
                    ) : d.civicAddress ? (
                      <span className="muted">Fixed address</span>
                    ) : (
                      <span className="muted">—</span>
                    )}
                  </td>
                  <td className="actions">
                    {d.revoked ? (
                      <>
                        <span className="pill pill-muted">revoked</span>
                        <button type="button" className="btn btn-small" onClick={() => void rotate(d)}>Reactivate with a new key</button>
                      </>
                    ) : (
                      <>
                        <button type="button" className="btn btn-small" onClick={() => void rotate(d)} data-testid="device-rotate">New key</button>
                        <button type="button" className="btn btn-danger btn-small" onClick={() => void revoke(d)} data-testid="device-revoke">Revoke</button>
                      </>
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

const text = (form: FormData, name: string) => String(form.get(name) ?? '').trim();

function RegisterDeviceForm({ users, onCreated }: { users: User[]; onCreated: (d: Device, key: string) => void }) {
  const [kind, setKind] = useState<DeviceKind>('car');
  const { error, busy, submit } = useFormAction(async (form) => {
    const contactName = text(form, 'contactName');
    const contactPhone = text(form, 'contactPhone');
    const country = text(form, 'country').toUpperCase();
    const civic = { country, A3: text(form, 'city') || undefined, RD: text(form, 'street') || undefined, HNO: text(form, 'houseNumber') || undefined, PC: text(form, 'postcode') || undefined, FLR: text(form, 'floor') || undefined };
    const input: CreateDeviceInput = {
      name: text(form, 'name'),
      kind,
      ownerUserId: text(form, 'owner') || null,
      psaps: text(form, 'psaps').split(/[\s,]+/).filter(Boolean),
      contacts: contactName || contactPhone ? [{ name: contactName, phone: contactPhone }] : [],
      callbackNumber: text(form, 'callback') || null,
      civicAddress: country ? civic : null,
    };
    const created = await client.devices.create(input);
    onCreated(created.device, created.key);
  });

  return (
    <form className="card form-grid" onSubmit={submit} data-testid="device-form" aria-label="Register a device">
      <h2 className="span-all">Register a device</h2>
      <div className="span-all"><ProblemBanner error={error} /></div>
      <label className="field">
        <span>Name</span>
        <input name="name" required maxLength={100} placeholder="e.g. Casey's car" data-testid="device-name" />
      </label>
      <label className="field">
        <span>Kind</span>
        <select name="kind" value={kind} onChange={(e) => setKind(e.target.value as DeviceKind)} data-testid="device-kind">
          {(Object.keys(DEVICE_KIND_TEXT) as DeviceKind[]).map((k) => <option key={k} value={k}>{DEVICE_KIND_TEXT[k]}</option>)}
        </select>
      </label>
      <label className="field">
        <span>Owner</span>
        <select name="owner" defaultValue="" data-testid="device-owner">
          <option value="">Nobody (no countdown on a phone)</option>
          {users.map((u) => <option key={u.id} value={u.id}>{u.name}</option>)}
        </select>
      </label>
      <label className="field">
        <span>Calls (in order)</span>
        <input name="psaps" required defaultValue="urn:service:sos" placeholder="urn:service:sos, sip:psap@example.net or +15550199" data-testid="device-psaps" />
      </label>
      <label className="field">
        <span>Emergency contact</span>
        <input name="contactName" maxLength={100} placeholder="Name" autoComplete="off" />
      </label>
      <label className="field">
        <span>Contact's phone</span>
        <input name="contactPhone" inputMode="tel" placeholder="+15550123" autoComplete="off" />
      </label>
      <label className="field">
        <span>Callback number</span>
        <input name="callback" inputMode="tel" placeholder="The tenant's, unless set" />
      </label>
      <fieldset className="span-all fieldset">
        <legend>Fixed address {kind === 'alarm' ? '(where the alarm is)' : '(optional, for devices that do not move)'}</legend>
        <div className="form-grid">
          <label className="field"><span>Street</span><input name="street" maxLength={200} placeholder="Rue Cler" /></label>
          <label className="field"><span>Number</span><input name="houseNumber" maxLength={20} placeholder="12" /></label>
          <label className="field"><span>Floor</span><input name="floor" maxLength={20} /></label>
          <label className="field"><span>Postcode</span><input name="postcode" maxLength={20} /></label>
          <label className="field"><span>City</span><input name="city" maxLength={100} /></label>
          <label className="field"><span>Country code</span><input name="country" maxLength={2} placeholder="FR" pattern="[A-Za-z]{2}" title="Two letters, e.g. FR" /></label>
        </div>
      </fieldset>
      <div className="form-actions">
        <button className="btn btn-primary" type="submit" disabled={busy} data-testid="device-submit">{busy ? 'Registering…' : 'Register device'}</button>
      </div>
    </form>
  );
}
