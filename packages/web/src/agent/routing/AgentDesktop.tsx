import { useAuth } from '../../shared/auth';
import { ProblemBanner } from '../../shared/ProblemBanner';
import './agent-desktop.css';
import { OfferCard } from './OfferCard';
import { PresenceSwitcher } from './PresenceSwitcher';
import { useAgentWork } from './use-agent-work';
import { WorkItemCard } from './WorkItemCard';

/** The agent's routed work: presence, incoming offers, and the items being handled side by side. */
export function AgentDesktop() {
  const { user } = useAuth();
  const work = useAgentWork(user.id);
  const agent = work.agent;

  return (
    <section className="agent-desktop stack" aria-label="Routed work" data-testid="agent-desktop">
      <div className="desk-bar">
        {agent && <PresenceSwitcher agent={agent} onChanged={work.reload} />}
        {agent && (
          <span className="load" data-testid="agent-load" data-text-load={agent.textLoad} data-limit={agent.limit}>
            Text load <strong>{agent.textLoad}</strong> / {agent.limit} · Calls <strong>{agent.mediaCount}</strong>
          </span>
        )}
        <span className={`status ${work.live ? 'status-live' : 'status-reconnecting'} push-right`}>{work.live ? 'Live' : 'Connecting…'}</span>
      </div>
      <ProblemBanner error={work.error} />
      {work.offers.length > 0 && (
        <div className="offers" aria-label="Incoming offers" data-testid="offers">
          {work.offers.map((o) => (
            <OfferCard key={o.id} item={o} queue={work.queues.get(o.queueId)} onDone={work.reload} />
          ))}
        </div>
      )}
      {work.assigned.length === 0 ? (
        <p className="empty" data-testid="no-work">
          {agent?.presence === 'available' ? 'Waiting for work… offers appear here.' : 'Set yourself Available to receive work.'}
        </p>
      ) : (
        <div className="work-grid" data-testid="work-grid">
          {work.assigned.map((it) => (
            <WorkItemCard key={it.id} item={it} queue={work.queues.get(it.queueId)} onChatEvent={work.onChatEvent} onDone={work.reload} />
          ))}
        </div>
      )}
    </section>
  );
}
