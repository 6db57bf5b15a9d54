import { useEffect, useState } from 'react';
import { formatDuration } from '../../shared/format';

/** Time since `since`, ticking each second (a work row's timer, a wrap-up's countdown when `until`). */
export function Elapsed({ since, until, testId, label }: { since?: number; until?: number; testId?: string; label?: string }) {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, []);
  const ms = until != null ? until - now : now - (since ?? now);
  return (
    <time className="elapsed" data-testid={testId} aria-label={label}>
      {formatDuration(ms)}
    </time>
  );
}
