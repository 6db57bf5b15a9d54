/**
 * Two-leg bridge: each leg hears the other. Frames go through each leg's jitter buffer
 * and out on the media clock, so the outgoing stream is evenly paced whatever the
 * incoming jitter, and the legs may use different G.711 laws (decode → encode).
 */
import type { AudioEndpoint } from './audio-endpoint.js';
import type { JitterFrameKind } from './jitter-buffer.js';

/** Connects `a` and `b`; returns a function that disconnects them. */
export function bridgeSessions(a: AudioEndpoint, b: AudioEndpoint): () => void {
  // 'silence' means the leg sent nothing: relay nothing, so the far end sees a gap
  // (and its own timeout logic) rather than fabricated audio.
  const aToB = (frame: Int16Array, kind: JitterFrameKind) => {
    if (kind !== 'silence') b.sendFrame(frame);
  };
  const bToA = (frame: Int16Array, kind: JitterFrameKind) => {
    if (kind !== 'silence') a.sendFrame(frame);
  };
  a.on('audio', aToB);
  b.on('audio', bToA);
  return () => {
    a.off('audio', aToB);
    b.off('audio', bToA);
  };
}
