/**
 * Calls through the REST API: originate, control a live call, list, recordings,
 * and the signed-in person's own history. Mirrors packages/server/src/calls/call-routes.ts
 * and my-call-routes.ts. A browser's own media leg is the `Phone`; these methods
 * act on any call of the tenant (staff) or list your own (everyone).
 */

export type CallDirection = 'inbound' | 'outbound';
export type CallRecordState = 'ringing' | 'answered' | 'ended';

export interface Call {
  id: string;
  interactionId: string;
  /** Seen from callsight: into it (phones, carriers, apps dialling) or out of it. */
  direction: CallDirection;
  from: string;
  to: string;
  state: CallRecordState;
  flowId: string | null;
  createdAt: number;
  answeredAt: number | null;
  endedAt: number | null;
  endCause: string | null;
  /** Held by the server process that answered: call actions are possible. */
  live: boolean;
  bridgedTo: string | null;
}

/** A flow verb (`say`, `play`, `gather`, `dial`, `enqueue`, …); the server validates it. */
export type FlowVerb = { verb: string } & Record<string, unknown>;

export interface OriginateInput {
  /** A SIP URI, a registered user (`user:<id>` or SIP account name) or a number via the tenant's trunk. */
  to: string;
  /** Caller id; a brand's number makes a signed, branded call. */
  from?: string;
  /** Verbs to run once answered. */
  verbs?: FlowVerb[];
  interactionId?: string;
  timeoutSeconds?: number;
  /** Call reason on a branded call (one of the brand's reasons). */
  reason?: string;
}

export interface Recording {
  id: string;
  callId: string;
  mode: 'received' | 'mixed';
  durationSeconds: number | null;
  createdAt: number;
}

/** One of your own calls, as you saw it. */
export interface MyCall {
  id: string;
  direction: 'incoming' | 'outgoing';
  /** The other party: a number, a SIP user or a colleague's name. */
  peer: string;
  /** What to dial to call back; null for withheld numbers and colleagues' apps. */
  callBack: string | null;
  state: CallRecordState;
  missed: boolean;
  startedAt: number;
  answeredAt: number | null;
  endedAt: number | null;
  durationSeconds: number | null;
  endCause: string | null;
}

type Send = <T>(method: string, path: string, opts?: { query?: Record<string, string | number | undefined>; body?: unknown }) => Promise<T>;
const enc = encodeURIComponent;

/** `client.calls.originate({to})`, `client.calls.say(id, text)`, `client.calls.mine()`… */
export function callMethods(send: Send) {
  const act = (id: string, action: string, body: unknown = {}) => send<Call>('POST', `/api/calls/${enc(id)}/${action}`, { body });
  return {
    originate: (input: OriginateInput) => send<Call>('POST', '/api/calls', { body: input }),
    list: (query: { state?: CallRecordState; interactionId?: string; before?: string; limit?: number } = {}) =>
      send<{ items: Call[]; nextCursor: string | null }>('GET', '/api/calls', { query }),
    get: (id: string) => send<Call>('GET', `/api/calls/${enc(id)}`),
    /** Your own calls, newest first (any signed-in user). */
    mine: (query: { before?: string; limit?: number } = {}) => send<{ items: MyCall[]; nextCursor: string | null }>('GET', '/api/me/calls', { query }),
    answer: (id: string) => act(id, 'answer'),
    hangup: (id: string, cause?: string) => act(id, 'hangup', cause ? { cause } : {}),
    hold: (id: string) => act(id, 'hold'),
    resume: (id: string) => act(id, 'resume'),
    say: (id: string, text: string, voice?: string) => act(id, 'say', { text, ...(voice ? { voice } : {}) }),
    play: (id: string, url: string) => act(id, 'play', { url }),
    dtmf: (id: string, digits: string) => act(id, 'dtmf', { digits }),
    record: (id: string, mode: 'received' | 'mixed' = 'mixed') => act(id, 'record', { mode }),
    stopRecording: (id: string) => act(id, 'record/stop'),
    bridge: (id: string, otherCallId: string) => act(id, 'bridge', { callId: otherCallId }),
    transfer: (id: string, to: string) => act(id, 'transfer', { to }),
    recordings: (id: string) => send<{ items: Recording[] }>('GET', `/api/calls/${enc(id)}/recordings`),
  };
}
