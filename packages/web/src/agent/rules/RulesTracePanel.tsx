import type { RuleTraceEntry } from '@callsight/sdk';
import { useEffect } from 'react';
import { OUTCOME } from '../../shared/rule-outcomes';
import { client } from '../../shared/api';
import { formatTime } from '../../shared/format';
import { useResource } from '../../shared/use-resource';
import type { DeskRow } from '../desk/use-desk';

const SHOWN: RuleTraceEntry['outcome'][] = ['fired', 'shadow_fired', 'loop_stopped'];

/** Did this firing change this contact? Its effect's interaction, else (no effect) the event's own. */
const touches = (t: RuleTraceEntry, interactionId: string) => (t.actedOn ?? t.interactionId) === interactionId;

/** Which rules changed the selected contact, what they did and why — live as they act. */
export function RulesTracePanel({ row }: { row: DeskRow }) {
  const id = row.interactionId;
  const trace = useResource(() => client.rules.trace({ interactionId: id, limit: 200 }));
  useEffect(() => {
    const s = client.realtime({ types: ['rules.'] });
    s.on('event', (e) => e.interactionId === id && trace.reload());
    return () => s.close();
  }, [id, trace.reload]);
  const items = (trace.data?.items ?? []).filter((t) => SHOWN.includes(t.outcome) && touches(t, id)).reverse();
  if (items.length === 0) return null;
  return (
    <section className="card stack rules-trace" aria-labelledby="rules-trace-title" data-testid="rules-trace">
      <h2 id="rules-trace-title">Rules on this contact</h2>
      <ol className="rules-trace-list">
        {items.map((t) => (
          <li key={t.id} data-testid="rules-trace-entry" data-outcome={t.outcome}>
            <div className="row">
              <strong className="grow">{t.ruleName}</strong>
              <span className={`pill pill-${OUTCOME[t.outcome].tone}`}>{OUTCOME[t.outcome].label}</span>
              <time className="muted small" dateTime={new Date(t.time).toISOString()}>{formatTime(t.time)}</time>
            </div>
            {t.actions.map((a, i) => (
              <p key={i} className={a.kind === 'whisper' ? 'rules-whisper' : 'rules-did'} data-testid={`rules-trace-${a.kind}`}>
                {a.status === 'failed' ? `Could not act: ${a.detail}` : a.detail.replace(/^./, (c) => c.toUpperCase())}
              </p>
            ))}
            {t.actions.length === 0 && t.outcome === 'fired' && <p className="muted small">Acting…</p>}
            <p className="muted small">
              Because of <span className="mono">{t.eventType}</span>
              {t.interactionId !== id ? ' in another channel' : ''}: {t.reason}.
            </p>
          </li>
        ))}
      </ol>
    </section>
  );
}
