import type { CallsightEvent } from '@callsight/sdk';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { ProblemBanner } from '../../shared/ProblemBanner';
import { formatTime } from '../../shared/format';
import type { SmsMessage, WorkItem } from '@callsight/sdk';
import { client } from '../../shared/api';
import { mergeById } from '../../shared/merge-by-id';

/**
 * An SMS conversation as a thread: the customer's texts (live, from `sms.received`)
 * and the agent's replies, sent from the number the customer texted.
 */
export function SmsWork({ item, onChatEvent }: { item: WorkItem; onChatEvent: (l: (e: CallsightEvent) => void) => () => void }) {
  const peer = String(item.context.from ?? '');
  const own = String(item.context.to ?? '');
  const [messages, setMessages] = useState<SmsMessage[]>([]);
  const [draft, setDraft] = useState('');
  const [error, setError] = useState<unknown>(null);
  const log = useRef<HTMLOListElement>(null);

  useEffect(() => {
    client.sms.thread(item.interactionId).then((r) => setMessages((live) => mergeById(r.items, live)), setError);
    return onChatEvent((e) => {
      if (e.type !== 'sms.received') return;
      // Published before the message joins the interaction: match the thread by its two numbers.
      const d = e.data as { messageId: string; from: string; to: string; text: string };
      if (d.from !== peer || d.to !== own) return;
      setMessages((list) => mergeById(list, [{ id: d.messageId, direction: 'inbound', peer, ownNumber: own, text: d.text, status: 'received', createdAt: e.time }]));
    });
  }, [item.interactionId, peer, own, onChatEvent]);

  useEffect(() => {
    log.current?.scrollTo({ top: log.current.scrollHeight });
  }, [messages]);

  async function send(e: FormEvent) {
    e.preventDefault();
    const text = draft.trim();
    if (!text) return;
    setDraft('');
    try {
      const { messageId } = await client.sms.send({ to: peer, from: own, text, interactionId: item.interactionId });
      setMessages((list) => mergeById(list, [{ id: messageId, direction: 'outbound', peer, ownNumber: own, text, status: 'sent', createdAt: Date.now() }]));
      setError(null);
    } catch (err) {
      setDraft(text);
      setError(err);
    }
  }

  return (
    <div className="chat-work">
      <ol className="chat-log" ref={log} aria-live="polite" data-testid="agent-sms-log">
        {messages.map((m) => (
          <li key={m.id} className={`chat-msg chat-${m.direction === 'inbound' ? 'customer' : 'agent'}`} data-testid="agent-sms-message" data-direction={m.direction}>
            <span className="chat-who">{m.direction === 'inbound' ? peer : 'You'} · {formatTime(m.createdAt)}{m.status === 'failed' ? ' · not delivered' : ''}</span>
            {m.text}
          </li>
        ))}
      </ol>
      <ProblemBanner error={error} />
      <form className="row" onSubmit={send}>
        <input value={draft} onChange={(e) => setDraft(e.target.value)} placeholder="Reply by SMS…" aria-label="Reply by SMS" maxLength={1600} data-testid="agent-sms-input" />
        <button type="submit" className="btn btn-primary" data-testid="agent-sms-send">Send</button>
      </form>
    </div>
  );
}
