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

/** One entry of RTCConfiguration.iceServers; TURN entries carry time-limited credentials. */
export interface IceServer {
  urls: string[];
  username?: string;
  credential?: string;
}

/**
 * What a browser puts in its RTCConfiguration for callsight's media: the configured STUN/TURN
 * servers (TURN credentials made for the asker, valid until `expiresAt`, epoch ms; null when
 * there are none) and whether only relayed candidates may be used.
 * From `GET /api/rtc/ice` or `{kind:'rtc.ice'}` over /api/ws.
 */
export interface IceConfig {
  iceServers: IceServer[];
  iceTransportPolicy: 'all' | 'relay';
  expiresAt: number | null;
}

export type RtcClientMessage =
  | { kind: 'rtc.offer'; ref?: string; sessionId?: string; sdp: string; purpose: string }
  | { kind: 'rtc.candidate'; ref?: string; sessionId: string; candidate: IceCandidateInit | null }
  | { kind: 'rtc.hangup'; ref?: string; sessionId: string }
  | { kind: 'rtc.ice'; ref?: string };

export type RtcServerMessage =
  | { kind: 'rtc.answer'; ref?: string; sessionId: string; sdp: string }
  | { kind: 'rtc.candidate.accepted'; ref?: string; sessionId: string }
  | { kind: 'rtc.closed'; ref?: string; sessionId: string; cause: string }
  | { kind: 'rtc.state'; sessionId: string; state: 'connected' | 'failed' | 'closed'; cause?: string }
  | ({ kind: 'rtc.ice'; ref?: string } & IceConfig);
