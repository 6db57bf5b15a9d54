import { useState } from 'react';
import { useToast } from '../../shared/Toasts';
import { useSecondsLeft } from './PresenceSwitcher';
import { CHANNEL_LABEL, routingApi, type Queue, type WorkItem } from './routing-api';
import { customerLabel } from './work-labels';

/** An incoming offer: what it is, a countdown to its expiry, accept or reject. */
export function OfferCard({ item, queue, onDone }: { item: WorkItem; queue: Queue | undefined; onDone: () => void }) {
  const toast = useToast();
  const [busy, setBusy] = useState(false);
  const left = useSecondsLeft(item.offerExpiresAt);
  const total = queue?.acceptTimeoutSeconds ?? 20;

  async function act(kind: 'accept' | 'reject') {
    setBusy(true);
    try {
      await routingApi[kind](item.id);
    } catch (err) {
      toast.error(err);
    } finally {
      setBusy(false);
      onDone();
    }
  }

  return (
    <article className={`offer channel-${item.channel}`} data-testid="offer" data-item-id={item.id} data-channel={item.channel} aria-label={`${CHANNEL_LABEL[item.channel]} offer`}>
      <div className="offer-main">
        <span className="pill">{CHANNEL_LABEL[item.channel]}</span>
        <strong>{customerLabel(item)}</strong>
        <span className="muted small">{queue?.name ?? 'queue'}{item.context.subject ? ` · ${String(item.context.subject)}` : ''}</span>
      </div>
      <div className="offer-timer" aria-live="off">
        <span className="offer-seconds" data-testid="offer-countdown">{left ?? '–'}s</span>
        <progress max={Math.max(total, left ?? 0)} value={left ?? 0} aria-label="Time left to accept" />
      </div>
      <div className="row">
        <button type="button" className="btn btn-primary" disabled={busy} onClick={() => void act('accept')} data-testid="offer-accept">Accept</button>
        <button type="button" className="btn" disabled={busy} onClick={() => void act('reject')} data-testid="offer-reject">Reject</button>
      </div>
    </article>
  );
}
