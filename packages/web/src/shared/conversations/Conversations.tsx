import type { ConversationInfo, EventStream } from '@callsight/sdk';
import { useEffect, useState, type FormEvent } from 'react';
import { client } from '../api';
import { ProblemBanner } from '../ProblemBanner';
import { useResource } from '../use-resource';
import { ConversationStage, initials } from './ConversationStage';
import { Replays } from './Replays';
import './conversations.css';

type Seat = { token: string; conversation: ConversationInfo };

/** The conversation a link (`#conversation=…`, the SMS invite) opens. */
const linked = () => new URLSearchParams(window.location.hash.slice(1)).get('conversation');

/**
 * Social audio: an invite ringing (accept or not now), start a conversation with people,
 * and the feed of live ones to listen to in one tap; then the live stage.
 */
export function Conversations({ userId }: { userId: string }) {
  const [stream, setStream] = useState<EventStream | null>(null);
  const [seat, setSeat] = useState<Seat | null>(null);
  const [ringing, setRinging] = useState<{ conversation: ConversationInfo; from: string } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const feed = useResource(() => client.conversations.feed());
  const replays = useResource(() => client.conversations.replays());

  useEffect(() => {
    const s = client.realtime();
    setStream(s);
    const off = s.on('message', (m) => {
      if (m.kind === 'conversation.ring') {
        setRinging({ conversation: m.conversation, from: m.from });
        feed.reload();
      }
    });
    return () => {
      off();
      s.close();
    };
  }, []);

  // The feed refreshes while nobody is in a conversation, so counts and new ones show up.
  useEffect(() => {
    if (seat) return;
    replays.reload();
    const t = setInterval(() => feed.reload(), 5000);
    return () => clearInterval(t);
  }, [seat]);

  async function enter(join: () => Promise<{ token: string; conversation: ConversationInfo }>) {
    setError(null);
    try {
      const j = await join();
      setSeat({ token: j.token, conversation: j.conversation });
      setRinging(null);
    } catch (err) {
      setError(err);
    }
  }

  useEffect(() => {
    const id = linked();
    if (!id) return;
    void enter(async () => {
      const c = await client.conversations.get(id);
      const invited = c.members.some((m) => m.userId === userId && m.invite === 'invited');
      return invited ? client.conversations.accept(id) : client.conversations.join(id);
    });
  }, []);

  if (seat && stream) {
    return (
      <ConversationStage
        key={seat.token}
        stream={stream}
        token={seat.token}
        initial={seat.conversation}
        userId={userId}
        onExit={() => {
          setSeat(null);
          feed.reload();
        }}
      />
    );
  }

  const items = feed.data?.items ?? [];
  return (
    <div className="stack conv-root" data-testid="conversations">
      <ProblemBanner error={error ?? feed.error ?? replays.error} />
      {ringing && (
        <div className="conv-ring" role="alertdialog" aria-labelledby="conv-ring-title" data-testid="conversation-ring">
          <div className="conv-face" aria-hidden="true">{initials(ringing.from)}</div>
          <div className="grow">
            <strong id="conv-ring-title">{ringing.from} invites you to talk</strong>
            <p className="muted">“{ringing.conversation.topic}”</p>
          </div>
          <button type="button" className="btn btn-primary" data-testid="conversation-accept" onClick={() => void enter(() => client.conversations.accept(ringing.conversation.id))}>
            Join and speak
          </button>
          <button type="button" className="btn" onClick={() => void client.conversations.decline(ringing.conversation.id).finally(() => setRinging(null))}>
            Not now
          </button>
        </div>
      )}
      <div className="conv-grid">
        <div className="stack">
          <section className="stack" aria-labelledby="conv-feed-title">
            <h2 id="conv-feed-title">Live now</h2>
            {items.length === 0 && !feed.loading && <p className="muted" data-testid="conversation-feed-empty">Nobody is talking right now. Start a conversation and others can listen in.</p>}
            <ul className="conv-feed" data-testid="conversation-feed">
              {items.map((c) => {
                const mine = c.members.find((m) => m.userId === userId);
                return (
                  <li key={c.id} className="conv-card" data-testid="conversation-card" data-topic={c.topic}>
                    <div className="conv-faces" aria-hidden="true">
                      {c.speakers.slice(0, 3).map((s) => <span key={s.participantId} className="conv-face">{initials(s.name)}</span>)}
                    </div>
                    <div className="grow">
                      <h3>{c.topic}</h3>
                      <p className="muted small">
                        {c.speakers.length > 0 ? c.speakers.map((s) => s.name).join(', ') : 'Waiting for the first answer'} · {c.listenerCount === 1 ? '1 listening' : `${c.listenerCount} listening`}
                      </p>
                    </div>
                    {mine?.invite === 'invited' ? (
                      <button type="button" className="btn btn-primary" onClick={() => void enter(() => client.conversations.accept(c.id))}>Join and speak</button>
                    ) : (
                      <button type="button" className="btn btn-primary" data-testid="conversation-listen" onClick={() => void enter(() => client.conversations.join(c.id))}>
                        {mine && mine.role !== 'listener' ? 'Rejoin' : 'Listen'}
                      </button>
                    )}
                  </li>
                );
              })}
            </ul>
          </section>
          <Replays items={replays.data?.items ?? []} />
        </div>
        <StartConversation onStarted={(j) => setSeat(j)} />
      </div>
    </div>
  );
}

function StartConversation({ onStarted }: { onStarted(seat: Seat): void }) {
  const people = useResource(() => client.conversations.people());
  const [topic, setTopic] = useState('');
  const [picked, setPicked] = useState<string[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  async function start(e: FormEvent) {
    e.preventDefault();
    setError(null);
    setBusy(true);
    try {
      const j = await client.conversations.start({ topic, invite: picked });
      onStarted({ token: j.token, conversation: j.conversation });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="card stack" onSubmit={(e) => void start(e)} data-testid="conversation-start">
      <h2>Start a conversation</h2>
      <ProblemBanner error={error ?? people.error} />
      <label className="field">
        Topic
        <input value={topic} onChange={(e) => setTopic(e.target.value)} placeholder="Friday product update" required maxLength={120} data-testid="conversation-topic-input" />
      </label>
      <fieldset className="stack">
        <legend>Invite</legend>
        <ul className="conv-people">
          {(people.data?.items ?? []).map((p) => (
            <li key={p.id}>
              <label>
                <input
                  type="checkbox"
                  checked={picked.includes(p.id)}
                  onChange={(e) => setPicked((x) => (e.target.checked ? [...x, p.id] : x.filter((y) => y !== p.id)))}
                  data-testid="conversation-pick"
                  data-name={p.name}
                />
                <span className={`conv-dot${p.online ? ' conv-dot-on' : ''}`} aria-hidden="true" />
                <span className="grow">{p.name}</span>
                <span className="muted small">{p.online ? 'In the app' : 'Gets a text'}</span>
              </label>
            </li>
          ))}
        </ul>
      </fieldset>
      <button type="submit" className="btn btn-primary" disabled={busy || picked.length === 0 || !topic.trim()} data-testid="conversation-start-button">
        {picked.length > 1 ? `Call ${picked.length} people` : 'Call and go live'}
      </button>
    </form>
  );
}
