import { client } from '../shared/api';
import { formatDateTime } from '../shared/format';
import { ProblemBanner } from '../shared/ProblemBanner';
import { useResource } from '../shared/use-resource';
import { Section, TableState } from './Section';

export function InteractionsSection() {
  const list = useResource(() => client.interactions.list({ limit: 100 }));
  const items = list.data?.items ?? [];
  return (
    <Section id="interactions" title="Interactions" description="Customer contacts across voice, video, chat and SMS, newest first.">
      <div className="row">
        <button type="button" className="btn btn-small" onClick={list.reload} disabled={list.loading}>Refresh</button>
      </div>
      <ProblemBanner error={list.error} />
      <TableState loading={list.loading} error={list.error} empty={items.length === 0} what="interactions" />
      {items.length > 0 && (
        <div className="table-wrap">
          <table className="table" data-testid="interactions-table">
            <thead>
              <tr><th>Interaction</th><th>State</th><th>Channels</th><th>Subject</th><th>Customer</th><th>Started</th><th>Updated</th></tr>
            </thead>
            <tbody>
              {items.map((it) => (
                <tr key={it.id}>
                  <td className="mono">{it.id}</td>
                  <td><span className={`pill ${it.state === 'open' ? 'pill-ok' : 'pill-muted'}`}>{it.state}</span></td>
                  <td>{it.channels.map((c) => <span key={c} className="pill">{c}</span>)}</td>
                  <td>{it.subject ?? '—'}</td>
                  <td className="mono">{it.customerId ?? '—'}</td>
                  <td>{formatDateTime(it.createdAt)}</td>
                  <td>{formatDateTime(it.updatedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Section>
  );
}
