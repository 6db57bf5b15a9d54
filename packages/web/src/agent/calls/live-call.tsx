import { CallsightApiError, type CallState } from '@callsight/sdk';
import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import { AppSoftphone } from '../../shared/softphone/AppSoftphone';

/** The call on the agent's softphone and the interaction it belongs to (null until looked up). */
export interface LiveCall {
  callId: string;
  state: CallState;
  interactionId: string | null;
}

const LiveCallContext = createContext<LiveCall | null>(null);

/** The agent's current softphone call, for the work card and the card composer. */
export const useLiveCall = () => useContext(LiveCallContext);

/** The call's interaction: a routed call, a direct call and a dialled call each carry theirs on the call record. */
async function interactionOf(callId: string): Promise<string> {
  const res = await fetch(`/api/calls/${callId}`, { headers: { accept: 'application/json' } });
  if (!res.ok) throw await CallsightApiError.fromResponse(res);
  return ((await res.json()) as { interactionId: string }).interactionId;
}

/** Mounts the agent's softphone and shares its call with everything below it. */
export function LiveCallProvider({ children }: { children: ReactNode }) {
  const [call, setCall] = useState<{ callId: string; state: CallState } | null>(null);
  const [interaction, setInteraction] = useState<{ callId: string; id: string } | null>(null);
  const onCallChange = useCallback((c: { callId: string; state: CallState } | null) => setCall(c), []);
  const callId = call?.callId ?? null;

  useEffect(() => {
    if (!callId) return;
    let current = true;
    interactionOf(callId).then(
      (id) => current && setInteraction({ callId, id }),
      // The card still shows the call; the composer just cannot follow it.
      (err: unknown) => console.warn('looking up the call interaction failed', err),
    );
    return () => {
      current = false;
    };
  }, [callId]);

  const live = call && { ...call, interactionId: interaction?.callId === call.callId ? interaction.id : null };
  return (
    <LiveCallContext.Provider value={live}>
      <AppSoftphone title="Softphone" onCallChange={onCallChange} />
      {children}
    </LiveCallContext.Provider>
  );
}
