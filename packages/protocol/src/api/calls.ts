/** Calls: originate, control, list, recordings, and a person's own history. */

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

/** How a call went: reached someone, ended without an answer, or still going. */
export type CallOutcome = 'answered' | 'unanswered' | 'in_progress';

/** A search of the tenant's calls, newest first; pass `nextCursor` back as `cursor` for the next page. */
export interface CallQuery {
  state?: CallRecordState;
  interactionId?: string;
  /** Part of a number, SIP address or user name on either end (case-insensitive). */
  q?: string;
  direction?: CallDirection;
  outcome?: CallOutcome;
  /** Started at or after (epoch ms). */
  since?: number;
  /** Started before (epoch ms). */
  until?: number;
  cursor?: string;
  /** @deprecated use `cursor` */
  before?: string;
  limit?: number;
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

export type RecordingMode = 'received' | 'mixed';

export interface Recording {
  id: string;
  callId: string;
  mode: RecordingMode;
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
  /** An incoming call that ended without being answered. */
  missed: boolean;
  startedAt: number;
  answeredAt: number | null;
  endedAt: number | null;
  durationSeconds: number | null;
  endCause: string | null;
}

/** A conference room of live calls, by name. */
export interface Conference {
  name: string;
  members: { callId: string; muted: boolean }[];
}
