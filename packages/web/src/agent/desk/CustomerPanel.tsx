import type { Interaction, WrapUp } from '@callsight/sdk';
import { useEffect, useState } from 'react';
import { client } from '../../shared/api';
import { formatDateTime, formatPhone, formatRelative } from '../../shared/format';
import { useToast } from '../../shared/Toasts';
import { downloadRecord } from '../cards/ConfirmPanel';
import { ConfirmedDataView } from '../cards/ConfirmedDataView';
import { useInteractionCards } from '../cards/use-interaction-cards';
import { InteractionTimeline } from '../routing/InteractionTimeline';
import { DESK_PANELS } from './desk-panels';
import type { Desk, DeskRow } from './use-desk';

const VERSTAT: Record<string, string> = { 'TN-Validation-Passed': 'Number verified', 'TN-Validation-Failed': 'Number failed verification', 'No-TN-Validation': 'Number not verified' };
/** Context keys shown under their own label, or not at all (ids). */
const SHOWN = new Set(['callId', 'callerNumber', 'callerName', 'customerId', 'verstat', 'brand', 'ivrDigits', 'subject', 'conversationId', 'visitorName', 'from']);
const humanKey = (k: string) => k.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/[_-]/g, ' ').replace(/^./, (c) => c.toUpperCase());

function Detail({ label, value, testId }: { label: string; value: string | null | undefined; testId?: string }) {
  if (!value) return null;
  return (
    <div>
      <dt>{label}</dt>
      <dd data-testid={testId}>{value}</dd>
    </div>
  );
}

/** The right pane: who the customer is, why they called, what they confirmed, and their history. */
export function CustomerPanel({ desk, row }: { desk: Desk; row: DeskRow | null }) {
  if (!row) {
    return (
      <div className="desk-customer">
        <section className="card stack" aria-labelledby="customer-title">
          <h2 id="customer-title">Customer</h2>
          <p className="desk-empty">Select a conversation to see who the customer is, why they called and what they confirmed.</p>
        </section>
      </div>
    );
  }
  return <CustomerDetails key={row.interactionId} desk={desk} row={row} />;
}

function CustomerDetails({ desk, row }: { desk: Desk; row: DeskRow }) {
  const toast = useToast();
  const ctx = { ...(row.wrapUp?.context ?? {}), ...(row.items[0]?.context ?? {}) } as Record<string, unknown>;
  const str = (k: string) => (typeof ctx[k] === 'string' && ctx[k] ? (ctx[k] as string) : null);
  const customerId = row.interaction?.customerId ?? str('customerId');
  const customer = customerId ? desk.customers.get(customerId) : undefined;
  const raw = str('callerNumber') ?? str('from') ?? customer?.phoneNumber ?? null;
  const number = raw && /\d{3}/.test(raw) ? raw : (customer?.phoneNumber ?? null);
  const { cards, confirmed } = useInteractionCards(row.interactionId);
  const [past, setPast] = useState<Interaction[]>([]);
  const [wraps, setWraps] = useState<WrapUp[]>([]);

  useEffect(() => {
    if (!customerId) return setPast([]);
    client.interactions.list({ customerId, limit: 6 }).then((r) => setPast(r.items.filter((i) => i.id !== row.interactionId).slice(0, 5)), () => setPast([]));
  }, [customerId, row.interactionId]);
  useEffect(() => {
    client.desk.interactionWrapUps(row.interactionId).then((r) => setWraps(r.items), () => setWraps([]));
  }, [row.interactionId, desk.version]);

  const extra = Object.entries(ctx).filter(([k, v]) => !SHOWN.has(k) && (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean'));
  return (
    <div className="desk-customer" data-testid="customer-panel">
      <section className="card stack" aria-labelledby="customer-title">
        <div className="desk-customer-head">
          <span className="call-avatar" aria-hidden="true">{row.name.slice(0, 1).toUpperCase()}</span>
          <div className="stack" style={{ gap: 0 }}>
            <h2 id="customer-title" data-testid="customer-name">{customer?.name ?? row.name}</h2>
            {number && <span className="muted" data-testid="customer-number">{formatPhone(number)}</span>}
          </div>
        </div>
        <dl className="kv desk-kv">
          <Detail label="Email" value={customer?.email} />
          <Detail label="Verified brand" value={str('brand')} testId="customer-brand" />
          <Detail label="Caller ID" value={str('verstat') ? (VERSTAT[str('verstat')!] ?? str('verstat')) : null} />
          <Detail label="Pressed in the menu" value={str('ivrDigits')?.split('').join(' → ')} testId="customer-ivr" />
          <Detail label="Reason" value={str('subject') ?? row.interaction?.subject} testId="customer-reason" />
          {extra.map(([k, v]) => (
            <Detail key={k} label={humanKey(k)} value={String(v)} />
          ))}
          <Detail label="Contact started" value={row.interaction ? formatDateTime(row.interaction.createdAt) : null} />
        </dl>
      </section>
      <section className="card stack" aria-labelledby="confirmed-title">
        <div className="row">
          <h2 id="confirmed-title" className="grow">Confirmed values</h2>
          {confirmed.length > 0 && (
            <button
              type="button"
              className="btn btn-small"
              onClick={() =>
                downloadRecord(row.interactionId).then(
                  (v) => (v.ok ? toast.success(`Record exported: ${v.records} entries, chain verified`) : toast.error(new Error(`Chain broken at #${v.brokenAt?.seq}: ${v.brokenAt?.reason}`))),
                  toast.error,
                )
              }
              data-testid="export-record"
            >
              Export
            </button>
          )}
        </div>
        <ConfirmedDataView items={confirmed} cards={cards} />
      </section>
      {DESK_PANELS.filter((p) => p.pane === 'customer').map((p) => (
        <p.Component key={p.id} row={row} />
      ))}
      {wraps.length > 0 && (
        <section className="card stack" aria-labelledby="wraps-title">
          <h2 id="wraps-title">Wrap-ups</h2>
          <ul className="desk-plain">
            {wraps.map((w) => (
              <li key={w.itemId} data-testid="wrap-up-done">
                <strong>{w.code ?? (w.timedOut ? 'No outcome (timed out)' : 'No outcome')}</strong>
                {w.notes && <span className="muted"> — {w.notes}</span>}
              </li>
            ))}
          </ul>
        </section>
      )}
      <section className="card stack" aria-labelledby="past-title">
        <h2 id="past-title">Past interactions</h2>
        {!customerId ? (
          <p className="desk-empty">Unknown caller: past contacts show once the customer is identified.</p>
        ) : past.length === 0 ? (
          <p className="desk-empty">First contact with this customer.</p>
        ) : (
          <ul className="desk-plain" data-testid="past-interactions">
            {past.map((i) => (
              <li key={i.id}>
                <span title={formatDateTime(i.createdAt)}>{formatRelative(i.createdAt)}</span> · {i.channels.join(', ') || 'no channel'} · {i.subject ?? (i.state === 'open' ? 'open' : 'closed')}
              </li>
            ))}
          </ul>
        )}
      </section>
      <section className="card">
        <InteractionTimeline key={`${row.interactionId}-${desk.version}`} interactionId={row.interactionId} />
      </section>
    </div>
  );
}
