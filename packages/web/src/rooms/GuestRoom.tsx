import { guestStream, type EventStream } from '@callsight/sdk';
import { useEffect, useState } from 'react';
import { Logo } from '../shared/Logo';
import { RoomStage } from './RoomStage';
import './rooms.css';

/** Joining from a shared link (`/rooms/#token=…`): no account, the token is the ticket. */
export function GuestRoom({ token }: { token: string }) {
  const [stream, setStream] = useState<EventStream | null>(null);
  const [left, setLeft] = useState(false);

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
        ) : (
          stream && <RoomStage channel={stream} token={token} title="Room" onExit={() => setLeft(true)} />
        )}
      </main>
    </div>
  );
}
