import type { User } from '@callsight/sdk';
import { useEffect, useMemo, useState } from 'react';
import { client } from '../../shared/api';
import { formatDateTime } from '../../shared/format';
import { ProblemBanner } from '../../shared/ProblemBanner';
import { Sheet } from '../../shared/Sheet';
import { useResource } from '../../shared/use-resource';
import { Section, TableState } from '../Section';
import { InteractionDetailView } from './InteractionDetail';
import { channelText, interactionStatus } from './interaction-words';

/** Customer contacts, newest first, kept live from interaction and call events; each opens a detail sheet with its timeline. */
export function InteractionsSection() {
  const list = useResource(() => client.interactions.list({ limit: 100 }));
  const users = useResource(() => client.users.list().catch(() => ({ items: [] as User[] })));
  const [opened, setOpened] = useState<string | null>(null);
  const { reload } = list;
  const items = list.data?.items ?? [];
  const onCall = useMemo(() => new Set(list.data?.onCall ?? []), [list.data]);
  const byId = useMemo(() => new Map((users.data?.items ?? []).map((u) => [u.id, u.name])), [users.data]);
  const openedItem = items.find((i) => i.id === opened);

  useEffect(() => {
    const stream = client.realtime({ types: ['interaction.', 'call.created', 'call.ended'] });
    stream.on('event', () => reload());
    return () => stream.close();
  }, [reload]);

  return (
    <Section id="interactions" title="Interactions" description="Customer contacts across voice, video, chat and SMS, newest first. Open one to see what happened, step by step.">
      <div className="row">
        <span className="muted small live-dot grow" aria-live="off">Live</span>
      </div>
      <ProblemBanner error={list.error} />
      <TableState loading={list.loading} error={list.error} empty={items.length === 0} what="interactions" />
      {items.length > 0 && (
        <div className="table-wrap">
          <table className="table table-cards" data-testid="interactions-table">
            <thead>
              <tr><th>Customer</th><th>Status</th><th>Channels</th><th>Subject</th><th>Started</th><th>Last activity</th></tr>
            </thead>
            <tbody>
              {items.map((it) => {
                const status = interactionStatus(it, onCall.has(it.id));
                const customer = it.customerId ? (byId.get(it.customerId) ?? 'A removed customer') : 'Unknown caller';
                return (
                  <tr key={it.id} data-testid="interaction-row">
                    {/* The opener sits beside the name: at phone width the table's last columns are scrolled out of sight. */}
                    <td data-card-title>
                      <span className="row">
                        <span className="grow">{customer}</span>
                        <button type="button" className="btn btn-small" onClick={() => setOpened(it.id)} aria-label={`Details of the contact with ${customer} on ${formatDateTime(it.createdAt)}`} data-testid="interaction-open">Details</button>
                      </span>
                    </td>
                    <td data-label="Status"><span className={status.pill} title={status.hint} data-testid="interaction-status">{status.text}</span></td>
                    <td data-label="Channels">{it.channels.map((c) => <span key={c} className="pill">{channelText(c)}</span>)}</td>
                    <td data-label="Subject">{it.subject ?? <span className="muted">—</span>}</td>
                    <td data-label="Started">{formatDateTime(it.createdAt)}</td>
                    <td data-label="Last activity">{formatDateTime(it.updatedAt)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {openedItem && (
        <Sheet title="Contact details" onClose={() => setOpened(null)} testId="interaction-sheet">
          <InteractionDetailView id={openedItem.id} />
          <div className="form-actions">
            <button type="button" className="btn" onClick={() => setOpened(null)}>Close</button>
          </div>
        </Sheet>
      )}
    </Section>
  );
}
