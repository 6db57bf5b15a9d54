/**
 * Ports for the peers tests start (sipp, raw UDP/TCP sockets). They come from a
 * range of their own — apart from test servers' RTP blocks (10000–29999, see
 * test-server.ts) and from the kernel's ephemeral range (32768–60999), where every
 * bind(0) lands — so a random pick collides with neither. Each pick is a block of
 * four (sipp's media port uses +2 for video, RTCP the odd ones); within a process
 * no block is given twice.
 */
const given = new Set<number>();

export function peerPort(): number {
  for (;;) {
    const p = 61000 + 4 * Math.floor(Math.random() * 1100);
    if (!given.has(p)) {
      given.add(p);
      return p;
    }
  }
}
