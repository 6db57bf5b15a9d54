import type { CallDirection } from '../api/calls.js';

/** Call events; every one carries the call id and its interaction. */
export interface CallEvents {
  'call.created': { callId: string; direction: CallDirection; from: string; to: string };
  'call.ringing': { callId: string };
  'call.answered': { callId: string };
  'call.held': { callId: string; by: 'local' | 'remote' };
  'call.resumed': { callId: string; by: 'local' | 'remote' };
  'call.dtmf': { callId: string; digit: string };
  'call.bridged': { callId: string; otherCallId: string };
  'call.transferred': { callId: string; to: string };
  'call.recording.started': { callId: string; recordingId: string };
  'call.recording.stopped': { callId: string; recordingId: string; durationSeconds: number };
  'call.ended': { callId: string; cause: string; durationSeconds: number | null };
  'sip.registered': { aor: string; contact: string; expires: number };
  'conference.joined': { conference: string; callId: string; muted: boolean };
  'conference.left': { conference: string; callId: string };
  'conference.muted': { conference: string; callId: string; muted: boolean };
}
