import type { User } from '@callsight/sdk';
import { useState } from 'react';
import { ProblemBanner } from '../../shared/ProblemBanner';
import { useFormAction } from '../../shared/use-form-action';
import { useToast } from '../../shared/Toasts';
import { useResource } from '../../shared/use-resource';
import { TableState } from '../Section';
import { CallRulesEditor } from './CallRulesEditor';
import type { Flow, NumberRoute, PhoneNumber } from '@callsight/sdk';
import { client } from '../../shared/api';

/** A route as one select value: `flow:<id>` or `user:<id>`. */
const routeValue = (n: Pick<PhoneNumber, 'flowId' | 'userId'>) => (n.flowId ? `flow:${n.flowId}` : n.userId ? `user:${n.userId}` : '');
function parseRoute(value: string): NumberRoute {
  const [kind, id] = value.split(':');
  return kind === 'flow' ? { flowId: id, userId: null } : { flowId: null, userId: id };
}

function RouteOptions({ flows, users }: { flows: Flow[]; users: User[] }) {
  return (
    <>
      <optgroup label="Flows">
        {flows.map((f) => <option key={f.id} value={`flow:${f.id}`}>{f.name}</option>)}
      </optgroup>
      <optgroup label="Users (rings their phones)">
        {users.map((u) => <option key={u.id} value={`user:${u.id}`}>{u.name} ({u.role})</option>)}
      </optgroup>
    </>
  );
}

/** Numbers (DIDs, extensions, SIP user names) and the flow or user each routes to. */
export function NumbersPanel({ flows, users }: { flows: Flow[]; users: User[] }) {
  const toast = useToast();
  const numbers = useResource(() => client.numbers.list());
  const items = numbers.data?.items ?? [];
  const [rulesOf, setRulesOf] = useState<string | null>(null);
  const editing = items.find((n) => n.id === rulesOf);

  async function change(n: PhoneNumber, value: string) {
    try {
      await client.numbers.route(n.id, parseRoute(value));
      toast.success(`${n.number} rerouted`);
      numbers.reload();
    } catch (err) {
      toast.error(err);
    }
  }

  async function remove(n: PhoneNumber) {
    if (!window.confirm(`Remove ${n.number}? Calls to it will be refused.`)) return;
    try {
      await client.numbers.remove(n.id);
      toast.success(`${n.number} removed`);
      numbers.reload();
    } catch (err) {
      toast.error(err);
    }
  }

  return (
    <div className="stack">
      <h2>Numbers</h2>
      <AddNumberForm flows={flows} users={users} onAdded={numbers.reload} />
      <ProblemBanner error={numbers.error} />
      <TableState loading={numbers.loading} error={numbers.error} empty={items.length === 0} what="numbers" />
      {items.length > 0 && (
        <div className="table-wrap">
          <table className="table table-cards" data-testid="numbers-table">
            <thead><tr><th>Number</th><th>Routes to</th><th className="actions"><span className="visually-hidden">Actions</span></th></tr></thead>
            <tbody>
              {items.map((n) => (
                <tr key={n.id} data-testid="number-row" data-number={n.number}>
                  <td data-card-title className="mono">{n.number}</td>
                  <td data-label="Routes to">
                    <select aria-label={`Route for ${n.number}`} value={routeValue(n)} onChange={(e) => void change(n, e.target.value)} data-testid="number-route">
                      {!routeValue(n) && <option value="">Nowhere</option>}
                      <RouteOptions flows={flows} users={users} />
                    </select>
                  </td>
                  <td className="actions">
                    <button type="button" className="btn btn-small" onClick={() => setRulesOf(n.id)} data-testid="number-rules">Call rules</button>
                    <button type="button" className="btn btn-danger btn-small" onClick={() => void remove(n)} data-testid="number-delete">Remove</button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {editing && <CallRulesEditor number={editing} onClose={() => setRulesOf(null)} />}
    </div>
  );
}

function AddNumberForm({ flows, users, onAdded }: { flows: Flow[]; users: User[]; onAdded: () => void }) {
  const toast = useToast();
  const { error, busy, submit } = useFormAction(async (form) => {
    const added = await client.numbers.create({ number: String(form.get('number')).trim(), ...parseRoute(String(form.get('route'))) });
    toast.success(`${added.number} added`);
    onAdded();
  });

  return (
    <form className="card form-grid" onSubmit={submit} aria-label="Add number" data-testid="number-form">
      <div className="span-all"><ProblemBanner error={error} /></div>
      <label className="field">
        <span>Number</span>
        <input name="number" required placeholder="+15550123, 200 or sales" data-testid="number-value" />
      </label>
      <label className="field">
        <span>Routes to</span>
        <select name="route" required defaultValue="" data-testid="number-target">
          <option value="" disabled>Choose a flow or a user…</option>
          <RouteOptions flows={flows} users={users} />
        </select>
      </label>
      <div className="form-actions">
        <button className="btn btn-primary" type="submit" disabled={busy} data-testid="number-submit">{busy ? 'Adding…' : 'Add number'}</button>
      </div>
    </form>
  );
}
