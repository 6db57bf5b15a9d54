import { useEffect, useState } from 'react';
import { client } from '../../shared/api';
import { ProblemBanner } from '../../shared/ProblemBanner';
import { useToast } from '../../shared/Toasts';
import type { AgentRouting, QueueStats, WorkItem } from '@callsight/sdk';
import { CHANNEL_LABEL } from '../../agent/routing/work-labels';
import { Section } from '../Section';

interface Live {
  queues: QueueStats[];
  agents: AgentRouting[];
  items: WorkItem[];
  time: number;
}

const seconds = (ms: number) => `${Math.round(ms / 1000)}s`;

/** Live queues, agents and open items; refreshed on every routing event and every few seconds (waits grow). */
export function RoutingSection() {
  const toast = useToast();
  const [live, setLive] = useState<Live | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    let current = true;
    let pending = false;
    const load = async () => {
      if (pending) return;
      pending = true;
      try {
        const [stats, agents, items] = await Promise.all([client.queues.stats(), client.work.agents(), client.work.list({ state: 'open' })]);
        if (current) {
          setLive({ queues: stats.queues, agents: agents.items, items: items.items, time: stats.time });
          setError(null);
        }
      } catch (err) {
        if (current) setError(err);
      } finally {
        pending = false;
      }
    };
    void load();
    const timer = setInterval(load, 3000);
    const stream = client.realtime({ types: ['routing.'] });
    stream.on('event', () => void load());
    return () => {
      current = false;
      clearInterval(timer);
      stream.close();
    };
  }, []);

  const names = new Map((live?.agents ?? []).map((a) => [a.userId, a.name]));
  const queueName = new Map((live?.queues ?? []).map((q) => [q.queueId, q.name]));

  async function reassign(item: WorkItem, agentId: string) {
    try {
      await client.work.reassign(item.id, agentId);
      toast.success(`Given to ${names.get(agentId)}`);
    } catch (err) {
      toast.error(err);
    }
  }

  return (
    <Section id="routing" title="Routing" description="Queues, agents and work in progress, live.">
      <ProblemBanner error={error} />
      <div className="table-wrap">
        <table className="table table-cards" data-testid="queue-stats">
          <thead><tr><th>Queue</th><th>Waiting</th><th>Longest wait</th><th>Answered (1 h)</th><th>Within SLA</th></tr></thead>
          <tbody>
            {(live?.queues ?? []).map((q) => (
              <tr key={q.queueId} data-testid="queue-row" data-queue={q.name}>
                <td data-card-title><strong>{q.name}</strong></td>
                <td data-label="Waiting" data-testid="queue-waiting">{q.waiting}</td>
                <td data-label="Longest wait">{q.waiting ? seconds(q.longestWaitMs) : '—'}</td>
                <td data-label="Answered (1 h)">{q.answered}</td>
                <td data-label="Within SLA">{q.slaPercent == null ? '—' : <span className={`pill ${q.slaPercent >= 80 ? 'pill-ok' : 'pill-bad'}`}>{q.slaPercent}%</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h2>Agents</h2>
      <div className="table-wrap">
        <table className="table table-cards" data-testid="agent-table">
          <thead><tr><th>Agent</th><th>Presence</th><th>Text load</th><th>Calls</th><th>Skills</th></tr></thead>
          <tbody>
            {(live?.agents ?? []).map((a) => (
              <tr key={a.userId} data-testid="agent-row" data-email={a.email}>
                <td data-card-title>{a.name}<div className="muted small">{a.email}</div></td>
                <td data-label="Presence"><span className={`pill ${a.presence === 'available' ? 'pill-ok' : 'pill-muted'}`} data-testid="agent-presence">{a.presence}</span></td>
                <td data-label="Text load">{a.textLoad} / {a.limit}</td>
                <td data-label="Calls">{a.mediaCount}</td>
                <td data-label="Skills">{Object.entries(a.skills).map(([s, l]) => <span key={s} className="pill">{s} {l}</span>)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h2>Open work</h2>
      {(live?.items ?? []).length === 0 ? (
        <p className="empty">Nothing waiting or in progress.</p>
      ) : (
        <div className="table-wrap">
          <table className="table table-cards" data-testid="item-table">
            <thead><tr><th>Item</th><th>Queue</th><th>State</th><th>Agent</th><th>Waiting since</th><th className="actions">Reassign</th></tr></thead>
            <tbody>
              {live!.items.map((it) => (
                <tr key={it.id} data-testid="item-row" data-item-id={it.id}>
                  <td data-card-title><span className="pill">{CHANNEL_LABEL[it.channel]}</span> <span className="mono small">{it.id.slice(-8)}</span></td>
                  <td data-label="Queue">{queueName.get(it.queueId) ?? '—'}</td>
                  <td data-label="State">{it.state}</td>
                  <td data-label="Agent">{it.agentId ? names.get(it.agentId) ?? it.agentId : '—'}</td>
                  <td data-label="Waiting since">{seconds(live!.time - it.enqueuedAt)}</td>
                  <td className="actions">
                    <select aria-label="Give to agent" value="" onChange={(e) => e.target.value && void reassign(it, e.target.value)} data-testid="reassign">
                      <option value="">Give to…</option>
                      {live!.agents.filter((a) => a.userId !== it.agentId).map((a) => (
                        <option key={a.userId} value={a.userId}>{a.name}</option>
                      ))}
                    </select>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Section>
  );
}
