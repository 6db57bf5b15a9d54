import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * Ports for the peers tests start (sipp, baresip, raw UDP/TCP sockets). They come
 * from ranges of their own — apart from test servers' RTP blocks (10000–29999, see
 * test-server.ts, which skip ports in use) and from the kernel's ephemeral range
 * (32768–60999), where every bind(0) lands.
 *
 * Test files run in parallel processes, so a block is claimed across processes: a
 * file named for it under /tmp records the claiming pid, and a block whose claimer
 * is gone is free again. Peers started from one file never share a block, nor do two
 * files running at once.
 */
const CLAIMS = path.join(tmpdir(), 'callsight-test-ports');
const mine = new Set<number>();

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function claim(first: number, size: number, count: number): number {
  mkdirSync(CLAIMS, { recursive: true });
  for (let tries = 0; tries < count * 4; tries++) {
    const port = first + size * Math.floor(Math.random() * count);
    if (mine.has(port)) continue;
    const file = path.join(CLAIMS, String(port));
    try {
      writeFileSync(file, String(process.pid), { flag: 'wx' });
    } catch {
      // Taken: by a live process it stays theirs; a dead claimer's block is reclaimed.
      const holder = Number(readFileSync(file, 'utf8'));
      if (holder === process.pid || (holder > 0 && alive(holder))) continue;
      writeFileSync(file, String(process.pid));
    }
    mine.add(port);
    return port;
  }
  throw new Error(`no free test port block of ${size} from ${first} (${count} blocks all claimed)`);
}

/** A block of four (sipp's media port uses +2 for video, RTCP the odd ones) in 61000–65399. */
export function peerPort(): number {
  return claim(61000, 4, 1100);
}

/** A block of 24 in 30000–32735 for a softphone: its SIP port, RTP ports and a control port. */
export function phonePortBlock(): number {
  return claim(30000, 24, 114);
}
