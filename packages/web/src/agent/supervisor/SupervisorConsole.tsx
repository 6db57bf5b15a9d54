import type { PhoneCall } from '@callsight/sdk';
import { useCallback, useRef } from 'react';
import { useAuth } from '../../shared/auth';
import { ProblemBanner } from '../../shared/ProblemBanner';
import { AppSoftphone } from '../../shared/softphone/AppSoftphone';
import { AgentBoard } from './AgentBoard';
import { QueueBoard } from './QueueBoard';
import { Reports } from './Reports';
import { useWallboard } from './use-wallboard';

/** After pressing Monitor, Whisper or Barge, the call that rings within this long is answered by itself. */
const EXPECT_MS = 30_000;

/**
 * The supervisor console: the live wallboard (queues and agents), Monitor, Whisper and
 * Barge on agents' calls through the supervisor's own softphone, and reports.
 */
export function SupervisorConsole() {
  const { user } = useAuth();
  const { board, error, live } = useWallboard();
  const expecting = useRef(0);
  const onSupervise = useCallback(() => void (expecting.current = Date.now()), []);
  // The supervise call rings from "supervise": answered at once, as the click asked for it.
  const autoAnswer = useCallback((c: PhoneCall) => {
    const asked = Date.now() - expecting.current < EXPECT_MS && c.remote.number === 'supervise';
    if (asked) expecting.current = 0;
    return asked;
  }, []);

  return (
    <main className="page wb" aria-label="Supervisor console">
      <h1 className="sr-only">Supervisor console</h1>
      <div className="wb-top">
        <section className="stack grow" aria-labelledby="queues-title">
          <div className="section-head">
            <h2 id="queues-title">Queues</h2>
            <span className={`status ${live ? 'status-live' : 'status-reconnecting'}`}>{live ? 'Live' : 'Reconnecting…'}</span>
          </div>
          <ProblemBanner error={error} />
          {board ? <QueueBoard queues={board.queues} /> : <p className="muted">Loading the wallboard…</p>}
        </section>
        <aside className="wb-phone" aria-label="Your line">
          <AppSoftphone title="Your line" autoAnswer={autoAnswer} />
          <p className="small muted">Monitor, Whisper and Barge ring this line and join as it answers. Hang up to leave.</p>
        </aside>
      </div>
      <section className="stack" aria-labelledby="agents-title">
        <h2 id="agents-title">Agents</h2>
        {board && <AgentBoard agents={board.agents} queues={board.queues} me={user.id} onSupervise={onSupervise} />}
      </section>
      <Reports />
    </main>
  );
}
