import { useEffect, useState } from 'react';

/** The time, re-read every `ms`: for durations and countdowns that tick on screen. */
export function useNow(ms: number): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(t);
  }, [ms]);
  return now;
}
