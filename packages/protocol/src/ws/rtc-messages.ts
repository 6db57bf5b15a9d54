/**
 * Browser-leg signalling: the browser offers (`rtc.offer`), the server answers; the
 * leg's state is pushed as `rtc.state`.
 */

export interface IceCandidateInit {
  candidate: string;
  sdpMid?: string | null;
  sdpMLineIndex?: number | null;
  usernameFragment?: string | null;
}

export type RtcClientMessage =
  | { kind: 'rtc.offer'; ref?: string; sessionId?: string; sdp: string; purpose: string }
  | { kind: 'rtc.candidate'; ref?: string; sessionId: string; candidate: IceCandidateInit | null }
  | { kind: 'rtc.hangup'; ref?: string; sessionId: string };

export type RtcServerMessage =
  | { kind: 'rtc.answer'; ref?: string; sessionId: string; sdp: string }
  | { kind: 'rtc.candidate.accepted'; ref?: string; sessionId: string }
  | { kind: 'rtc.closed'; ref?: string; sessionId: string; cause: string }
  | { kind: 'rtc.state'; sessionId: string; state: 'connected' | 'failed' | 'closed'; cause?: string };
