import type { RuleTraceEntry } from '@callsight/sdk';
import { useEffect } from 'react';
import { client } from '../../shared/api';
import { formatDateTime } from '../../shared/format';
import { ProblemBanner } from '../../shared/ProblemBanner';
import { useResource } from '../../shared/use-resource';
import { OUTCOME } from '../../shared/rule-outcomes';
import { useCustomerNames } from './use-customer-names';

const SHOWN = 30;

/** A rule's recent evaluations, live: what it did, why, and how long it took. */
export function RuleFirings({ ruleId }: { ruleId: string }) {
  const trace = useResource(() => client.rules.trace({ ruleId, limit: SHOWN }));
  const names = useCustomerNames();
  useEffect(() => {
    const s = client.realtime({ types: ['rules.fired', 'rules.acted', 'rules.loop.stopped'] });
    s.on('event', (e) => (e.data as { ruleId?: string }).ruleId === ruleId && trace.reload());
    return () => s.close();
  }, [ruleId, trace.reload]);
  const items: RuleTraceEntry[] = [...(trace.data?.items ?? [])].reverse();
  return (
    <div className="stack rule-firings" data-testid="rule-firings">
      <div className="row">
        <strong className="grow">Recent activity <span className="live-dot" aria-hidden="true" /></strong>
        <button type="button" className="btn btn-small btn-ghost" onClick={trace.reload}>Refresh</button>
      </div>
      <ProblemBanner error={trace.error} />
      {items.length === 0 && !trace.loading && <p className="empty">Nothing yet: events this rule looks at will show here as they arrive.</p>}
      {items.length > 0 && (
        <ol className="rule-hit-list">
          {items.map((t) => (
            <li key={t.id} data-testid="rule-firing" data-outcome={t.outcome}>
              <time dateTime={new Date(t.time).toISOString()}>{formatDateTime(t.time)}</time>
              <span className={`pill pill-${OUTCOME[t.outcome].tone}`}>{OUTCOME[t.outcome].label}</span>
              <span>
                {t.eventType}
                {t.customerId ? ` · ${names.get(t.customerId) ?? 'a customer'}` : ''}
              </span>
              <span className="muted">
                {t.actions.length ? t.actions.map((a) => a.detail).join('; ') : t.reason}
                {' · '}
                {t.latencyUs < 1000 ? `${t.latencyUs} µs` : `${(t.latencyUs / 1000).toFixed(1)} ms`}
              </span>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
