import type { CallsightEvent } from '@callsight/sdk';
import { useState, type FormEvent } from 'react';
import { useToast } from '../../shared/Toasts';
import { VoiceCallStatus } from '../calls/VoiceCallStatus';
import { ChatWork } from './ChatWork';
import { SmsWork } from './SmsWork';
import type { Queue, WorkItem } from '@callsight/sdk';
import { client } from '../../shared/api';
import { CHANNEL_LABEL } from './work-labels';
import { customerLabel } from './work-labels';

/** One accepted work item: its channel view, the customer's timeline on demand, and wrap-up. */
export function WorkItemCard({ item, queue, onChatEvent, onDone }: { item: WorkItem; queue: Queue | undefined; onChatEvent: (l: (e: CallsightEvent) => void) => () => void; onDone: () => void }) {
  const toast = useToast();
  // A call is finished by hanging up; its wrap-up form follows (desk/WrapUpForm).
  const isCall = item.channel === 'voice' || item.channel === 'video';
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const conversationId = typeof item.context.conversationId === 'string' ? item.context.conversationId : null;
  const codes = queue?.wrapUpCodes ?? [];

  async function complete(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    try {
      await client.work.complete(item.id, code || null);
      onDone();
    } catch (err) {
      toast.error(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <article className={`work-card card channel-${item.channel}`} data-testid="work-card" data-item-id={item.id} data-channel={item.channel}>
      <header className="work-head">
        <span className="pill">{CHANNEL_LABEL[item.channel]}</span>
        <strong className="grow">{customerLabel(item)}</strong>
        <span className="muted small">{queue?.name}</span>
      </header>
      {item.channel === 'chat' && conversationId ? (
        <ChatWork conversationId={conversationId} onChatEvent={onChatEvent} />
      ) : item.channel === 'sms' ? (
        <SmsWork item={item} onChatEvent={onChatEvent} />
      ) : item.channel === 'voice' || item.channel === 'video' ? (
        <VoiceCallStatus item={item} />
      ) : (
        <p className="muted">{typeof item.context.subject === 'string' ? item.context.subject : 'Reply from your email client; complete it here when done.'}</p>
      )}
      {isCall ? null : (
      <form className="wrap-up row" onSubmit={complete} aria-label="Finish this conversation">
        <select value={code} onChange={(e) => setCode(e.target.value)} aria-label="Wrap-up code" data-testid="wrap-up-code">
          <option value="">{codes.length ? 'Wrap-up code…' : 'No wrap-up codes in this queue'}</option>
          {codes.map((c) => (
            <option key={c} value={c}>{c}</option>
          ))}
        </select>
        <button type="submit" className="btn" disabled={busy} data-testid="work-complete">Complete</button>
      </form>
      )}
    </article>
  );
}
