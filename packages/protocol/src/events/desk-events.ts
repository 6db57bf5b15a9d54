import type { Consult, ConsultOutcome, SuperviseMode } from '../api/desk.js';

/** The agent desktop: wrap-ups after calls; the supervisor console: supervisors on calls. */
export interface DeskEvents {
  'desk.wrapped_up': { itemId: string; interactionId: string; agentId: string; queueId: string; code: string | null; timedOut: boolean };
  /** A supervisor joined a call or changed how (monitor, whisper, barge). */
  'desk.supervising': { callId: string; supervisorCallId: string; supervisorId: string; mode: SuperviseMode };
  /** The supervisor left the call (hung up, or the call ended). */
  'desk.supervision_ended': { callId: string; supervisorCallId: string; supervisorId: string };
  /** An agent put the customer on hold and is ringing someone to consult (warm transfer). */
  'desk.consult_started': Consult;
  /** A queue found an agent for the consult: their phones ring. */
  'desk.consult_ringing': Consult;
  /** The consulted party answered: the agent and they talk, the customer is on hold. */
  'desk.consult_connected': Consult;
  /** The agent joined the customer in: all three hear each other. */
  'desk.conference_started': Consult;
  /** The consult is over: handed over (the agent left), cancelled (back to the customer), or a party hung up. */
  'desk.consult_ended': Consult & { outcome: ConsultOutcome };
}
