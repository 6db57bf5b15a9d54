import type { Consult } from '@callsight/sdk';
import { useCallback, useEffect, useState } from 'react';
import { client } from '../../shared/api';
import { formatPhone, partyName } from '../../shared/format';
import { ProblemBanner } from '../../shared/ProblemBanner';
import { useToast } from '../../shared/Toasts';

/** Who the agent is consulting, as people say it: the colleague's name (with their queue), the queue while it finds someone, else the number. */
export const consultTarget = (c: Consult) =>
  c.targetName ? (c.queueName ? `${c.targetName} (${c.queueName})` : c.targetName) : c.queueName ? `the ${c.queueName} queue` : formatPhone(partyName(c.to));

const RANK: Record<Consult['state'], number> = { queued: 0, ringing: 1, consulting: 2, conference: 3 };
/** Exact types: a prefix only matches whole dot segments, so "desk.consult_" would match nothing. */
const CONSULT_EVENTS = ['desk.consult_started', 'desk.consult_ringing', 'desk.consult_connected', 'desk.conference_started', 'desk.consult_ended'];

/**
 * The consult under way on the customer's call, kept live from the desk events (null when
 * there is none). An answer can come back after the event that overtook it (the colleague
 * picked up before the POST returned), so a consult never steps back to an earlier state.
 */
export function useConsult(callId: string): [Consult | null, (c: Consult | null) => void] {
  const [consult, setConsult] = useState<Consult | null>(null);
  const update = useCallback((next: Consult | null) => {
    setConsult((prev) => (next && prev && prev.callId === next.callId && prev.to === next.to && RANK[prev.state] > RANK[next.state] ? prev : next));
  }, []);
  useEffect(() => {
    let current = true;
    client.desk.getConsult(callId).then((r) => current && update(r.consult), () => {});
    const stream = client.realtime({ types: CONSULT_EVENTS });
    stream.on('event', (e) => {
      const data = e.data as Consult;
      if (data.callId !== callId) return;
      if (e.type === 'desk.consult_ended') setConsult(null);
      else update(data);
    });
    return () => {
      current = false;
      stream.close();
    };
  }, [callId, update]);
  return [consult, update];
}

const STATUS: Record<Consult['state'], (who: string, c: Consult) => string> = {
  queued: (who) => `Waiting for an agent of ${who}… The caller is on hold.`,
  ringing: (who, c) => (c.mode === 'conference' ? `Calling ${who} to join you… You and the caller can go on talking.` : `Calling ${who}… The caller is on hold.`),
  consulting: (who) => `You are talking to ${who}. The caller is on hold and hears neither of you.`,
  conference: (who) => `You, ${who} and the caller all hear each other.`,
};

/**
 * A warm transfer under way: complete it (the caller and the colleague are connected
 * and you leave), bring everyone together, or go back to the caller.
 */
export function ConsultPanel({ consult, onChange }: { consult: Consult; onChange: (c: Consult | null) => void }) {
  const toast = useToast();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const who = consultTarget(consult);
  const answered = consult.state === 'consulting' || consult.state === 'conference';

  async function act(run: () => Promise<Consult | null>, done?: string) {
    setBusy(true);
    setError(null);
    try {
      onChange(await run());
      if (done) toast.success(done);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="card stack consult-panel" aria-labelledby="consult-title" aria-live="polite" data-testid="consult-panel" data-state={consult.state}>
      <h2 id="consult-title">{consult.state === 'conference' ? 'Conference' : 'Consult'}</h2>
      <p data-testid="consult-status">{STATUS[consult.state](who, consult)}</p>
      <ProblemBanner error={error} />
      <div className="consult-actions">
        <button
          type="button"
          className="btn btn-primary"
          disabled={busy || !answered}
          onClick={() => void act(async () => (await client.desk.completeTransfer(consult.callId), null), `The caller is now with ${who}`)}
          data-testid="consult-complete"
        >
          Complete transfer
        </button>
        {consult.state === 'consulting' && (
          <button type="button" className="btn" disabled={busy} onClick={() => void act(() => client.desk.conference(consult.callId))} data-testid="consult-conference">
            Conference all three
          </button>
        )}
        <button type="button" className="btn btn-danger" disabled={busy} onClick={() => void act(async () => (await client.desk.cancelConsult(consult.callId), null), 'Back with the caller')} data-testid="consult-cancel">
          {answered ? `Drop ${who}, back to the caller` : 'Cancel, back to the caller'}
        </button>
      </div>
    </section>
  );
}
