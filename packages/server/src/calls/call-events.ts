/** Call events on the bus; every one carries the call id and its interaction. */
declare module '../bus/event-map.js' {
  interface EventMap {
    'call.created': { callId: string; direction: 'inbound' | 'outbound'; from: string; to: string };
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
  }
}

export {};
