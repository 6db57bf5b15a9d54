import { useState, type FormEvent } from 'react';
import { formatDateTime } from '../../shared/format';
import { fieldLabel, ProblemBanner } from '../../shared/ProblemBanner';
import { useToast } from '../../shared/Toasts';
import { useAuth } from '../../shared/auth';
import { useResource, type Resource } from '../../shared/use-resource';
import { TableState } from '../Section';
import { CallsightApiError, type Flow, type FlowVerb, type User } from '@callsight/sdk';
import { client } from '../../shared/api';
import { StepList } from './flow-editor/StepList';
import { describeStep } from './flow-editor/verbs';

const EXAMPLE: FlowVerb[] = [{ verb: 'say', text: 'Thanks for calling.' }, { verb: 'enqueue', queue: 'support' }];

/** Flows: the steps a call runs, edited as steps or as code. */
export function FlowsPanel({ flows, users }: { flows: Resource<{ items: Flow[] }>; users: User[] }) {
  const toast = useToast();
  const [editing, setEditing] = useState<Flow | null>(null);
  const items = flows.data?.items ?? [];
  const queues = useResource(() => client.queues.list());

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
        flows={items.map((f) => f.name)}
        queues={(queues.data?.items ?? []).map((q) => q.name)}
        users={users}
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
            <thead><tr><th>Name</th><th>Steps</th><th>Updated</th><th className="actions"><span className="visually-hidden">Actions</span></th></tr></thead>
            <tbody>
              {items.map((f) => (
                <tr key={f.id} data-testid="flow-row" data-name={f.name} aria-selected={editing?.id === f.id}>
                  <td data-card-title><strong>{f.name}</strong></td>
                  <td data-label="Steps">{(f.verbs as FlowVerb[]).map((v, i) => <span key={i} className="pill" title={describeStep(v).summary}>{describeStep(v).label}</span>)}</td>
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

type View = 'steps' | 'code';

/**
 * Creates a flow, or replaces `flow`: as steps (the visual editor) or as code (the verbs'
 * JSON, for developers). Both edit the same verbs; invalid JSON is caught here, invalid
 * steps by the server, whose field paths (`verbs.1.text`) point the steps editor at the field.
 */
function FlowEditor({ flow, flows, queues, users, onSaved, onCancel }: { flow: Flow | null; flows: string[]; queues: string[]; users: User[]; onSaved: (f: Flow) => void; onCancel: () => void }) {
  const [name, setName] = useState(flow?.name ?? '');
  const [verbs, setVerbs] = useState<FlowVerb[]>(() => (flow?.verbs as FlowVerb[] | undefined) ?? EXAMPLE);
  const [view, setView] = useState<View>('steps');
  const [json, setJson] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  /** The verbs as the code view has them, or an error saying why they are not valid JSON. */
  function fromCode(): FlowVerb[] | Error {
    try {
      const parsed: unknown = JSON.parse(json);
      if (!Array.isArray(parsed) || !parsed.every((v) => typeof v === 'object' && v !== null && typeof (v as { verb?: unknown }).verb === 'string')) {
        return new Error('The code must be a list of steps, each with a "verb".');
      }
      return parsed as FlowVerb[];
    } catch (err) {
      return new Error(`The verbs are not valid JSON: ${(err as Error).message}`);
    }
  }

  /** The server's complaints name steps by position: once the steps change, they no longer point at the right ones. */
  function changeSteps(next: FlowVerb[]) {
    setVerbs(next);
    setError(null);
  }

  function switchTo(next: View) {
    if (next === view) return;
    if (next === 'code') setJson(JSON.stringify(verbs, null, 2));
    else {
      const parsed = fromCode();
      if (parsed instanceof Error) return setError(parsed);
      setVerbs(parsed);
    }
    setError(null);
    setView(next);
  }

  /** The verbs as the open view has them. */
  const current = () => (view === 'code' ? fromCode() : verbs);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const body = current();
    if (body instanceof Error) return setError(body);
    setBusy(true);
    setError(null);
    try {
      onSaved(flow ? await client.flows.update(flow.id, { name, verbs: body }) : await client.flows.create({ name, verbs: body }));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  const stepErrors = new Map((error instanceof CallsightApiError ? error.fields : []).map((f) => [fieldLabel(f.path), f.message]));
  const stepsOf = view === 'steps' && stepErrors.size > 0 && [...stepErrors.keys()].every((p) => p.startsWith('verbs.'));
  return (
    <form className="card form-grid" onSubmit={submit} aria-label={flow ? `Edit flow ${flow.name}` : 'Create flow'} data-testid="flow-form">
      <h3 className="span-all">{flow ? `Edit ${flow.name}` : 'New flow'}</h3>
      <div className="span-all">
        {stepsOf ? (
          <div className="banner banner-error" role="alert" data-testid="problem">
            <strong>{stepErrors.size === 1 ? 'One step needs a change' : `${stepErrors.size} fields need a change`}</strong> — marked below.
          </div>
        ) : (
          <ProblemBanner error={error} />
        )}
      </div>
      <label className="field">
        <span>Name</span>
        <input value={name} onChange={(e) => setName(e.target.value)} required pattern="[a-z0-9][a-z0-9_\-]{0,63}" placeholder="main-menu" data-testid="flow-name" />
      </label>
      <div className="field">
        <span id="flow-view-label">Edit as</span>
        <div className="row" role="radiogroup" aria-labelledby="flow-view-label">
          {(['steps', 'code'] as const).map((v) => (
            <button key={v} type="button" role="radio" aria-checked={view === v} className={`chip ${view === v ? 'chip-on' : ''}`} onClick={() => switchTo(v)} data-testid={`flow-view-${v}`}>
              {v === 'steps' ? 'Steps' : 'Code'}
            </button>
          ))}
        </div>
      </div>
      <div className="span-all">
        {view === 'steps' ? (
          <StepList steps={verbs} onChange={changeSteps} path="verbs" ctx={{ queues, flows: flows.filter((f) => f !== flow?.name), errors: stepErrors }} empty="No steps yet: a call to this flow would end at once." testId="flow-steps" />
        ) : (
          <label className="field">
            <span>Verbs <small className="muted">(JSON: say, play, gather, dial, record, enqueue, hangup, redirect, webhook, pause, echo)</small></span>
            <textarea className="mono" rows={12} spellCheck={false} value={json} onChange={(e) => setJson(e.target.value)} data-testid="flow-verbs" />
          </label>
        )}
      </div>
      <TestCall users={users} verbs={current} onRefused={setError} />
      <div className="form-actions">
        {flow && <button type="button" className="btn" onClick={onCancel}>Cancel</button>}
        <button className="btn btn-primary" type="submit" disabled={busy} data-testid="flow-submit">
          {busy ? 'Saving…' : flow ? 'Save flow' : 'Create flow'}
        </button>
      </div>
    </form>
  );
}

const OTHER = 'other';

/**
 * Rings someone with the steps as they are in the editor, saved or not, so a flow is
 * heard before a number is routed to it: a person's phone app or SIP phone, or any number.
 */
function TestCall({ users, verbs, onRefused }: { users: User[]; verbs: () => FlowVerb[] | Error; onRefused: (err: unknown) => void }) {
  const toast = useToast();
  const { user: me } = useAuth();
  const [who, setWho] = useState(me.id);
  const [other, setOther] = useState('');
  const [busy, setBusy] = useState(false);
  const person = users.find((u) => u.id === who);

  async function ring() {
    const body = verbs();
    if (body instanceof Error) return onRefused(body);
    const to = who === OTHER ? other.trim() : `user:${who}`;
    if (!to) return;
    setBusy(true);
    try {
      await client.calls.originate({ to, verbs: body });
      toast.success(`Ringing ${who === OTHER ? to : who === me.id ? 'you' : (person?.name ?? 'them')} with these steps`);
    } catch (err) {
      onRefused(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="span-all flow-test" data-testid="flow-test">
      <label className="field">
        <span>Test call <small className="muted">(rings with the steps above, saved or not)</small></span>
        <select value={who} onChange={(e) => setWho(e.target.value)} data-testid="flow-test-who">
          <option value={me.id}>Me ({me.name})</option>
          {users.filter((u) => u.id !== me.id && !u.disabled).map((u) => <option key={u.id} value={u.id}>{u.name}</option>)}
          <option value={OTHER}>A number or SIP address…</option>
        </select>
      </label>
      {who === OTHER && (
        <label className="field">
          <span>Number or SIP address</span>
          <input value={other} onChange={(e) => setOther(e.target.value)} placeholder="+15550123 or sip:desk@example.com" data-testid="flow-test-to" />
        </label>
      )}
      <button type="button" className="btn" disabled={busy || (who === OTHER && !other.trim())} onClick={() => void ring()} data-testid="flow-test-ring">
        {busy ? 'Ringing…' : 'Ring'}
      </button>
    </div>
  );
}
