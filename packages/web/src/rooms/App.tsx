import type { EventStream, RoomRole, RoomSummary } from '@callsight/sdk';
import { useEffect, useState } from 'react';
import { client } from '../shared/api';
import { AppShell } from '../shared/AppShell';
import { ProblemBanner } from '../shared/ProblemBanner';
import { useAuth } from '../shared/auth';
import { RoomList } from './RoomList';
import { RoomLobby, type JoinChoice } from './RoomLobby';
import { RoomStage } from './RoomStage';
import { Conversations } from '../shared/conversations/Conversations';
import './rooms.css';

type Seat = { room: RoomSummary; token: string; role: RoomRole; choice?: JoinChoice };

/** Signed-in rooms app: pick a room and a role, then the stage. */
export function App() {
  const { user } = useAuth();
  const [stream, setStream] = useState<EventStream | null>(null);
  const [seat, setSeat] = useState<Seat | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    const s = client.realtime();
    setStream(s);
    return () => s.close();
  }, []);

  async function join(room: RoomSummary, role: RoomRole) {
    setError(null);
    try {
      const { token } = await client.rooms.token(room.id, { role });
      setSeat({ room, token, role });
    } catch (err) {
      setError(err);
    }
  }

  return (
    <AppShell app="Rooms">
      <main className="page">
        <ProblemBanner error={error} />
        {seat && stream && seat.choice ? (
          <RoomStage channel={stream} token={seat.token} title={seat.room.name} choice={seat.choice} onExit={() => setSeat(null)} />
        ) : seat ? (
          <RoomLobby title={seat.room.name} role={seat.role} defaultName={user.name} askName={false} onJoin={(choice) => setSeat({ ...seat, choice })} onCancel={() => setSeat(null)} />
        ) : (
          <>
            <div className="section-head">
              <h1>Rooms</h1>
              <p className="muted">Talk to many people at once: hosts and speakers on stage, listeners in the audience.</p>
            </div>
            <section className="stack conv-section" aria-labelledby="conversations-title">
              <h2 id="conversations-title" className="sr-only">Conversations</h2>
              <Conversations userId={user.id} />
            </section>
            <h2 className="conv-section">Rooms you can host</h2>
            <RoomList userId={user.id} canHostAny={user.role === 'admin' || user.role === 'supervisor'} onJoin={(r, role) => void join(r, role)} />
          </>
        )}
      </main>
    </AppShell>
  );
}
