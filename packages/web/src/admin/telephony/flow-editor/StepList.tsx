import type { FlowVerb } from '@callsight/sdk';
import { useState, type ReactNode } from 'react';
import './flow-editor.css';
import { describeStep, VERBS, verbSpec, type FieldSpec } from './verbs';

/** What the fields offer to pick from, and the server's complaints by path (`verbs.1.text`). */
export interface StepContext {
  queues: string[];
  flows: string[];
  errors: Map<string, string>;
}

/**
 * A step keeps its identity across edits (each edit makes a new object), so React keys,
 * and which cards are open, follow a step when it moves.
 */
const ids = new WeakMap<object, number>();
let nextId = 1;
function idOf(step: FlowVerb): number {
  let id = ids.get(step);
  if (id === undefined) ids.set(step, (id = nextId++));
  return id;
}
function replaced(old: FlowVerb, next: FlowVerb): FlowVerb {
  ids.set(next, idOf(old));
  return next;
}

const hasErrorsUnder = (errors: Map<string, string>, path: string) => [...errors.keys()].some((p) => p === path || p.startsWith(`${path}.`));

/** The server's complaints about the step itself or a part of it no field shows (an unknown key): said on the card. */
function cardErrors(errors: Map<string, string>, path: string, step: FlowVerb): string[] {
  const fields = new Set(verbSpec(step.verb)?.fields.map((f) => f.key) ?? []);
  const nested = new Set(['prompt', 'branches', 'noInput', 'labels']);
  const out: string[] = [];
  for (const [p, message] of errors) {
    if (p === path) out.push(message);
    else if (p.startsWith(`${path}.`)) {
      const [head] = p.slice(path.length + 1).split('.');
      if (!fields.has(head!) && !nested.has(head!)) out.push(`${head}: ${message}`);
    }
  }
  return out;
}

/** An ordered list of steps: each a card that opens to its fields, moves up or down, or goes; and a menu to add one. */
export function StepList({ steps, onChange, path, ctx, empty, testId }: { steps: FlowVerb[]; onChange: (steps: FlowVerb[]) => void; path: string; ctx: StepContext; empty: string; testId?: string }) {
  const [opened, setOpened] = useState<Set<number>>(() => new Set());
  const toggle = (id: number) => setOpened((s) => (s.has(id) ? new Set([...s].filter((x) => x !== id)) : new Set([...s, id])));

  const move = (i: number, by: -1 | 1) => {
    const next = [...steps];
    [next[i], next[i + by]] = [next[i + by]!, next[i]!];
    onChange(next);
  };
  const add = (verb: string) => {
    const step = verbSpec(verb)!.initial();
    setOpened((s) => new Set([...s, idOf(step)]));
    onChange([...steps, step]);
  };

  return (
    <div className="flow-steps" data-testid={testId}>
      {steps.length === 0 && <p className="muted small flow-empty">{empty}</p>}
      <ol className="flow-step-list">
        {steps.map((step, i) => {
          const id = idOf(step);
          const stepPath = `${path}.${i}`;
          const { label, summary } = describeStep(step);
          const bad = hasErrorsUnder(ctx.errors, stepPath);
          const open = opened.has(id) || bad;
          return (
            <li key={id} className={`flow-step${bad ? ' flow-step-bad' : ''}`} data-testid="flow-step" data-verb={step.verb}>
              <div className="flow-step-head">
                <span className="flow-step-n" aria-hidden="true">{i + 1}</span>
                <button type="button" className="flow-step-title" aria-expanded={open} onClick={() => toggle(id)} data-testid="flow-step-toggle">
                  <strong>{label}</strong>
                  <span className="muted small">{summary}</span>
                </button>
                <span className="flow-step-tools">
                  <button type="button" className="btn btn-small btn-icon" disabled={i === 0} onClick={() => move(i, -1)} aria-label={`Move step ${i + 1} (${label}) up`}>↑</button>
                  <button type="button" className="btn btn-small btn-icon" disabled={i === steps.length - 1} onClick={() => move(i, 1)} aria-label={`Move step ${i + 1} (${label}) down`}>↓</button>
                  <button type="button" className="btn btn-small btn-icon btn-danger" onClick={() => onChange(steps.filter((_, j) => j !== i))} aria-label={`Remove step ${i + 1} (${label})`} data-testid="flow-step-remove">✕</button>
                </span>
              </div>
              {cardErrors(ctx.errors, stepPath, step).map((m) => <p key={m} className="field-error" role="alert">{m}</p>)}
              {open && (
                <StepFields
                  step={step}
                  path={stepPath}
                  ctx={ctx}
                  onChange={(next) => onChange(steps.map((s, j) => (j === i ? replaced(s, next) : s)))}
                />
              )}
            </li>
          );
        })}
      </ol>
      <label className="flow-add">
        <span className="sr-only">Add a step</span>
        <select value="" onChange={(e) => e.target.value && add(e.target.value)} data-testid="flow-add-step">
          <option value="">+ Add a step…</option>
          {VERBS.map((v) => (
            <option key={v.verb} value={v.verb}>{v.label} — {v.description}</option>
          ))}
        </select>
      </label>
    </div>
  );
}

function StepFields({ step, path, ctx, onChange }: { step: FlowVerb; path: string; ctx: StepContext; onChange: (v: FlowVerb) => void }) {
  const spec = verbSpec(step.verb);
  if (!spec) return <p className="muted small">This step is not one the editor knows. Switch to Code to change it.</p>;
  const set = (key: string, value: unknown) => {
    const next: FlowVerb = { ...step };
    if (value === undefined || value === '') delete next[key];
    else next[key] = value;
    onChange(next);
  };
  return (
    <div className="flow-step-body">
      <div className="flow-fields">
        {spec.fields.map((f) => (
          <Field key={f.key} spec={f} value={step[f.key]} onChange={(v) => set(f.key, v)} error={ctx.errors.get(`${path}.${f.key}`)} ctx={ctx} />
        ))}
      </div>
      {step.verb === 'gather' && <MenuChoices step={step} path={path} ctx={ctx} onChange={onChange} />}
    </div>
  );
}

function Field({ spec, value, onChange, error, ctx }: { spec: FieldSpec; value: unknown; onChange: (v: unknown) => void; error?: string; ctx: StepContext }) {
  const common = { 'aria-invalid': error ? true : undefined, 'data-testid': `flow-field-${spec.key}` } as const;
  let input: ReactNode;
  switch (spec.kind) {
    case 'long':
      input = <textarea rows={2} value={typeof value === 'string' ? value : ''} placeholder={spec.hint} required={spec.required} onChange={(e) => onChange(e.target.value)} {...common} />;
      break;
    case 'number':
      input = (
        <input
          type="number"
          inputMode="decimal"
          min={spec.min}
          max={spec.max}
          step={spec.step ?? 1}
          value={typeof value === 'number' ? value : ''}
          placeholder={spec.hint}
          required={spec.required}
          onChange={(e) => onChange(e.target.value === '' ? undefined : Number(e.target.value))}
          {...common}
        />
      );
      break;
    case 'bool':
      return (
        <label className="field check flow-field">
          <input type="checkbox" checked={value !== false} onChange={(e) => onChange(e.target.checked)} {...common} />
          <span>{spec.label}</span>
        </label>
      );
    case 'key':
      input = (
        <select value={typeof value === 'string' ? value : ''} onChange={(e) => onChange(e.target.value || undefined)} {...common}>
          <option value="">None</option>
          {['#', '*', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9'].map((k) => <option key={k} value={k}>{k}</option>)}
        </select>
      );
      break;
    case 'select':
      input = (
        <select value={typeof value === 'string' ? value : spec.options![0]!.value} onChange={(e) => onChange(e.target.value)} {...common}>
          {spec.options!.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
        </select>
      );
      break;
    case 'queue':
    case 'flow': {
      const names = spec.kind === 'queue' ? ctx.queues : ctx.flows;
      const current = typeof value === 'string' ? value : '';
      input = (
        <select value={current} required={spec.required} onChange={(e) => onChange(e.target.value || undefined)} {...common}>
          <option value="">{spec.kind === 'queue' ? (spec.required ? 'Choose a queue' : 'The default (support)') : 'Choose a flow'}</option>
          {/* A name saved before its queue or flow was removed stays choosable, so opening a step never changes it. */}
          {[...new Set([...names, ...(current ? [current] : [])])].map((n) => <option key={n} value={n}>{n}</option>)}
        </select>
      );
      break;
    }
    case 'list':
      input = (
        <input
          value={Array.isArray(value) ? value.join(', ') : ''}
          placeholder={spec.hint}
          onChange={(e) => {
            const items = e.target.value.split(',').map((s) => s.trim()).filter(Boolean);
            onChange(items.length ? items : undefined);
          }}
          {...common}
        />
      );
      break;
    default:
      input = <input value={typeof value === 'string' ? value : ''} placeholder={spec.hint} required={spec.required} onChange={(e) => onChange(e.target.value)} {...common} />;
  }
  return (
    <label className={`field flow-field${spec.kind === 'long' ? ' flow-field-wide' : ''}`}>
      <span>{spec.label}{!spec.required && (spec.kind === 'text' || spec.kind === 'long' || spec.kind === 'list') && <small className="muted"> (optional)</small>}</span>
      {input}
      {error && <span className="field-error" role="alert">{error}</span>}
    </label>
  );
}

const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '0', '*', '#'];

/** A menu's prompt, its choices (a key, what it is for, the steps it runs) and what happens when nothing is pressed. */
function MenuChoices({ step, path, ctx, onChange }: { step: FlowVerb; path: string; ctx: StepContext; onChange: (v: FlowVerb) => void }) {
  const prompt = (step.prompt as FlowVerb[] | undefined) ?? [];
  const branches = (step.branches as Record<string, FlowVerb[]> | undefined) ?? {};
  const labels = (step.labels as Record<string, string> | undefined) ?? {};
  const noInput = (step.noInput as FlowVerb[] | undefined) ?? [];
  const keys = Object.keys(branches).sort((a, b) => (a === 'default' ? 1 : b === 'default' ? -1 : KEYS.indexOf(a) - KEYS.indexOf(b) || a.localeCompare(b)));
  const free = KEYS.find((k) => !(k in branches));

  const update = (patch: Partial<Record<'prompt' | 'branches' | 'labels' | 'noInput', unknown>>) => {
    const next: FlowVerb = { ...step, ...patch };
    for (const k of ['prompt', 'noInput'] as const) if (Array.isArray(next[k]) && (next[k] as unknown[]).length === 0) delete next[k];
    if (next.labels && Object.keys(next.labels as object).length === 0) delete next.labels;
    onChange(next);
  };
  const setLabel = (key: string, label: string) => {
    const next = { ...labels };
    if (label.trim()) next[key] = label;
    else delete next[key];
    update({ labels: next });
  };
  const rekey = (from: string, to: string) => {
    if (!to || to in branches) return;
    const nextBranches: Record<string, FlowVerb[]> = {};
    for (const k of Object.keys(branches)) nextBranches[k === from ? to : k] = branches[k]!;
    const nextLabels = { ...labels };
    if (from in nextLabels) {
      if (to !== 'default') nextLabels[to] = nextLabels[from]!;
      delete nextLabels[from];
    }
    update({ branches: nextBranches, labels: nextLabels });
  };
  const remove = (key: string) => {
    const { [key]: _gone, ...rest } = branches;
    const { [key]: _label, ...restLabels } = labels;
    update({ branches: rest, labels: restLabels });
  };

  return (
    <div className="flow-menu">
      <fieldset className="flow-branch">
        <legend>First, the caller hears</legend>
        <StepList steps={prompt} onChange={(s) => update({ prompt: s })} path={`${path}.prompt`} ctx={ctx} empty="Nothing: the menu waits for keys in silence." />
      </fieldset>
      {keys.map((key) => (
        <fieldset key={key} className="flow-branch" data-testid="flow-choice" data-key={key}>
          <legend>{key === 'default' ? 'Any other key' : `Key ${key}`}</legend>
          {key !== 'default' && (
            <div className="flow-fields">
              <label className="field flow-field">
                <span>Key</span>
                <select value={key} onChange={(e) => rekey(key, e.target.value)} data-testid="flow-choice-key">
                  {KEYS.filter((k) => k === key || !(k in branches)).map((k) => <option key={k} value={k}>{k}</option>)}
                </select>
              </label>
              <label className="field flow-field">
                <span>For <small className="muted">(shown on the visual menu)</small></span>
                <input value={labels[key] ?? ''} placeholder="Sales" onChange={(e) => setLabel(key, e.target.value)} data-testid="flow-choice-label" />
              </label>
            </div>
          )}
          <StepList steps={branches[key]!} onChange={(s) => update({ branches: { ...branches, [key]: s } })} path={`${path}.branches.${key}`} ctx={ctx} empty="No steps: the flow goes on after the menu." />
          <button type="button" className="btn btn-small btn-danger" onClick={() => remove(key)} data-testid="flow-choice-remove">
            Remove {key === 'default' ? '“any other key”' : `key ${key}`}
          </button>
        </fieldset>
      ))}
      <fieldset className="flow-branch">
        <legend>If nothing is pressed</legend>
        <StepList steps={noInput} onChange={(s) => update({ noInput: s })} path={`${path}.noInput`} ctx={ctx} empty="Nothing more: the flow goes on after the menu." />
      </fieldset>
      <div className="row wrap">
        {free && (
          <button type="button" className="btn btn-small" onClick={() => update({ branches: { ...branches, [free]: [] } })} data-testid="flow-add-choice">
            + Add key {free}
          </button>
        )}
        {!('default' in branches) && (
          <button type="button" className="btn btn-small" onClick={() => update({ branches: { ...branches, default: [] } })}>
            + Add “any other key”
          </button>
        )}
      </div>
    </div>
  );
}
