import type { RTCPeerConnection } from 'werift';
import { CallsightError } from '../core/errors.js';
import { gatherHostCandidatesOnly, waitForIceGathering } from './ice-gathering.js';

/**
 * Applies a browser's offer to a server peer, turning werift's failures into errors a
 * client can act on: `invalid_sdp` (unparseable or inconsistent) and `no_common_codec`.
 * Nothing is sent to the network before this succeeds.
 */
export async function applyOffer(pc: RTCPeerConnection, offerSdp: string, wanted: string): Promise<void> {
  if (!/^v=0\r?\n/.test(offerSdp) || !/^m=(audio|video) /m.test(offerSdp)) {
    throw new CallsightError('invalid_sdp', 'The offer is not an SDP with a media section', { status: 400 });
  }
  try {
    await pc.setRemoteDescription({ type: 'offer', sdp: offerSdp });
  } catch (cause) {
    if (/negotiate codecs/i.test((cause as Error).message)) throw noCommonCodec(wanted);
    throw new CallsightError('invalid_sdp', `The offer could not be applied: ${(cause as Error).message}`, { status: 400, cause });
  }
}

export const noCommonCodec = (wanted: string) => new CallsightError('no_common_codec', `The offer has no ${wanted}`, { status: 400 });

/** Creates the answer and returns it with every host candidate in it (no server-side trickle). */
export async function completeAnswer(pc: RTCPeerConnection): Promise<string> {
  gatherHostCandidatesOnly(pc);
  await pc.setLocalDescription(await pc.createAnswer());
  await waitForIceGathering(pc);
  return pc.localDescription!.sdp;
}
