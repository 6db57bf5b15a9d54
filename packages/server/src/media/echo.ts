/**
 * Echo: plays a leg's received audio straight back to it (the demo echo number, and a
 * quick end-to-end check of a phone's audio path and NAT traversal).
 */
import type { AudioEndpoint } from './audio-endpoint.js';
import type { JitterFrameKind } from './jitter-buffer.js';

/** Starts echoing; returns a function that stops. */
export function startEcho(session: AudioEndpoint): () => void {
  const echo = (frame: Int16Array, kind: JitterFrameKind) => {
    if (kind !== 'silence') session.sendFrame(frame);
  };
  session.on('audio', echo);
  return () => {
    session.off('audio', echo);
  };
}
