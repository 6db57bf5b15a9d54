import { bridgeSessions } from '../media/bridge.js';
import type { JitterFrameKind } from '../media/jitter-buffer.js';
import { RtpSession } from '../media/rtp-session.js';
import { BrowserAudio } from './browser-leg.js';
import type { AudioPort } from './leg.js';
import { OpusBrowserAudio } from './opus-browser-audio.js';

/**
 * Joins two calls' audio. A browser leg bridged to a PCMU SIP leg relays packets both
 * ways as they arrive, payloads untouched: each end's own jitter buffer absorbs the
 * network's jitter, so the server adds none (and no decode/encode). Two Opus browser
 * legs relay each other's packets. Anything else is a frame bridge, which transcodes:
 * µ-law ↔ A-law, and Opus ↔ G.711 (an Opus browser leg decodes and encodes as soon as
 * a frame bridge listens to it, see OpusBrowserAudio).
 */
export function bridgeAudio(a: AudioPort, b: AudioPort): () => void {
  if (a instanceof OpusBrowserAudio && b instanceof OpusBrowserAudio) return relayOpus(a, b);
  return relayToBrowser(a, b) ?? relayToBrowser(b, a) ?? bridgeSessions(a, b);
}

/** Two Opus browser legs: each one's packets go to the other untouched, until something needs their PCM. */
function relayOpus(a: OpusBrowserAudio, b: OpusBrowserAudio): () => void {
  const stopAtoB = a.relayTo(b);
  const stopBtoA = b.relayTo(a);
  return () => {
    stopAtoB();
    stopBtoA();
  };
}

function relayToBrowser(browser: AudioPort, sip: AudioPort): (() => void) | null {
  if (!(browser instanceof BrowserAudio) || !(sip instanceof RtpSession)) return null;
  const stopRelay = browser.relayFrom(sip);
  if (!stopRelay) return null;
  const stopRelayTo = browser.relayTo(sip);
  // A re-INVITE may move the SIP side to A-law mid-call: frames then take over (transcoded).
  const toSip = (frame: Int16Array, kind: JitterFrameKind) => {
    if (kind !== 'silence' && sip.law !== 'ulaw') sip.sendFrame(frame);
  };
  const fromSip = (frame: Int16Array, kind: JitterFrameKind) => {
    if (kind !== 'silence' && sip.law !== 'ulaw') browser.sendFrame(frame);
  };
  browser.on('audio', toSip);
  sip.on('audio', fromSip);
  return () => {
    browser.off('audio', toSip);
    sip.off('audio', fromSip);
    stopRelay();
    stopRelayTo();
  };
}
