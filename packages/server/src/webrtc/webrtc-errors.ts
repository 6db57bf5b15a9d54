import type { ErrorSpecs } from '../core/error-spec.js';

/** Codes of browser (WebRTC) legs and their signalling. */
export const WEBRTC_ERRORS = {
  invalid_sdp: { status: 400, title: 'The browser offer is not valid SDP' },
  no_common_codec: { status: 400, title: 'The browser offers no codec the server speaks' },
  invalid_candidate: { status: 400, title: 'Malformed ICE candidate' },
  unknown_purpose: { status: 400, title: 'Unknown browser session purpose' },
  rtc_session_exists: { status: 409, title: 'A browser session with this id exists' },
  wrong_profile: { status: 500, title: 'The media does not match the session profile' },
  payload_type_mismatch: { status: 500, title: 'RTP payload type does not match the session' },
  bad_frame: { status: 500, title: 'A media frame has the wrong size' },
} as const satisfies ErrorSpecs;
