import type { Wallboard } from '@callsight/sdk';
import { useCallback, useEffect, useRef, useState } from 'react';
import { client } from '../../shared/api';

/** Events that change what the wallboard shows: it is read again (at most every 300 ms) when one arrives. */
const TYPES = ['routing.', 'desk.', 'call.answered', 'call.ended', 'call.bridged'];

/** The live wallboard: read once, then again whenever routing, call or desk events arrive over the socket. */
export function useWallboard(): { board: Wallboard | null; error: unknown; live: boolean; reload: () => void } {
  const [board, setBoard] = useState<Wallboard | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [live, setLive] = useState(false);
  const pending = useRef<ReturnType<typeof setTimeout> | null>(null);

  const reload = useCallback(() => {
    client.desk.wallboard().then(
      (b) => {
        setBoard(b);
        setError(null);
      },
      (err: unknown) => setError(err),
    );
  }, []);

  useEffect(() => {
    reload();
    const stream = client.realtime({ types: TYPES });
    stream.on('open', () => {
      setLive(true);
      reload();
    });
    stream.on('close', () => setLive(false));
    stream.on('event', () => {
      if (pending.current) return;
      pending.current = setTimeout(() => {
        pending.current = null;
        reload();
      }, 300);
    });
    return () => {
      stream.close();
      if (pending.current) clearTimeout(pending.current);
    };
  }, [reload]);

  return { board, error, live, reload };
}
