import type { SuperviseMode, WallboardAgent, WallboardQueue, WallboardWork } from '@callsight/sdk';
import { client } from '../../shared/api';
import { partyName } from '../../shared/format';
import { ProblemBanner } from '../../shared/ProblemBanner';
import { useAction } from '../../shared/use-action';
import { Elapsed } from '../desk/Elapsed';
import { presenceText } from '../../shared/messages';
import { CHANNEL_LABEL } from '../routing/work-labels';
import { ReassignWork } from './ReassignWork';

const PILL: Record<string, string> = { available: 'pill-ok', 'wrap-up': 'pill-warn', away: 'pill-muted', offline: 'pill-muted' };

export const MODES: { mode: SuperviseMode; label: string; hint: string }[] = [
  { mode: 'monitor', label: 'Monitor', hint: 'Listen: nobody hears you' },
  { mode: 'whisper', label: 'Whisper', hint: 'Talk to the agent only' },
  { mode: 'barge', label: 'Barge', hint: 'Join: the customer and the agent hear you' },
];

/**
 * Agents with their state, how long they have been in it and what they hold; on a
 * call, Monitor, Whisper and Barge ring the supervisor's phone and join on answer; any
 * work can be moved to another agent or queue.
 */
export function AgentBoard({ agents, queues, me, onSupervise }: { agents: WallboardAgent[]; queues: WallboardQueue[]; me: string; onSupervise: () => void }) {
  const action = useAction();
  if (agents.length === 0) return <p className="empty">No agents yet. Add people with the agent role in the admin console.</p>;
  const go = (w: WallboardWork, mode: SuperviseMode | null) =>
    action.run(async () => {
      if (mode) {
        onSupervise();
        await client.desk.supervise(w.callId!, mode);
      } else await client.desk.stopSupervising(w.callId!);
    });
  return (
    <div className="stack">
      <ProblemBanner error={action.error} />
      <ul className="wb-agents" aria-label="Agents">
        {agents.map((a) => {
          const pill = PILL[a.presence] ?? PILL.offline;
          return (
            <li key={a.userId} className="card wb-agent" data-testid="wb-agent" data-agent={a.name}>
              <div className="wb-agent-head">
                <strong className="grow">{a.name}</strong>
                <span className={`pill ${a.work.length ? 'pill-warn' : pill}`}>{a.work.length ? 'Busy' : presenceText(a.presence)}</span>
                <Elapsed since={a.since} label={`In this state for`} />
              </div>
              {a.work.length === 0 ? (
                <p className="small muted">{a.presence === 'available' ? 'Waiting for work' : 'Not taking work'}</p>
              ) : (
                <ul className="wb-work">
                  {a.work.map((w) => {
                    const on = w.supervision;
                    const mine = on?.supervisorId === me;
                    return (
                      <li key={w.itemId} className="wb-work-item">
                        <div className="wb-work-line">
                          <span className="pill">{CHANNEL_LABEL[w.channel]}</span>
                          <span className="grow">
                            {partyName(w.customer)} <span className="muted small">· {w.queueName}</span>
                          </span>
                          <Elapsed since={w.since} />
                        </div>
                        {w.callId && (
                          <div className="wb-supervise" role="group" aria-label={`Supervise ${a.name}’s call`}>
                            {on && !mine ? (
                              <span className="small muted">Another supervisor is on this call</span>
                            ) : (
                              <>
                                {MODES.map((m) => (
                                  <button
                                    key={m.mode}
                                    type="button"
                                    className={`btn btn-small ${mine && on?.mode === m.mode ? 'btn-primary' : ''}`}
                                    aria-pressed={mine && on?.mode === m.mode}
                                    title={m.hint}
                                    disabled={action.busy}
                                    onClick={() => void go(w, m.mode)}
                                    data-testid={`supervise-${m.mode}`}
                                  >
                                    {m.label}
                                  </button>
                                ))}
                                {mine && (
                                  <button type="button" className="btn btn-small btn-ghost" onClick={() => void go(w, null)} disabled={action.busy} data-testid="supervise-leave">
                                    Leave
                                  </button>
                                )}
                              </>
                            )}
                          </div>
                        )}
                        <ReassignWork work={w} holder={a} agents={agents} queues={queues} />
                      </li>
                    );
                  })}
                </ul>
              )}
            </li>
          );
        })}
      </ul>
    </div>
  );
}
