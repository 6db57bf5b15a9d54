import type { Card, CardField, CardInput, CardKind, CardLink, CardTemplate, CardValues, OrderItem } from '@callsight/sdk';
import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { client } from '../../shared/api';
import { CardFieldInput } from '../../shared/CardFieldInput';
import { templateFields, validateValues } from '@callsight/protocol';
import { ProblemBanner } from '../../shared/ProblemBanner';
import { useToast } from '../../shared/Toasts';

const KINDS: { kind: CardKind; label: string }[] = [
  { kind: 'address', label: 'Address' },
  { kind: 'payment', label: 'Amount and payee' },
  { kind: 'appointment', label: 'Appointment slot' },
  { kind: 'order', label: 'Order items' },
  { kind: 'identity', label: 'Identity check' },
  { kind: 'form', label: 'Form (from a template)' },
];

/** "2 x Replacement card @ 5.00", one line per item: quick to type during a call. */
const ITEM_LINE = /^\s*(\d+)\s*[x×]\s*(.+?)\s*@\s*(\d+(?:\.\d+)?)\s*$/i;
const itemsToText = (items: OrderItem[] | undefined) => (items ?? []).map((i) => `${i.qty} x ${i.name} @ ${i.price}`).join('\n');
function textToItems(text: string): OrderItem[] | string {
  const items: OrderItem[] = [];
  for (const line of text.split('\n').filter((l) => l.trim())) {
    const m = ITEM_LINE.exec(line);
    if (!m) return `"${line}" is not "qty x name @ price"`;
    items.push({ qty: Number(m[1]), name: m[2], price: Number(m[3]) });
  }
  return items;
}
const lines = (text: string) => text.split('\n').map((l) => l.trim()).filter(Boolean);

interface Draft {
  kind: CardKind;
  title: string;
  message: string;
  values: CardValues;
  slots: string;
  items: string;
  fields: CardField[] | undefined;
  ttlMinutes: number;
  templateId: string;
}

const emptyDraft = (kind: CardKind = 'address'): Draft => ({ kind, title: '', message: '', values: {}, slots: '', items: '', fields: undefined, ttlMinutes: 5, templateId: '' });

function draftFrom(t: CardTemplate): Draft {
  return {
    kind: t.kind,
    title: t.title,
    message: t.preset.message ?? '',
    values: t.preset.values ?? {},
    slots: (t.preset.slots ?? []).join('\n'),
    items: itemsToText(t.preset.items),
    fields: t.preset.fields,
    ttlMinutes: 5,
    templateId: t.id,
  };
}

function draftOf(card: Card): Draft {
  const c = card.content;
  return {
    kind: c.kind,
    title: c.title,
    message: c.message ?? '',
    values: c.values,
    slots: c.kind === 'appointment' ? (c.fields[0].options ?? []).join('\n') : '',
    items: itemsToText(c.items ?? undefined),
    fields: c.kind === 'form' ? c.fields : undefined,
    ttlMinutes: 5,
    templateId: '',
  };
}

/**
 * Pick a template or a kind, fill what the customer should check, push. With
 * `editing`, the same form sends a new version of that card.
 */
export function CardComposer({ interactionId, editing, onDone }: { interactionId: string; editing: Card | null; onDone: () => void }) {
  const toast = useToast();
  const [templates, setTemplates] = useState<CardTemplate[]>([]);
  const [draft, setDraft] = useState<Draft>(emptyDraft());
  const [sms, setSms] = useState(false);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<unknown>(null);
  const [link, setLink] = useState<CardLink | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    client.cards.templates().then((t) => setTemplates(t.items), setProblem);
  }, []);
  useEffect(() => {
    if (editing) setDraft(draftOf(editing));
  }, [editing]);

  // The values the agent fills in: appointment slots are the customer's to pick, order totals are computed.
  const fields: CardField[] = useMemo(() => {
    if (draft.kind === 'appointment' || draft.kind === 'order') return [];
    return draft.kind === 'form' ? (draft.fields ?? []) : templateFields(draft.kind);
  }, [draft.kind, draft.fields]);

  const set = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }));

  function build(): CardInput | null {
    const issues: Record<string, string> = {};
    const input: CardInput = { kind: draft.kind, title: draft.title || undefined, message: draft.message || undefined, ttlSeconds: Math.round(draft.ttlMinutes * 60) };
    const values = Object.fromEntries(Object.entries(draft.values).filter(([, v]) => v !== null && v !== ''));
    if (draft.kind === 'appointment') {
      input.slots = lines(draft.slots);
      if (!input.slots.length) issues.slots = 'Add at least one slot';
    } else if (draft.kind === 'order') {
      const items = textToItems(draft.items);
      if (typeof items === 'string') issues.items = items;
      else if (!items.length) issues.items = 'Add at least one item';
      else input.items = items;
      input.values = { currency: (draft.values.currency as string) || 'EUR' };
    } else {
      if (draft.kind === 'form') {
        if (!draft.fields?.length) issues.kind = 'Form cards come from a template: pick one';
        input.fields = draft.fields;
      }
      for (const i of validateValues(fields, values, { complete: false })) issues[i.path.split('.').pop()!] = i.message;
      input.values = values;
    }
    setErrors(issues);
    return Object.keys(issues).length ? null : input;
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    setProblem(null);
    const input = build();
    if (!input) return;
    setBusy(true);
    try {
      if (editing) {
        await client.cards.revise(editing.id, editing.version, input);
        toast.success(`Sent version ${editing.version + 1}`);
      } else {
        const res = await client.cards.present(interactionId, { ...input, sms });
        setLink(res.link);
        toast.success('Card sent to the customer');
      }
      if (!editing) setDraft(emptyDraft(draft.kind));
      onDone();
    } catch (err) {
      setProblem(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="card stack" onSubmit={submit} noValidate aria-labelledby="composer-title" data-testid="card-composer">
      <h2 id="composer-title">{editing ? `Edit “${editing.content.title}” (new version)` : 'Push a card'}</h2>
      {!editing && (
        <div className="form-grid">
          <div className="field">
            <label htmlFor="compose-template">Template</label>
            <select
              id="compose-template"
              data-testid="compose-template"
              value={draft.templateId}
              onChange={(e) => {
                const t = templates.find((x) => x.id === e.target.value);
                setDraft(t ? draftFrom(t) : emptyDraft(draft.kind));
              }}
            >
              <option value="">None</option>
              {templates.map((t) => (
                <option key={t.id} value={t.id}>{t.name}</option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="compose-kind">Kind</label>
            <select id="compose-kind" data-testid="compose-kind" value={draft.kind} onChange={(e) => setDraft(emptyDraft(e.target.value as CardKind))}>
              {KINDS.map((k) => (
                <option key={k.kind} value={k.kind}>{k.label}</option>
              ))}
            </select>
            {errors.kind && <span className="field-error">{errors.kind}</span>}
          </div>
        </div>
      )}
      <div className="form-grid">
        <div className="field">
          <label htmlFor="compose-title">Title</label>
          <input id="compose-title" data-testid="compose-title" value={draft.title} maxLength={120} placeholder="Default for the kind" onChange={(e) => set({ title: e.target.value })} />
        </div>
        <div className="field">
          <label htmlFor="compose-message">Message</label>
          <input id="compose-message" value={draft.message} maxLength={500} onChange={(e) => set({ message: e.target.value })} />
        </div>
      </div>
      {draft.kind === 'appointment' && (
        <div className="field">
          <label htmlFor="compose-slots">Slots, one per line</label>
          <textarea className="textarea" id="compose-slots" data-testid="compose-slots" rows={4} value={draft.slots} onChange={(e) => set({ slots: e.target.value })} />
          {errors.slots && <span className="field-error">{errors.slots}</span>}
        </div>
      )}
      {draft.kind === 'order' && (
        <div className="field">
          <label htmlFor="compose-items">Items: “qty x name @ price”, one per line</label>
          <textarea className="textarea" id="compose-items" data-testid="compose-items" rows={4} value={draft.items} onChange={(e) => set({ items: e.target.value })} />
          {errors.items && <span className="field-error">{errors.items}</span>}
        </div>
      )}
      {fields.length > 0 && (
        <div className="form-grid">
          {fields.map((f) => (
            <CardFieldInput
              key={f.name}
              idPrefix="compose"
              field={{ ...f, readOnly: false }}
              value={draft.values[f.name]}
              error={errors[f.name]}
              onChange={(v) => set({ values: { ...draft.values, [f.name]: v } })}
            />
          ))}
        </div>
      )}
      <div className="row wrap">
        <label className="row small" htmlFor="compose-ttl">
          Expires after
          <input id="compose-ttl" type="number" min={1} max={1440} style={{ width: '5rem' }} value={draft.ttlMinutes} onChange={(e) => set({ ttlMinutes: Math.max(1, Number(e.target.value) || 5) })} />
          min
        </label>
        {!editing && (
          <label className="row small check">
            <input type="checkbox" checked={sms} onChange={(e) => setSms(e.target.checked)} data-testid="compose-sms" />
            Caller on a plain phone: make an SMS link
          </label>
        )}
      </div>
      <ProblemBanner error={problem} />
      <div className="row">
        <button type="submit" className="btn btn-primary" disabled={busy} data-testid="compose-push">{editing ? 'Send new version' : 'Push to customer'}</button>
        {editing && <button type="button" className="btn btn-ghost" onClick={onDone}>Cancel</button>}
      </div>
      {link && (
        <div className="banner" role="status" data-testid="compose-link">
          {link.sentTo ? <>Link texted to {link.sentTo}.</> : <>No SMS gateway: read this link to the caller.</>}
          <div className="mono break">{link.url}</div>
        </div>
      )}
    </form>
  );
}
