import type { SuperviseMode } from '../api/desk.js';

/** The agent desktop: wrap-ups after calls; the supervisor console: supervisors on calls. */
export interface DeskEvents {
  'desk.wrapped_up': { itemId: string; interactionId: string; agentId: string; queueId: string; code: string | null; timedOut: boolean };
  /** A supervisor joined a call or changed how (monitor, whisper, barge). */
  'desk.supervising': { callId: string; supervisorCallId: string; supervisorId: string; mode: SuperviseMode };
  /** The supervisor left the call (hung up, or the call ended). */
  'desk.supervision_ended': { callId: string; supervisorCallId: string; supervisorId: string };
}
