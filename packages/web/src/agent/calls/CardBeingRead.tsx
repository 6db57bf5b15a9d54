import { BRAND_NAMES, type EventMap } from '@callsight/sdk';
import { useEffect, useState } from 'react';
import { client } from '../../shared/api';
import { ProblemBanner } from '../../shared/ProblemBanner';
import './card-being-read.css';

type Speaking = EventMap['vault.card.speaking'];

/**
 * While the customer has callsight read a saved card into this call: "card being
 * read: Visa •••• 1234" (never more of the number), and a button to hear the last
 * group again. Goes away when the reading ends.
 */
export function CardBeingRead({ callId }: { callId: string | null }) {
  const [speaking, setSpeaking] = useState<(Speaking & { done: boolean }) | null>(null);
  const [problem, setProblem] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!callId) return;
    const stream = client.realtime({ types: ['vault.card.'] });
    stream.on('event', (e) => {
      if (e.type === 'vault.card.speaking' && (e.data.callId === callId || e.data.otherCallId === callId)) setSpeaking({ ...e.data, done: false });
      if (e.type === 'vault.card.spoken' && (e.data.callId === callId || e.data.otherCallId === callId)) setSpeaking((s) => (s && s.speakId === e.data.speakId ? { ...s, done: true } : s));
    });
    return () => stream.close();
  }, [callId]);
  useEffect(() => setSpeaking(null), [callId]);

  if (!callId || !speaking) return null;
  const label = `${BRAND_NAMES[speaking.brand]} •••• ${speaking.last4}`;

  async function repeat() {
    if (!speaking) return;
    setBusy(true);
    setProblem(null);
    try {
      await client.vault.repeatLastGroup(speaking.speakId);
    } catch (err) {
      setProblem(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className={`card card-being-read${speaking.done ? ' is-done' : ''}`} aria-live="polite" data-testid="card-being-read" data-state={speaking.done ? 'done' : 'reading'}>
      <div className="row wrap">
        <span className={`status ${speaking.done ? '' : 'status-live'}`}>{speaking.done ? 'Finished' : 'Reading now'}</span>
        <strong className="grow" data-testid="card-being-read-label">
          {speaking.done ? `Card read: ${label}` : `Card being read: ${label}`}
        </strong>
        <button type="button" className="btn btn-small" onClick={() => void repeat()} disabled={busy || !speaking.done} data-testid="repeat-last-group">
          Repeat last group
        </button>
      </div>
      <p className="muted small">You hear the digits; they are not shown here and the recording leaves them out.</p>
      <ProblemBanner error={problem} />
    </section>
  );
}
