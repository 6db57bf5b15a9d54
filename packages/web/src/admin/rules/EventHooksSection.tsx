import { EVENT_HOOK_SCHEMES, type CreatedEventHook, type EventHook, type EventHookScheme } from '@callsight/sdk';
import { useState } from 'react';
import { client } from '../../shared/api';
import { CopyField } from '../../shared/CopyField';
import { formatDateTime, formatRelative } from '../../shared/format';
import { OnceSecret } from '../../shared/OnceSecret';
import { ProblemBanner } from '../../shared/ProblemBanner';
import { useToast } from '../../shared/Toasts';
import { useFormAction } from '../../shared/use-form-action';
import { useResource } from '../../shared/use-resource';
import { Section, TableState } from '../Section';
import './rules.css';

const schemeOf = (scheme: EventHookScheme) => EVENT_HOOK_SCHEMES.find((s) => s.scheme === scheme)!;

/** Where each sender takes the URL and the secret, so the admin needn't look it up. */
const WHERE: Record<EventHookScheme, string> = {
  standard: 'Give the sender this URL and secret; it signs with webhook-id, webhook-timestamp and webhook-signature.',
  github: 'In GitHub › Settings › Webhooks › Add webhook: this URL as the Payload URL, content type application/json, and this secret.',
  stripe: 'In Stripe’s Dashboard › Developers › Webhooks, add this URL as the endpoint.',
};

/** "just now" rather than Intl's bare "now", which reads oddly after "last delivery". */
const ago = (ms: number) => (Date.now() - ms < 10_000 ? 'just now' : formatRelative(ms));

const hookUrl = (hook: EventHook) => `${window.location.origin}${hook.path}`;

/** Incoming webhooks: other systems' signed deliveries, which rules can act on. */
export function EventHooksSection() {
  const toast = useToast();
  const hooks = useResource(() => client.ingest.hooks());
  const [created, setCreated] = useState<CreatedEventHook | null>(null);
  const items = hooks.data?.items ?? [];

  async function remove(hook: EventHook) {
    if (!window.confirm(`Stop taking deliveries from “${hook.name}”? Later ones will be refused.`)) return;
    try {
      await client.ingest.removeHook(hook.id);
      toast.success(`“${hook.name}” deleted`);
      hooks.reload();
    } catch (err) {
      toast.error(err);
    }
  }

  return (
    <Section
      id="incoming-webhooks"
      title="Incoming webhooks"
      description="Let your shop, payment provider or code host tell callsight what happened. Each signed delivery becomes an event your rules can act on, once, however often it is retried."
    >
      {created ? (
        <div className="card stack" data-testid="hook-created">
          <h2>“{created.name}” is ready</h2>
          <p className="muted">{WHERE[created.scheme]}</p>
          <CopyField label="URL" value={hookUrl(created)} testId="hook-url" />
          {schemeOf(created.scheme).bringsSecret ? (
            <div className="row"><button type="button" className="btn" onClick={() => setCreated(null)}>Done</button></div>
          ) : (
            <OnceSecret label="Signing secret" value={created.secret} testId="hook-secret" onDone={() => setCreated(null)} />
          )}
        </div>
      ) : (
        <CreateHookForm
          onCreated={(h) => {
            setCreated(h);
            hooks.reload();
          }}
        />
      )}
      <ProblemBanner error={hooks.error} />
      {items.length > 0 && (
        <div className="row">
          <span className="grow muted small">Deliveries are counted as they arrive.</span>
          <button type="button" className="btn btn-small" onClick={hooks.reload} disabled={hooks.loading} data-testid="hooks-refresh">Refresh</button>
        </div>
      )}
      <TableState loading={hooks.loading} error={hooks.error} empty={items.length === 0} what="incoming webhooks" />
      {items.length > 0 && (
        <ul className="rule-list" data-testid="hooks-list">
          {items.map((h) => (
            <li key={h.id} className="card rule-item" data-testid="hook-row">
              <div className="rule-item-head">
                <h2 className="rule-item-name">{h.name}</h2>
                <span className="pill">{schemeOf(h.scheme).label}</span>
              </div>
              <CopyField label={`URL for ${h.name}`} value={hookUrl(h)} />
              <p className="rule-sentence">
                Its events arrive as <code>{h.typePrefix}.</code><em>their type</em>
                {h.scheme === 'github' ? <> (for example <code>github.issues.opened</code>)</> : h.scheme === 'stripe' ? <> (for example <code>stripe.charge.refunded</code>)</> : null}.
              </p>
              <div className="rule-item-foot">
                <span className="rule-hits" data-testid="hook-accepted"><strong>{h.accepted}</strong> accepted</span>
                <span className={h.refused ? 'rule-hits hook-refused' : 'rule-hits'} data-testid="hook-refused"><strong>{h.refused}</strong> refused</span>
                <span className="muted small">
                  {h.lastDeliveryAt ? <span title={formatDateTime(h.lastDeliveryAt)}>last delivery {ago(h.lastDeliveryAt)}</span> : 'no delivery yet'}
                </span>
                <span className="push-right row">
                  <button type="button" className="btn btn-small btn-danger" onClick={() => void remove(h)}>Delete</button>
                </span>
              </div>
              {h.lastRefusal && h.lastRefusalAt && (
                <p className="banner banner-warn small" data-testid="hook-last-refusal">
                  Last refused {ago(h.lastRefusalAt)}: {h.lastRefusal}.
                </p>
              )}
            </li>
          ))}
        </ul>
      )}
    </Section>
  );
}

function CreateHookForm({ onCreated }: { onCreated: (hook: CreatedEventHook) => void }) {
  const [scheme, setScheme] = useState<EventHookScheme>('standard');
  const bringsSecret = schemeOf(scheme).bringsSecret;
  const { error, busy, submit } = useFormAction(async (form) => {
    const prefix = String(form.get('typePrefix') ?? '').trim();
    const secret = String(form.get('secret') ?? '').trim();
    onCreated(
      await client.ingest.createHook({
        name: String(form.get('name')).trim(),
        scheme,
        ...(prefix ? { typePrefix: prefix } : {}),
        ...(bringsSecret && secret ? { secret } : {}),
      }),
    );
    setScheme('standard');
  });

  return (
    <form className="card form-grid" onSubmit={submit} data-testid="hook-form" aria-label="Add an incoming webhook">
      <h2 className="span-all">Add an incoming webhook</h2>
      <div className="span-all"><ProblemBanner error={error} /></div>
      <label className="field">
        <span>Name</span>
        <input name="name" required maxLength={100} placeholder="Web shop" data-testid="hook-name" />
      </label>
      <label className="field">
        <span>Sender signs like</span>
        <select name="scheme" value={scheme} onChange={(e) => setScheme(e.currentTarget.value as EventHookScheme)} data-testid="hook-scheme">
          {EVENT_HOOK_SCHEMES.map((s) => <option key={s.scheme} value={s.scheme}>{s.label}</option>)}
        </select>
      </label>
      <label className="field">
        <span>Event type prefix <small className="muted">(optional)</small></span>
        <input name="typePrefix" maxLength={30} placeholder={scheme === 'standard' ? 'from the name' : scheme} pattern="[a-zA-Z][a-zA-Z0-9_\-]*" data-testid="hook-prefix" />
      </label>
      {bringsSecret && (
        <label className="field">
          <span>Stripe’s signing secret</span>
          <input name="secret" required autoComplete="off" spellCheck={false} placeholder="whsec_…" data-testid="hook-given-secret" />
        </label>
      )}
      <p className="span-all muted small">{bringsSecret ? 'Stripe makes the secret: create the endpoint there first, then paste its signing secret here.' : 'callsight makes the signing secret and shows it once.'}</p>
      <div className="form-actions">
        <button className="btn btn-primary" type="submit" disabled={busy} data-testid="hook-submit">{busy ? 'Adding…' : 'Add incoming webhook'}</button>
      </div>
    </form>
  );
}
