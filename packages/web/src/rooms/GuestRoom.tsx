import { guestStream, type EventStream, type JoinInfo } from '@callsight/sdk';
import { useEffect, useState } from 'react';
import { client } from '../shared/api';
import { Logo } from '../shared/Logo';
import { ProblemBanner } from '../shared/ProblemBanner';
import { RoomLobby, type JoinChoice } from './RoomLobby';
import { RoomStage } from './RoomStage';
import './rooms.css';

/** Joining from a shared link (`/rooms/#token=…`): no account, the token is the ticket. */
export function GuestRoom({ token }: { token: string }) {
  const [stream, setStream] = useState<EventStream | null>(null);
  const [left, setLeft] = useState(false);
  const [info, setInfo] = useState<JoinInfo | null>(null);
  const [infoError, setInfoError] = useState<unknown>(null);
  const [choice, setChoice] = useState<JoinChoice | null>(null);

  // The room's name and the role the link grants, shown before joining.
  useEffect(() => {
    client.rooms.joinInfo(token).then(setInfo, setInfoError);
  }, [token]);

  useEffect(() => {
    const s = guestStream(window.location.origin);
    setStream(s);
    return () => s.close();
  }, []);

  return (
    <div className="shell">
      <header className="topbar">
        <div className="topbar-left">
          <Logo />
          <span className="app-name">Rooms</span>
        </div>
      </header>
      <main className="page">
        {left ? (
          <p className="empty">You left the room. Close this tab, or reload to join again.</p>
        ) : infoError ? (
          <div className="card narrow stack"><ProblemBanner error={infoError} /></div>
        ) : !info ? (
          <div className="center-screen" aria-busy="true"><span className="spinner" aria-label="Loading" /></div>
        ) : !choice ? (
          <RoomLobby title={info.room.name} role={info.role} defaultName={/^(guest|listener)$/i.test(info.name) ? '' : info.name} askName onJoin={setChoice} />
        ) : (
          stream && <RoomStage channel={stream} token={token} title={info.room.name} choice={choice} onExit={() => setLeft(true)} />
        )}
      </main>
    </div>
  );
}
