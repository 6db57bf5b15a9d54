import type { CallState, PhoneCall } from '@callsight/sdk';
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { client } from '../../shared/api';
import { AppSoftphone } from '../../shared/softphone/AppSoftphone';
import { CardBeingRead } from './CardBeingRead';
import { CollectPayment } from './CollectPayment';

/** The call on the agent's softphone and the interaction it belongs to (null until looked up). */
export interface LiveCall {
  callId: string;
  state: CallState;
  interactionId: string | null;
  /** When it was first answered (the call timer), else null. */
  answeredAt: number | null;
}

interface Desk {
  live: LiveCall | null;
  onCallChange: (c: { callId: string; state: CallState } | null) => void;
  /** Marks an interaction whose call the agent just accepted: its ringing call is answered at once. */
  expectCall: (interactionId: string) => void;
  autoAnswer: (call: PhoneCall) => Promise<boolean>;
}

const LiveCallContext = createContext<Desk | null>(null);

/** The agent's current softphone call, for the work list, the conversation and the card composer. */
export const useLiveCall = () => useContext(LiveCallContext)?.live ?? null;
/** Tells the softphone to take the next call of this interaction without a second click. */
export const useExpectCall = () => useContext(LiveCallContext)?.expectCall ?? (() => {});

/** The call's interaction: a routed call, a direct call and a dialled call each carry theirs on the call record. */
async function interactionOf(callId: string): Promise<string | null> {
  return (await client.calls.get(callId)).interactionId;
}

/** How long after accepting an offer its call is answered by itself (callsight rings the agent within seconds). */
const EXPECT_MS = 45_000;

/** Shares the agent's softphone call with the desktop; the softphone itself is `AgentSoftphone`, in the conversation pane. */
export function LiveCallProvider({ children }: { children: ReactNode }) {
  const [call, setCall] = useState<{ callId: string; state: CallState } | null>(null);
  const [interaction, setInteraction] = useState<{ callId: string; id: string | null } | null>(null);
  const [answered, setAnswered] = useState<{ callId: string; at: number } | null>(null);
  const expected = useRef(new Map<string, number>());
  const onCallChange = useCallback((c: { callId: string; state: CallState } | null) => setCall(c), []);
  const callId = call?.callId ?? null;

  useEffect(() => {
    if (!callId) return;
    let current = true;
    interactionOf(callId).then(
      (id) => current && setInteraction({ callId, id }),
      // The work list still shows the call; the composer just cannot follow it.
      (err: unknown) => console.warn('looking up the call interaction failed', err),
    );
    return () => {
      current = false;
    };
  }, [callId]);
  useEffect(() => {
    if (call?.state === 'answered') setAnswered((a) => (a?.callId === call.callId ? a : { callId: call.callId, at: Date.now() }));
  }, [call]);

  const expectCall = useCallback((interactionId: string) => void expected.current.set(interactionId, Date.now()), []);
  const autoAnswer = useCallback(async (c: PhoneCall) => {
    const now = Date.now();
    for (const [id, at] of expected.current) if (now - at > EXPECT_MS) expected.current.delete(id);
    if (expected.current.size === 0 || !c.callId) return false;
    const id = await interactionOf(c.callId);
    return id ? expected.current.delete(id) : false;
  }, []);

  const live = useMemo(
    () =>
      call && {
        ...call,
        interactionId: interaction?.callId === call.callId ? interaction.id : null,
        answeredAt: answered?.callId === call.callId ? answered.at : null,
      },
    [call, interaction, answered],
  );
  const value = useMemo(() => ({ live, onCallChange, expectCall, autoAnswer }), [live, onCallChange, expectCall, autoAnswer]);
  return <LiveCallContext.Provider value={value}>{children}</LiveCallContext.Provider>;
}

/** The agent's browser softphone: mounted once, for the whole session (calls ring on it). */
export function AgentSoftphone() {
  const desk = useContext(LiveCallContext);
  const live = desk?.live;
  return (
    <>
      <AppSoftphone title="Phone" onCallChange={desk?.onCallChange} autoAnswer={desk?.autoAnswer} />
      <CardBeingRead callId={live?.state === 'answered' ? live.callId : null} />
      <CollectPayment callId={live?.state === 'answered' ? live.callId : null} />
    </>
  );
}
