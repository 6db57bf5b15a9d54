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

/**
 * Gathers host candidates only. Without a configured STUN server werift still queries
 * stun.l.google.com for each candidate: a DNS lookup and a request off the machine per
 * peer, and with DNS slow or unreachable the description waits up to 5 s for it. Call
 * between creating the transports (remote description or transceivers) and setting the
 * local description, which starts gathering.
 */
export function gatherHostCandidatesOnly(pc: RTCPeerConnection): void {
  for (const t of pc.iceTransports) (t.connection as unknown as { stunServer?: unknown }).stunServer = undefined;
}
