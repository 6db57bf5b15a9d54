import { useEffect, useState } from 'react';

/** 0:07, 12:34, 1:02:03 — talk time as phones show it. */
export function formatTalkTime(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/** A running call timer from `since` (ms epoch), ticking each second. */
export function CallTimer({ since }: { since: number }) {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, []);
  return (
    <time className="call-timer" data-testid="call-timer">
      {formatTalkTime(now - since)}
    </time>
  );
}
