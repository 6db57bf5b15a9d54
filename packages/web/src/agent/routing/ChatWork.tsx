import type { CallsightEvent } from '@callsight/sdk';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { ProblemBanner } from '../../shared/ProblemBanner';
import { formatTime } from '../../shared/format';
import type { ChatMessage } from '@callsight/sdk';
import { client } from '../../shared/api';
import { mergeById } from '../../shared/merge-by-id';

/** A chat work item: history, live messages, the customer's typing indicator and the reply box. */
export function ChatWork({ conversationId, onChatEvent }: { conversationId: string; onChatEvent: (l: (e: CallsightEvent) => void) => () => void }) {
  const [messages, setMessages] = useState<ChatMessage[]>([]);
  const [typing, setTyping] = useState<string | null>(null);
  const [closed, setClosed] = useState(false);
  const [draft, setDraft] = useState('');
  const [error, setError] = useState<unknown>(null);
  const log = useRef<HTMLOListElement>(null);
  const typingSent = useRef(false);
  const typingTimer = useRef<ReturnType<typeof setTimeout>>(undefined);

  useEffect(() => {
    client.chat.get(conversationId).then(
      (r) => {
        setMessages((live) => mergeById(r.messages, live));
        setClosed(r.conversation.state === 'closed');
      },
      setError,
    );
    return onChatEvent((e) => {
      const d = e.data as { conversationId: string; messageId?: string; author: ChatMessage['author']; authorName: string; text?: string; typing?: boolean };
      if (d.conversationId !== conversationId) return;
      if (e.type === 'chat.message') {
        setMessages((list) => mergeById(list, [{ id: d.messageId!, conversationId, author: d.author, authorId: null, authorName: d.authorName, text: d.text!, createdAt: e.time }]));
        if (d.author !== 'agent') setTyping(null);
      } else if (e.type === 'chat.typing' && d.author !== 'agent') {
        setTyping(d.typing ? d.authorName : null);
      } else if (e.type === 'chat.closed') {
        setClosed(true);
      }
    });
  }, [conversationId, onChatEvent]);

  useEffect(() => {
    log.current?.scrollTo({ top: log.current.scrollHeight });
  }, [messages]);

  function signal(next: boolean) {
    if (typingSent.current === next) return;
    typingSent.current = next;
    client.chat.typing(conversationId, next).catch(() => {});
  }

  function onInput(text: string) {
    setDraft(text);
    signal(text.length > 0);
    clearTimeout(typingTimer.current);
    typingTimer.current = setTimeout(() => signal(false), 3000);
  }

  async function send(e: FormEvent) {
    e.preventDefault();
    const text = draft.trim();
    if (!text) return;
    setDraft('');
    signal(false);
    try {
      const msg = await client.chat.send(conversationId, text);
      setMessages((list) => mergeById(list, [msg]));
      setError(null);
    } catch (err) {
      setDraft(text);
      setError(err);
    }
  }

  return (
    <div className="chat-work">
      <ol className="chat-log" ref={log} aria-live="polite" data-testid="agent-chat-log">
        {messages.map((m) => (
          <li key={m.id} className={`chat-msg chat-${m.author}`} data-testid="agent-chat-message" data-author={m.author}>
            {m.author !== 'system' && <span className="chat-who">{m.authorName} · {formatTime(m.createdAt)}</span>}
            {m.text}
          </li>
        ))}
      </ol>
      <p className="chat-typing muted small" data-testid="agent-chat-typing">{typing ? `${typing} is typing…` : ' '}</p>
      <ProblemBanner error={error} />
      {closed ? (
        <p className="muted small" data-testid="chat-ended">The chat has ended.</p>
      ) : (
        <form className="row" onSubmit={send}>
          <input value={draft} onChange={(e) => onInput(e.target.value)} placeholder="Reply…" aria-label="Reply" maxLength={4000} data-testid="agent-chat-input" />
          <button type="submit" className="btn btn-primary" data-testid="agent-chat-send">Send</button>
        </form>
      )}
    </div>
  );
}
