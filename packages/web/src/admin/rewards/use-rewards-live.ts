import { useEffect, useState } from 'react';
import { client } from '../../shared/api';

/** A counter that moves on every `rewards.*` event of the tenant (and every reconnect): the figures reload on it. */
export function useRewardsLive(): number {
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const stream = client.realtime({ types: ['rewards.'] });
    let timer: ReturnType<typeof setTimeout> | undefined;
    // Bursts of awards reload once, not once per award.
    const bump = () => {
      if (timer) return;
      timer = setTimeout(() => {
        timer = undefined;
        setTick((t) => t + 1);
      }, 250);
    };
    stream.on('open', bump);
    stream.on('event', bump);
    return () => {
      clearTimeout(timer);
      stream.close();
    };
  }, []);
  return tick;
}
