import type { CreatedWebhook, Webhook } from '@callsight/sdk';
import { useState } from 'react';
import { client } from '../shared/api';
import { formatDateTime } from '../shared/format';
import { OnceSecret } from '../shared/OnceSecret';
import { ProblemBanner } from '../shared/ProblemBanner';
import { useToast } from '../shared/Toasts';
import { useFormAction } from '../shared/use-form-action';
import { useResource } from '../shared/use-resource';
import { Section, TableState } from './Section';

export function WebhooksSection() {
  const toast = useToast();
  const hooks = useResource(() => client.webhooks.list());
  const [created, setCreated] = useState<CreatedWebhook | null>(null);
  const [selected, setSelected] = useState<Webhook | null>(null);
  const items = hooks.data?.items ?? [];

  async function remove(hook: Webhook) {
    if (!window.confirm(`Stop sending events to ${hook.url}?`)) return;
    try {
      await client.webhooks.remove(hook.id);
      toast.success('Webhook deleted');
      if (selected?.id === hook.id) setSelected(null);
      hooks.reload();
    } catch (err) {
      toast.error(err);
    }
  }

  return (
    <Section
      id="webhooks"
      title="Webhooks"
      description="POST events to your URLs. Each delivery is signed: callsight-signature: t=<unix>,v1=HMAC-SHA256(secret, t.body)."
    >
      {created ? (
        <OnceSecret label="Signing secret" value={created.secret} testId="new-webhook-secret" onDone={() => setCreated(null)} />
      ) : (
        <CreateWebhookForm
          onCreated={(h) => {
            setCreated(h);
            hooks.reload();
          }}
        />
      )}
      <ProblemBanner error={hooks.error} />
      <TableState loading={hooks.loading} error={hooks.error} empty={items.length === 0} what="webhooks" />
      {items.length > 0 && (
        <div className="table-wrap">
          <table className="table table-cards" data-testid="webhooks-table">
            <thead>
              <tr><th>URL</th><th>Event types</th><th>Description</th><th>Created</th><th><span className="visually-hidden">Actions</span></th></tr>
            </thead>
            <tbody>
              {items.map((h) => (
                <tr key={h.id} data-testid="webhook-row" aria-selected={selected?.id === h.id}>
                  <td data-card-title className="mono break">{h.url}</td>
                  <td data-label="Event types">{h.types.length ? h.types.map((t) => <span key={t} className="pill">{t}</span>) : <span className="muted">all</span>}</td>
                  <td data-label="Description">{h.description ?? '—'}</td>
                  <td data-label="Created">{formatDateTime(h.createdAt)}</td>
                  <td className="actions">
                    <button type="button" className="btn btn-small" onClick={() => setSelected(selected?.id === h.id ? null : h)} aria-expanded={selected?.id === h.id}>
                      Deliveries
                    </button>
                    <button type="button" className="btn btn-danger btn-small" onClick={() => void remove(h)}>Delete</button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {selected && <DeliveryLog key={selected.id} webhook={selected} />}
    </Section>
  );
}

function CreateWebhookForm({ onCreated }: { onCreated: (hook: CreatedWebhook) => void }) {
  const { error, busy, submit } = useFormAction(async (form) => {
    const description = String(form.get('description') ?? '').trim();
    onCreated(
      await client.webhooks.create({
        url: String(form.get('url')).trim(),
        types: String(form.get('types') ?? '').split(',').map((t) => t.trim()).filter(Boolean),
        ...(description ? { description } : {}),
      }),
    );
  });

  return (
    <form className="card form-grid" onSubmit={submit} data-testid="webhook-form" aria-label="Create webhook">
      <h2 className="span-all">Add a webhook</h2>
      <div className="span-all"><ProblemBanner error={error} /></div>
      <label className="field span-2">
        <span>URL</span>
        <input name="url" type="url" required placeholder="https://example.com/callsight" data-testid="webhook-url" />
      </label>
      <label className="field">
        <span>Event type prefixes</span>
        <input name="types" placeholder="call., user.created (empty: all)" data-testid="webhook-types" />
      </label>
      <label className="field">
        <span>Description <small className="muted">(optional)</small></span>
        <input name="description" maxLength={500} data-testid="webhook-description" />
      </label>
      <div className="form-actions">
        <button className="btn btn-primary" type="submit" disabled={busy} data-testid="webhook-submit">
          {busy ? 'Adding…' : 'Add webhook'}
        </button>
      </div>
    </form>
  );
}

function DeliveryLog({ webhook }: { webhook: Webhook }) {
  const log = useResource(() => client.webhooks.deliveries(webhook.id));
  const items = log.data?.items ?? [];
  return (
    <div className="card stack" data-testid="delivery-log">
      <div className="row">
        <h2 className="grow">Deliveries to <span className="mono break">{webhook.url}</span></h2>
        <button type="button" className="btn btn-small" onClick={log.reload} disabled={log.loading}>Refresh</button>
      </div>
      <ProblemBanner error={log.error} />
      <TableState loading={log.loading} error={log.error} empty={items.length === 0} what="deliveries" />
      {items.length > 0 && (
        <div className="table-wrap">
          <table className="table table-cards">
            <thead>
              <tr><th>Status</th><th>Event</th><th>Attempts</th><th>Last response</th><th>Created</th><th>Delivered</th></tr>
            </thead>
            <tbody>
              {items.map((d) => (
                <tr key={d.id}>
                  <td data-card-title><span className={`pill pill-${d.status === 'delivered' ? 'ok' : d.status === 'failed' ? 'bad' : 'muted'}`}>{d.status}</span></td>
                  <td data-label="Event" className="mono">{d.eventId}</td>
                  <td data-label="Attempts">{d.attempts}</td>
                  <td data-label="Last response">{d.lastError ?? (d.lastStatus ? `HTTP ${d.lastStatus}` : '—')}</td>
                  <td data-label="Created">{formatDateTime(d.createdAt)}</td>
                  <td data-label="Delivered">{formatDateTime(d.deliveredAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
