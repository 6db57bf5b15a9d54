/**
 * Browser-side peer helpers. The server answers every offer with a complete SDP and the
 * browser sends a complete offer too: gathering host candidates takes milliseconds
 * without STUN, and it saves a trickle round trip per candidate.
 */
export type PeerFactory = (config: RTCConfiguration) => RTCPeerConnection;

export const defaultPeerFactory: PeerFactory = (config) => new RTCPeerConnection(config);

export function gathered(pc: RTCPeerConnection, timeoutMs = 2000): Promise<void> {
  if (pc.iceGatheringState === 'complete') return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, timeoutMs);
    const onChange = () => pc.iceGatheringState === 'complete' && done();
    pc.addEventListener('icegatheringstatechange', onChange);
    function done() {
      clearTimeout(timer);
      pc.removeEventListener('icegatheringstatechange', onChange);
      resolve();
    }
  });
}

/** Creates an offer and returns it once candidates are in it. */
export async function completeOffer(pc: RTCPeerConnection): Promise<string> {
  await pc.setLocalDescription(await pc.createOffer());
  await gathered(pc);
  return pc.localDescription!.sdp;
}

/** Resolves on 'connected', rejects on 'failed' or after `timeoutMs`. */
export function connected(pc: RTCPeerConnection, timeoutMs = 15_000): Promise<void> {
  if (pc.connectionState === 'connected') return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => finish(new Error(`Media did not connect within ${timeoutMs} ms`)), timeoutMs);
    const onChange = () => {
      if (pc.connectionState === 'connected') finish();
      else if (pc.connectionState === 'failed') finish(new Error('Media connection failed (ICE/DTLS)'));
    };
    pc.addEventListener('connectionstatechange', onChange);
    function finish(err?: Error) {
      clearTimeout(timer);
      pc.removeEventListener('connectionstatechange', onChange);
      if (err) reject(err);
      else resolve();
    }
  });
}
