import type { RewardRedemption, RewardWallet } from '@callsight/sdk';
import { useEffect, useRef, useState } from 'react';
import { client } from '../../shared/api';

export interface Earned {
  entryId: string;
  points: number;
  reason: string;
}

/**
 * The customer's rewards: the wallet and redemptions, loaded on every (re)connect and
 * again whenever a `rewards.*` event for this user arrives; `earned` is the award that
 * just arrived (a branded call's content viewed, a card confirmed), to celebrate it.
 */
export function useRewards() {
  const [wallet, setWallet] = useState<RewardWallet | null>(null);
  const [redemptions, setRedemptions] = useState<RewardRedemption[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [earned, setEarned] = useState<Earned | null>(null);
  const loadRef = useRef<() => Promise<RewardWallet | null>>(async () => null);

  useEffect(() => {
    let live = true;
    let seq = 0;
    const load = async () => {
      const mine = ++seq;
      try {
        const [w, r] = await Promise.all([client.rewards.wallet(), client.rewards.redemptions()]);
        if (!live || mine !== seq) return null;
        setWallet(w);
        setRedemptions(r.items);
        setError(null);
        return w;
      } catch (err) {
        if (live) setError(err);
        return null;
      }
    };
    loadRef.current = load;
    const stream = client.realtime({ types: ['rewards.'] });
    stream.on('open', () => void load());
    stream.on('event', (e) => {
      if (e.type === 'rewards.awarded') {
        const { entryId, points } = e.data as { entryId: string; points: number };
        void load().then((w) => {
          const item = w?.history.find((h) => h.entryId === entryId);
          if (live) setEarned({ entryId, points, reason: item?.reason ?? 'Engaging with a brand' });
        });
      } else void load();
    });
    void load();
    return () => {
      live = false;
      stream.close();
    };
  }, []);

  return { wallet, redemptions, error, earned, dismissEarned: () => setEarned(null), reload: () => void loadRef.current() };
}
