import type { RtcPurpose } from './rtc-signalling.js';

/**
 * `purpose: 'echo'`: every audio packet comes back to the browser — a microphone and
 * network check for users ("can you hear yourself?") and the loopback the leg tests use.
 * DTMF digits are reported back as `{kind:'rtc.dtmf', sessionId, digit}`.
 */
export const echoPurpose: RtcPurpose = {
  profile: 'pcmu',
  onSession({ leg, sessionId, notify }) {
    leg.onRtp((payload, meta) => leg.sendRtp(payload, meta));
    leg.on('dtmf', (digit) => notify({ kind: 'rtc.dtmf', sessionId, digit }));
  },
};
