import type { Presence, RoutingChannel } from './routing.js';

/** A finished voice/video item of the signed-in agent that still waits for its wrap-up (code and notes). */
export interface PendingWrapUp {
  itemId: string;
  interactionId: string;
  queueId: string;
  channel: RoutingChannel;
  context: Record<string, unknown>;
  /** When the call ended (the item completed). */
  endedAt: number;
  /** When the wrap-up closes by itself (the queue's wrap-up time; the interaction then closes). */
  dueAt: number;
  /** The queue's wrap-up codes to choose from. */
  codes: string[];
}

/** A wrap-up the agent submitted (or that timed out). */
export interface WrapUp {
  itemId: string;
  interactionId: string;
  agentId: string;
  queueId: string;
  code: string | null;
  notes: string | null;
  timedOut: boolean;
  doneAt: number;
}

export interface WrapUpInput {
  code?: string | null;
  notes?: string | null;
}

/** One row of a historical report: a queue's or an agent's figures over the period. */
export interface ReportRow {
  /** Queue id or agent (user) id. */
  key: string;
  name: string;
  /** Items an agent took and finished. */
  handled: number;
  /** Items the customer left before an agent took them. */
  abandoned: number;
  /** Mean wait from queued to taken, ms (null without handled items). */
  avgWaitMs: number | null;
  /** Mean handle time from taken to finished, ms. */
  avgHandleMs: number | null;
  /** Share taken within the queue's SLA target, % (null without handled items). */
  slaPercent: number | null;
  /** Wrap-up codes given, by code. */
  wrapUpCodes: Record<string, number>;
}

export interface Report {
  from: number;
  to: number;
  by: 'queue' | 'agent';
  rows: ReportRow[];
}

/** How a supervisor is on an agent's call: listening only, talking to the agent only, or talking to both. */
export type SuperviseMode = 'monitor' | 'whisper' | 'barge';

/** A supervisor on a live call: their own call carries what they hear and say. */
export interface Supervision {
  /** The customer's call being supervised. */
  callId: string;
  /** The supervisor's own call (rings their softphone; hanging it up ends the supervision). */
  supervisorCallId: string;
  supervisorId: string;
  mode: SuperviseMode;
}

/**
 * A warm (consult) transfer in progress on an agent's call. `queued`: the customer is on
 * hold while a queue finds an agent to consult; `ringing`: the target's phones ring (the
 * customer on hold, or still talking to the agent when the target is being added to a
 * conference); `consulting`: the agent and the target talk, the customer hears neither;
 * `conference`: all three hear each other.
 */
export type ConsultState = 'queued' | 'ringing' | 'consulting' | 'conference';

/** What happens when the target answers: the agent talks to them first, or they join the call at once (all three). */
export type ConsultMode = 'consult' | 'conference';

export interface Consult {
  /** The customer's call. */
  callId: string;
  /** The call to the consulted party (an agent's phones, or a number); null while a queue looks for an agent. */
  consultCallId: string | null;
  /** The agent whose call it is. */
  agentId: string;
  /** Who was called: `user:<id>` for an agent, `queue:<id>` for a queue, else the number or address dialled. */
  to: string;
  /** The consulted agent's name, when it is an agent (once a queue found one, theirs). */
  targetName: string | null;
  /** The queue's name when a queue was consulted. */
  queueName: string | null;
  mode: ConsultMode;
  state: ConsultState;
}

/** How a consult ended: the customer handed over, back with the agent, or a call ended under it. */
export type ConsultOutcome = 'transferred' | 'cancelled' | 'no_answer' | 'target_left' | 'call_ended';

/** Where a supervisor moves a piece of work: to an agent (their phones ring for a call), or back into a queue. */
export type ReassignInput = { agentId: string } | { queueId: string };

/** One agent on the wallboard: state, how long in it, and what they are working on. */
export interface WallboardAgent {
  userId: string;
  name: string;
  presence: Presence;
  /** When the agent entered what they are doing now (their current work, else their presence). */
  since: number;
  work: WallboardWork[];
}

export interface WallboardWork {
  itemId: string;
  channel: RoutingChannel;
  queueName: string;
  /** The customer's name or number, as the agent sees it. */
  customer: string;
  since: number;
  /** The customer's live call, when it is a call (what Monitor, Whisper and Barge join). */
  callId: string | null;
  /** A supervisor on that call now. */
  supervision: Supervision | null;
}

/** One queue on the wallboard: now and over the last hour. */
export interface WallboardQueue {
  queueId: string;
  name: string;
  waiting: number;
  longestWaitMs: number;
  answered: number;
  /** Customers who left before an agent took them, last hour. */
  abandoned: number;
  slaPercent: number | null;
  slaSeconds: number;
  /** Agents with this queue's skills by presence. */
  agents: Record<string, number>;
}

export interface Wallboard {
  time: number;
  queues: WallboardQueue[];
  agents: WallboardAgent[];
}
