/**
 * Hold and resume by SDP direction attributes (RFC 3264 5.1, 8.4; RFC 6337
 * 5.3): the holding side offers sendonly (or inactive), the answer mirrors it
 * (recvonly / inactive); resuming offers sendrecv again.
 */
import { getDirection, parseSdp, serializeSdp, setDirection, type Direction } from '../sdp.js';

/** Rewrites every media section's direction; session-level direction attributes are dropped so they cannot contradict. */
export function withDirection(sdp: string, direction: Direction): string {
  const parsed = parseSdp(sdp);
  parsed.attributes = parsed.attributes.filter((a) => !['sendrecv', 'sendonly', 'recvonly', 'inactive'].includes(a.name));
  for (const m of parsed.media) setDirection(m, direction);
  // The o= version must grow with every new offer or answer (RFC 3264 8).
  parsed.origin.sessionVersion = String(BigInt(parsed.origin.sessionVersion) + 1n);
  return serializeSdp(parsed);
}

/** Direction of the first media section (what hold state is about). */
export function directionOf(sdp: string): Direction {
  const parsed = parseSdp(sdp);
  const m = parsed.media[0];
  return m ? getDirection(m, parsed) : 'sendrecv';
}

/** The direction an answer takes for an offered one (RFC 3264 6.1). */
export function answerDirection(offered: Direction, wanted: Direction = 'sendrecv'): Direction {
  const canSend = offered === 'sendrecv' || offered === 'recvonly';
  const canRecv = offered === 'sendrecv' || offered === 'sendonly';
  const send = canSend && (wanted === 'sendrecv' || wanted === 'sendonly');
  const recv = canRecv && (wanted === 'sendrecv' || wanted === 'recvonly');
  return send && recv ? 'sendrecv' : send ? 'sendonly' : recv ? 'recvonly' : 'inactive';
}
