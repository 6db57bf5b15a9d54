import type { CallsightEvent } from '@callsight/sdk';
import { useAuth } from '../../shared/auth';
import { AgentSoftphone } from '../calls/live-call';
import { ConfirmPanel } from '../cards/ConfirmPanel';
import { WorkItemCard } from '../routing/WorkItemCard';
import { CHANNEL_LABEL } from '../routing/work-labels';
import { CallTools } from './CallTools';
import { DESK_PANELS } from './desk-panels';
import { Elapsed } from './Elapsed';
import type { Desk, DeskRow } from './use-desk';
import { WrapUpForm } from './WrapUpForm';

/**
 * The centre pane: the phone (always mounted — calls ring on it), then the selected
 * work: its call tools or chat/SMS thread, its wrap-up, and the cards pushed to the customer.
 */
export function Conversation({ desk, row, onChatEvent }: { desk: Desk; row: DeskRow | null; onChatEvent: (l: (e: CallsightEvent) => void) => () => void }) {
  const { user } = useAuth();
  const voice = row?.items.find((i) => i.channel === 'voice' || i.channel === 'video');
  const customerCall = typeof voice?.context.callId === 'string' && row?.onCall ? voice.context.callId : null;
  return (
    <div className="desk-conversation">
      <h1 className="sr-only">Agent desktop</h1>
      <div className="desk-callbar">
        <AgentSoftphone />
        {customerCall && <CallTools callId={customerCall} selfId={user.id} />}
      </div>
      {!row ? (
        <div className="card desk-placeholder" data-testid="no-selection">
          <h2>Nothing selected</h2>
          <p className="muted">
            {desk.offers.length ? 'Accept an offer on the left to start working on it.' : 'Pick a conversation on the left, or dial a number above. New work arrives as offers on the left.'}
          </p>
        </div>
      ) : (
        <section className="stack" aria-labelledby="conv-title" data-testid="conversation" data-interaction-id={row.interactionId}>
          <header className="desk-conv-head">
            <h2 id="conv-title" className="grow">{row.name}</h2>
            {row.items.map((i) => (
              <span key={i.id} className="pill">{CHANNEL_LABEL[i.channel]}</span>
            ))}
            {row.mine && <span className="muted small">for <Elapsed since={row.since} /></span>}
          </header>
          {row.wrapUp && <WrapUpForm wrapUp={row.wrapUp} queueName={desk.queues.get(row.wrapUp.queueId)?.name} onDone={desk.reload} />}
          {row.items.map((it) => (
            <WorkItemCard key={it.id} item={it} queue={desk.queues.get(it.queueId)} onChatEvent={onChatEvent} onDone={desk.reload} />
          ))}
          {DESK_PANELS.filter((p) => p.pane === 'conversation').map((p) => (
            <p.Component key={p.id} row={row} />
          ))}
          <ConfirmPanel key={row.interactionId} interactionId={row.interactionId} hideConfirmed />
        </section>
      )}
    </div>
  );
}
