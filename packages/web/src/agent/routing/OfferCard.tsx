import { useState } from 'react';
import { useToast } from '../../shared/Toasts';
import { useSecondsLeft } from './PresenceSwitcher';
import type { Queue, WorkItem } from '@callsight/sdk';
import { client } from '../../shared/api';
import { formatPhone } from '../../shared/format';
import { useExpectCall } from '../calls/live-call';
import { CHANNEL_LABEL, customerLabel } from './work-labels';

/** An incoming offer: who and why, a countdown to its expiry, accept (a call connects at once) or reject. */
export function OfferCard({ item, queue, onDone, onAccepted }: { item: WorkItem; queue: Queue | undefined; onDone: () => void; onAccepted?: () => void }) {
  const toast = useToast();
  const expectCall = useExpectCall();
  const [busy, setBusy] = useState(false);
  const left = useSecondsLeft(item.offerExpiresAt);
  const total = queue?.acceptTimeoutSeconds ?? 20;
  const c = item.context;
  const name = customerLabel(item);
  const number = typeof c.callerNumber === 'string' && c.callerNumber !== name ? formatPhone(c.callerNumber) : null;

  async function act(kind: 'accept' | 'reject') {
    setBusy(true);
    // A call rings the agent's softphone as soon as routing assigns it: answer it then, without a second click.
    if (kind === 'accept' && (item.channel === 'voice' || item.channel === 'video')) expectCall(item.interactionId);
    try {
      await client.work[kind](item.id);
      if (kind === 'accept') onAccepted?.();
    } catch (err) {
      toast.error(err);
    } finally {
      setBusy(false);
      onDone();
    }
  }

  return (
    <article className={`offer channel-${item.channel}`} data-testid="offer" data-item-id={item.id} data-channel={item.channel} aria-label={`${CHANNEL_LABEL[item.channel]} offer from ${name}`}>
      <div className="offer-main">
        <span className="pill">{CHANNEL_LABEL[item.channel]}</span>
        <strong data-testid="offer-name">{name}</strong>
        {number && <span className="small">{number}</span>}
        {typeof c.brand === 'string' && <span className="pill pill-ok small">Verified · {c.brand}</span>}
      </div>
      <p className="offer-why small" data-testid="offer-reason">
        {queue?.name ?? 'Queue'}
        {typeof c.subject === 'string' ? ` · ${c.subject}` : ''}
      </p>
      <div className="offer-foot">
        <div className="offer-timer">
          <span className="offer-seconds" data-testid="offer-countdown">{left ?? '–'}s</span>
          <progress max={Math.max(total, left ?? 0)} value={left ?? 0} aria-label="Time left to accept" />
        </div>
        <button type="button" className="btn btn-primary btn-small" disabled={busy} onClick={() => void act('accept')} data-testid="offer-accept">Accept</button>
        <button type="button" className="btn btn-small" disabled={busy} onClick={() => void act('reject')} data-testid="offer-reject">Reject</button>
      </div>
    </article>
  );
}
