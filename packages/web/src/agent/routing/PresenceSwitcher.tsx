import { useEffect, useState } from 'react';
import { useToast } from '../../shared/Toasts';
import type { AgentRouting } from '@callsight/sdk';
import { client } from '../../shared/api';

const CHOICES = [
  { value: 'available', label: 'Available' },
  { value: 'away', label: 'Away' },
  { value: 'offline', label: 'Offline' },
] as const;

/** Presence buttons; wrap-up is shown with its remaining seconds and ends early by choosing Available. */
export function PresenceSwitcher({ agent, onChanged }: { agent: AgentRouting; onChanged: () => void }) {
  const toast = useToast();
  const [busy, setBusy] = useState(false);
  const remaining = useSecondsLeft(agent.presence === 'wrap-up' ? agent.presenceUntil : null);

  async function choose(p: (typeof CHOICES)[number]['value']) {
    setBusy(true);
    try {
      await client.work.setPresence(p);
      onChanged();
    } catch (err) {
      toast.error(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="presence" role="group" aria-label="Presence" data-testid="presence" data-presence={agent.presence}>
      {CHOICES.map((c) => (
        <button
          key={c.value}
          type="button"
          className={`presence-btn presence-${c.value}`}
          aria-pressed={agent.presence === c.value}
          disabled={busy}
          onClick={() => void choose(c.value)}
          data-testid={`presence-${c.value}`}
        >
          {c.label}
        </button>
      ))}
      {agent.presence === 'wrap-up' && (
        <span className="pill pill-warn" data-testid="wrap-up-timer">Wrap-up · {remaining ?? 0}s</span>
      )}
    </div>
  );
}

/** Whole seconds until `until`, ticking; null when there is no deadline. */
export function useSecondsLeft(until: number | null): number | null {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (until == null) return;
    const t = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(t);
  }, [until]);
  return until == null ? null : Math.max(0, Math.ceil((until - now) / 1000));
}
