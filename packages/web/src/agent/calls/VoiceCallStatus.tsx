import type { WorkItem } from '@callsight/sdk';
import { useLiveCall } from './live-call';

const STATE_TEXT = { new: 'Connecting…', ringing: 'Connecting your phone…', answered: 'On the call', held: 'On hold', ended: 'Call ended' } as const;

/** In a voice work card: whether this item's call is the one on the agent's softphone, and its state. */
export function VoiceCallStatus({ item }: { item: WorkItem }) {
  const live = useLiveCall();
  if (!live || live.interactionId !== item.interactionId) {
    return <p className="muted small" data-testid="voice-call" data-state="waiting">Connecting the caller to your phone…</p>;
  }
  return (
    <p className="row" data-testid="voice-call" data-state={live.state} data-call-id={live.callId}>
      <span className={`status ${live.state === 'answered' ? 'status-live' : ''}`}>{STATE_TEXT[live.state]}</span>
    </p>
  );
}
