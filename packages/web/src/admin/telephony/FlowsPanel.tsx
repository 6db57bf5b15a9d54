import { useState, type FormEvent } from 'react';
import { formatDateTime } from '../../shared/format';
import { ProblemBanner } from '../../shared/ProblemBanner';
import { useToast } from '../../shared/Toasts';
import type { Resource } from '../../shared/use-resource';
import { TableState } from '../Section';
import type { Flow, FlowVerb } from '@callsight/sdk';
import { client } from '../../shared/api';

const EXAMPLE = JSON.stringify([{ verb: 'say', text: 'Thanks for calling.' }, { verb: 'enqueue', queue: 'support' }], null, 2);

/** Flows: verb lists edited as JSON; the server's validation answers by field path (e.g. `verbs.0.text`). */
export function FlowsPanel({ flows }: { flows: Resource<{ items: Flow[] }> }) {
  const toast = useToast();
  const [editing, setEditing] = useState<Flow | null>(null);
  const items = flows.data?.items ?? [];

  async function remove(flow: Flow) {
    if (!window.confirm(`Delete the flow ${flow.name}?`)) return;
    try {
      await client.flows.remove(flow.id);
      toast.success(`Flow ${flow.name} deleted`);
      if (editing?.id === flow.id) setEditing(null);
      flows.reload();
    } catch (err) {
      toast.error(err);
    }
  }

  return (
    <div className="stack">
      <h2>Flows</h2>
      <FlowEditor
        key={editing?.id ?? 'new'}
        flow={editing}
        onSaved={(f) => {
          toast.success(`Flow ${f.name} saved`);
          setEditing(null);
          flows.reload();
        }}
        onCancel={() => setEditing(null)}
      />
      <ProblemBanner error={flows.error} />
      <TableState loading={flows.loading} error={flows.error} empty={items.length === 0} what="flows" />
      {items.length > 0 && (
        <div className="table-wrap">
          <table className="table table-cards" data-testid="flows-table">
            <thead><tr><th>Name</th><th>Verbs</th><th>Updated</th><th className="actions"><span className="visually-hidden">Actions</span></th></tr></thead>
            <tbody>
              {items.map((f) => (
                <tr key={f.id} data-testid="flow-row" data-name={f.name} aria-selected={editing?.id === f.id}>
                  <td data-card-title><strong>{f.name}</strong></td>
                  <td data-label="Verbs">{f.verbs.map((v, i) => <span key={i} className="pill">{(v as { verb?: string }).verb}</span>)}</td>
                  <td data-label="Updated">{formatDateTime(f.updatedAt)}</td>
                  <td className="actions">
                    <button type="button" className="btn btn-small" onClick={() => setEditing(f)} data-testid="flow-edit">Edit</button>
                    <button type="button" className="btn btn-danger btn-small" onClick={() => void remove(f)} data-testid="flow-delete">Delete</button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

/** Creates a flow, or replaces `flow`; invalid JSON is caught here, invalid verbs by the server. */
function FlowEditor({ flow, onSaved, onCancel }: { flow: Flow | null; onSaved: (f: Flow) => void; onCancel: () => void }) {
  const [name, setName] = useState(flow?.name ?? '');
  const [json, setJson] = useState(flow ? JSON.stringify(flow.verbs, null, 2) : EXAMPLE);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    let verbs: unknown;
    try {
      verbs = JSON.parse(json);
    } catch (err) {
      setError(new Error(`The verbs are not valid JSON: ${(err as Error).message}`));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      onSaved(flow ? await client.flows.update(flow.id, { name, verbs: verbs as FlowVerb[] }) : await client.flows.create({ name, verbs: verbs as FlowVerb[] }));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="card form-grid" onSubmit={submit} aria-label={flow ? `Edit flow ${flow.name}` : 'Create flow'} data-testid="flow-form">
      <h3 className="span-all">{flow ? `Edit ${flow.name}` : 'New flow'}</h3>
      <div className="span-all"><ProblemBanner error={error} /></div>
      <label className="field">
        <span>Name</span>
        <input value={name} onChange={(e) => setName(e.target.value)} required pattern="[a-z0-9][a-z0-9_\-]{0,63}" placeholder="main-menu" data-testid="flow-name" />
      </label>
      <label className="field span-all">
        <span>Verbs <small className="muted">(JSON: say, play, gather, dial, record, enqueue, hangup, redirect, webhook, pause, echo)</small></span>
        <textarea className="mono" rows={10} spellCheck={false} value={json} onChange={(e) => setJson(e.target.value)} data-testid="flow-verbs" />
      </label>
      <div className="form-actions">
        {flow && <button type="button" className="btn" onClick={onCancel}>Cancel</button>}
        <button className="btn btn-primary" type="submit" disabled={busy} data-testid="flow-submit">
          {busy ? 'Saving…' : flow ? 'Save flow' : 'Create flow'}
        </button>
      </div>
    </form>
  );
}
