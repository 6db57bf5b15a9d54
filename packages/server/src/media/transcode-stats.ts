/**
 * Process-wide figures of server-side transcoding (a leg whose codec the server decodes
 * or encodes rather than relays), for the metrics endpoint: how many legs transcode now,
 * and the CPU their codec work costs per 20 ms frame.
 */

export interface Transcoder {
  /** True while the leg decodes or encodes (not while it only relays). */
  readonly transcoding: boolean;
}

const transcoders = new Set<Transcoder>();
let frames = 0;
let seconds = 0;

export const transcodeStats = {
  add(t: Transcoder): void {
    transcoders.add(t);
  },
  remove(t: Transcoder): void {
    transcoders.delete(t);
  },
  /** Legs transcoding right now. */
  get legs(): number {
    let n = 0;
    for (const t of transcoders) if (t.transcoding) n++;
    return n;
  },
  /** Frames encoded or decoded, and the time spent on them (synchronous wasm: wall time is CPU time). */
  get frames(): number {
    return frames;
  },
  get seconds(): number {
    return seconds;
  },
  /** Runs one frame's codec work and counts it. */
  time<T>(work: () => T): T {
    const t0 = performance.now();
    try {
      return work();
    } finally {
      seconds += (performance.now() - t0) / 1000;
      frames++;
    }
  },
};
