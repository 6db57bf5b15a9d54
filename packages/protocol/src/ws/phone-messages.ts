/**
 * The phone app's calls over /api/ws (requests and their replies, then pushes):
 *
 *   call.dial   {to, sessionId, sdp}  → {kind:'call.dialing', callId, codec, sdp}
 *   call.answer {callId, sessionId, sdp} → {kind:'call.answered', callId, codec, sdp}
 *   call.reject {callId}              → {kind:'call.rejected', callId}
 *   call.hangup {callId}              → {kind:'call.ended', callId}
 *   call.hold   {callId, hold}        → {kind:'call.held', callId, hold}
 *   call.dtmf   {callId, digits}      → {kind:'call.dtmf.sent', callId}
 */

/** The audio codec a browser call runs with. */
export type PhoneCodec = 'pcmu' | 'opus';
export type PhoneCallState = 'ringing' | 'answered' | 'held' | 'ended';

export type PhoneClientMessage =
  | { kind: 'call.dial'; ref?: string; to: string; sessionId?: string; sdp?: string }
  | { kind: 'call.answer'; ref?: string; callId: string; sessionId?: string; sdp?: string }
  | { kind: 'call.reject'; ref?: string; callId: string }
  | { kind: 'call.hangup'; ref?: string; callId: string }
  | { kind: 'call.hold'; ref?: string; callId: string; hold: boolean }
  | { kind: 'call.dtmf'; ref?: string; callId: string; digits: string };

export type PhoneServerMessage =
  /** A call rings this user's apps; verify `metadataToken` with `verifyCallMetadata` before showing a brand. */
  | { kind: 'call.incoming'; callId: string; from: string; metadataToken?: string }
  /** A branded test call's lockscreen preview (no media): `metadataToken` as on `call.incoming`. */
  | { kind: 'call.incoming.preview'; callId: string; callerNumber: string; metadataToken: string; interactionId?: string }
  | { kind: 'call.state'; callId: string; state: PhoneCallState; cause?: string }
  /** A digit the far end sent. */
  | { kind: 'call.dtmf'; callId: string; digit: string }
  | { kind: 'call.dialing'; ref?: string; callId: string; codec: PhoneCodec; sdp?: string }
  | { kind: 'call.answered'; ref?: string; callId: string; codec: PhoneCodec; sdp?: string }
  | { kind: 'call.rejected'; ref?: string; callId: string }
  | { kind: 'call.ended'; ref?: string; callId: string }
  | { kind: 'call.held'; ref?: string; callId: string; hold: boolean }
  | { kind: 'call.dtmf.sent'; ref?: string; callId: string };
