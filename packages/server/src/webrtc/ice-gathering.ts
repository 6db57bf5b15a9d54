import type { RTCPeerConnection } from 'werift';

/**
 * Resolves when the peer has gathered its candidates. The server offers host candidates
 * only (no STUN/TURN), so this takes milliseconds, and sending complete descriptions
 * spares the browser a round of server-to-browser trickle messages.
 */
export function waitForIceGathering(pc: RTCPeerConnection, timeoutMs = 3000): Promise<void> {
  if (pc.iceGatheringState === 'complete') return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, timeoutMs);
    const { unSubscribe } = pc.iceGatheringStateChange.subscribe((s) => s === 'complete' && done());
    function done() {
      clearTimeout(timer);
      unSubscribe();
      resolve();
    }
  });
}
