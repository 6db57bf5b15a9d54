import type { EventStream, RoomRole, RoomSummary } from '@callsight/sdk';
import { useEffect, useState } from 'react';
import { client } from '../shared/api';
import { AppShell } from '../shared/AppShell';
import { ProblemBanner } from '../shared/ProblemBanner';
import { RoomList } from './RoomList';
import { RoomStage } from './RoomStage';
import './rooms.css';

type Seat = { room: RoomSummary; token: string };

/** Signed-in rooms app: pick a room and a role, then the stage. */
export function App() {
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
      setSeat({ room, token });
    } catch (err) {
      setError(err);
    }
  }

  return (
    <AppShell app="Rooms">
      <main className="page">
        <ProblemBanner error={error} />
        {seat && stream ? (
          <RoomStage channel={stream} token={seat.token} title={seat.room.name} onExit={() => setSeat(null)} />
        ) : (
          <>
            <div className="section-head">
              <h1>Rooms</h1>
              <p className="muted">Talk to many people at once: hosts and speakers on stage, listeners in the audience.</p>
            </div>
            <RoomList onJoin={(r, role) => void join(r, role)} />
          </>
        )}
      </main>
    </AppShell>
  );
}
