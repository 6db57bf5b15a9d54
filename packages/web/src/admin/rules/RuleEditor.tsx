import { describeCondition, describeRule, type BacktestResult, type CxAction, type FieldIssue, type Rule, type RuleStep } from '@callsight/sdk';
import { useEffect, useMemo, useState } from 'react';
import { client } from '../../shared/api';
import { ProblemBanner } from '../../shared/ProblemBanner';
import { useAction } from '../../shared/use-action';
import { ActionEditor } from './ActionEditor';
import { BacktestResults } from './BacktestResults';
import { ACTION_KINDS, EVENT_TYPES, emptyDraft, fieldOf, fromDefinition, newAction, stepLabels, toDefinition, TRIGGER_KINDS, type RuleDraft } from './rule-draft';

const VALIDATE_DELAY_MS = 350;

/** Issues by form field, re-checked by the server as the person types (the same checks as saving). */
function useLiveValidation(draft: RuleDraft): Map<string, FieldIssue> {
  const [issues, setIssues] = useState<Map<string, FieldIssue>>(new Map());
  const json = JSON.stringify(toDefinition(draft));
  useEffect(() => {
    let current = true;
    const t = setTimeout(() => {
      client.rules.validate(JSON.parse(json)).then(
        (r) => current && setIssues(new Map(r.fields.map((f) => [fieldOf(f.path), f]))),
        () => {},
      );
    }, VALIDATE_DELAY_MS);
    return () => {
      current = false;
      clearTimeout(t);
    };
  }, [json]);
  return issues;
}

function IssueText({ issue, id }: { issue: FieldIssue | undefined; id: string }) {
  if (!issue) return null;
  // zod's wording for an empty field is written for developers.
  const message = /at least 1 character|>=1 character|Required/i.test(issue.message) ? 'Required' : issue.message;
  return (
    <small className="field-error" id={id} role="alert">
      {message}
      {issue.position !== undefined && issue.position > 0 ? ` (at character ${issue.position + 1})` : ''}
    </small>
  );
}

function StepEditor({ label, step, index, issues, onChange, onRemove }: { label: string; step: RuleStep; index: number; issues: Map<string, FieldIssue>; onChange: (s: RuleStep) => void; onRemove?: () => void }) {
  const typeIssue = issues.get(`step.${index}.type`);
  const whenIssue = issues.get(`step.${index}.when`);
  const listId = `rule-event-types-${index}`;
  return (
    <fieldset className="rule-step" data-testid={`rule-step-${index}`}>
      <legend>{label}</legend>
      <label className="field">
        <span>Event</span>
        <input list={listId} value={step.type} onChange={(e) => onChange({ ...step, type: e.target.value })} placeholder="order.delayed" aria-invalid={!!typeIssue} data-testid="rule-step-type" />
        <datalist id={listId}>
          {EVENT_TYPES.map((t) => (
            <option key={t.type} value={t.type}>{t.label}</option>
          ))}
        </datalist>
        <IssueText issue={typeIssue} id={`${listId}-type-err`} />
      </label>
      <label className="field">
        <span>Only when <small className="muted">(optional condition)</small></span>
        <input
          className="mono"
          value={step.when ?? ''}
          onChange={(e) => onChange({ ...step, when: e.target.value })}
          placeholder='event.data.minutesLate > 30 && event.data.tier == "gold"'
          aria-invalid={!!whenIssue}
          spellCheck={false}
          data-testid="rule-step-when"
        />
        {whenIssue ? (
          <IssueText issue={whenIssue} id={`${listId}-when-err`} />
        ) : step.when?.trim() ? (
          <small className="field-ok" data-testid="rule-step-when-ok">✓ Reads as: {describeCondition(step.when)}</small>
        ) : (
          <small className="muted">Fields of the event are <code>event.data.…</code>; the customer has <code>customer.activeCalls</code>, <code>customer.activeChats</code>.</small>
        )}
      </label>
      {onRemove && (
        <button type="button" className="btn btn-small btn-ghost" onClick={onRemove}>Remove step</button>
      )}
    </fieldset>
  );
}

/** Creates a rule or saves a new version of one: trigger, state, limits, actions, a live preview and a backtest. */
export function RuleEditor({ rule, onClose, onSaved }: { rule: Rule | null; onClose: () => void; onSaved: (r: Rule) => void }) {
  const [draft, setDraft] = useState<RuleDraft>(() => (rule ? fromDefinition(rule.definition) : emptyDraft()));
  const issues = useLiveValidation(draft);
  const save = useAction();
  const test = useAction();
  const [days, setDays] = useState(1);
  const [backtest, setBacktest] = useState<BacktestResult | null>(null);
  const definition = useMemo(() => toDefinition(draft), [draft]);
  const set = (patch: Partial<RuleDraft>) => setDraft((d) => ({ ...d, ...patch }));
  const labels = stepLabels(draft);
  const windowed = draft.kind !== 'event';

  const submit = (then: 'keep' | 'active') =>
    save.run(async () => {
      let saved = rule ? await client.rules.update(rule.id, definition) : await client.rules.create(definition);
      if (then === 'active') saved = await client.rules.activate(saved.id, 'active', saved.version);
      else if (rule && rule.mode !== 'off') saved = await client.rules.activate(saved.id, rule.mode, saved.version);
      onSaved(saved);
    });

  return (
    <form className="card stack rule-editor" aria-label={rule ? `Edit rule ${rule.name}` : 'New rule'} onSubmit={(e) => e.preventDefault()} data-testid="rule-editor">
      <div className="row">
        <h2 className="grow">{rule ? `Edit “${rule.name}”` : 'New rule'}</h2>
        <button type="button" className="btn btn-small btn-ghost" onClick={onClose}>Cancel</button>
      </div>
      <ProblemBanner error={save.error} />
      <label className="field">
        <span>Name</span>
        <input value={draft.name} onChange={(e) => set({ name: e.target.value })} placeholder="Delayed order during a call" maxLength={120} data-testid="rule-name" aria-invalid={!!issues.get('name')} />
        <IssueText issue={issues.get('name')} id="rule-name-err" />
      </label>

      <fieldset className="rule-group">
        <legend>When</legend>
        <div className="rule-kinds" role="radiogroup" aria-label="Kind of trigger">
          {TRIGGER_KINDS.map((k) => (
            <label key={k.kind} className={draft.kind === k.kind ? 'rule-kind rule-kind-on' : 'rule-kind'}>
              <input type="radio" name="rule-kind" value={k.kind} checked={draft.kind === k.kind} onChange={() => set({ kind: k.kind })} data-testid={`rule-kind-${k.kind}`} />
              <strong>{k.label}</strong>
              <small className="muted">{k.hint}</small>
            </label>
          ))}
        </div>
        <div className="rule-steps">
          {labels.map((label, i) => (
            <StepEditor
              key={i}
              label={label}
              index={i}
              step={draft.steps[i] ?? { type: '' }}
              issues={issues}
              onChange={(s) => set({ steps: Object.assign([...draft.steps], { [i]: s }) })}
              onRemove={draft.kind === 'sequence' && draft.steps.length > 2 ? () => set({ steps: draft.steps.filter((_, j) => j !== i) }) : undefined}
            />
          ))}
        </div>
        <div className="form-grid">
          {draft.kind === 'sequence' && draft.steps.length < 5 && (
            <div className="span-all">
              <button type="button" className="btn btn-small" onClick={() => set({ steps: [...draft.steps, { type: '', when: '' }] })}>Add a step</button>
            </div>
          )}
          {draft.kind === 'count' && (
            <label className="field">
              <span>How many times</span>
              <input type="number" min={2} max={1000} value={draft.count} onChange={(e) => set({ count: Number(e.target.value) })} data-testid="rule-count" />
              <IssueText issue={issues.get('count')} id="rule-count-err" />
            </label>
          )}
          {windowed && (
            <label className="field">
              <span>Within (minutes)</span>
              <input type="number" min={0.1} step="any" value={Math.round((draft.withinSeconds / 60) * 100) / 100} onChange={(e) => set({ withinSeconds: Math.max(1, Math.round(Number(e.target.value) * 60)) })} data-testid="rule-within" />
              <IssueText issue={issues.get('within')} id="rule-within-err" />
            </label>
          )}
          {windowed && (
            <label className="field">
              <span>Events belong together when</span>
              <select value={draft.correlate} onChange={(e) => set({ correlate: e.target.value as RuleDraft['correlate'] })}>
                <option value="customer">they are from the same customer (any channel)</option>
                <option value="interaction">they are in the same contact</option>
              </select>
            </label>
          )}
          <label className="field">
            <span>Only while</span>
            <select value={draft.while} onChange={(e) => set({ while: e.target.value as RuleDraft['while'] })} data-testid="rule-while">
              <option value="">always</option>
              <option value="call_active">a call with the customer is live</option>
              <option value="chat_active">a chat with the customer is open</option>
              <option value="no_call_active">no call with the customer is live</option>
            </select>
          </label>
        </div>
      </fieldset>

      <fieldset className="rule-group">
        <legend>Then, on the customer’s live contact</legend>
        {draft.actions.map((a, i) => (
          <ActionEditor
            key={i}
            index={i}
            action={a}
            issue={issues.get(`action.${i}`)}
            onChange={(next: CxAction) => set({ actions: Object.assign([...draft.actions], { [i]: next }) })}
            onRemove={draft.actions.length > 1 ? () => set({ actions: draft.actions.filter((_, j) => j !== i) }) : undefined}
          />
        ))}
        <IssueText issue={issues.get('actions')} id="rule-actions-err" />
        {draft.actions.length < 5 && (
          <label className="field rule-add-action">
            <span className="visually-hidden">Add an action</span>
            <select value="" onChange={(e) => e.target.value && set({ actions: [...draft.actions, newAction(e.target.value as CxAction['kind'])] })}>
              <option value="">Add another action…</option>
              {ACTION_KINDS.map((k) => (
                <option key={k.kind} value={k.kind}>{k.label}</option>
              ))}
            </select>
          </label>
        )}
      </fieldset>

      <details className="rule-group">
        <summary>Limits and priority</summary>
        <div className="form-grid">
          <label className="field checkbox">
            <input type="checkbox" checked={draft.oncePerInteraction} onChange={(e) => set({ oncePerInteraction: e.target.checked })} data-testid="rule-once" />
            <span>At most once per contact</span>
          </label>
          <label className="field">
            <span>Priority <small className="muted">(higher acts first)</small></span>
            <input type="number" min={0} max={1000} value={draft.priority} onChange={(e) => set({ priority: Number(e.target.value) })} />
          </label>
        </div>
      </details>

      <div className="rule-preview" aria-live="polite" data-testid="rule-preview">
        <span className="eyebrow">In plain words</span>
        <p>{describeRule(definition)}</p>
        {issues.size > 0 ? (
          <p className="field-error" data-testid="rule-invalid">{issues.size === 1 ? 'One thing to fix before saving.' : `${issues.size} things to fix before saving.`}</p>
        ) : (
          <p className="field-ok" data-testid="rule-valid">✓ Ready to save</p>
        )}
      </div>

      <div className="rule-test">
        <div className="row">
          <label className="field">
            <span>Test against the last</span>
            <select value={days} onChange={(e) => setDays(Number(e.target.value))} data-testid="rule-test-days">
              <option value={0.0417}>hour</option>
              <option value={1}>day</option>
              <option value={7}>7 days</option>
              <option value={30}>30 days</option>
            </select>
          </label>
          <button type="button" className="btn" disabled={test.busy || issues.size > 0} onClick={() => void test.run(async () => setBacktest(await client.rules.backtest(definition, { days })))} data-testid="rule-test">
            {test.busy ? 'Testing…' : 'Test against recent events'}
          </button>
        </div>
        <ProblemBanner error={test.error} />
        {backtest && <BacktestResults result={backtest} />}
      </div>

      <div className="form-actions">
        <button type="button" className="btn" disabled={save.busy || issues.size > 0} onClick={() => void submit('keep')} data-testid="rule-save">
          {rule ? (rule.mode === 'off' ? 'Save' : 'Save and run this version') : 'Save (off)'}
        </button>
        <button type="button" className="btn btn-primary" disabled={save.busy || issues.size > 0} onClick={() => void submit('active')} data-testid="rule-save-on">
          {save.busy ? 'Saving…' : 'Save and turn on'}
        </button>
      </div>
    </form>
  );
}
