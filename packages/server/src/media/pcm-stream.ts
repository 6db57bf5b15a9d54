/**
 * Audio that may still be in the making while it plays: each media-clock tick asks for
 * the next 20 ms frame. A source that is not ready yet answers with silence instead of
 * holding the tick, so a prompt can start sending (and masking, gating) at once and
 * its speech follows as soon as it is rendered.
 */
import { FRAME_SAMPLES } from './rtp-session.js';

export interface PcmStream {
  /** Fills `frame` (FRAME_SAMPLES long) with the next 20 ms; false once the audio has ended (`frame` then untouched). */
  next(frame: Int16Array): boolean;
}

/** A finished buffer as a stream; the last partial frame is padded with silence. */
export function pcmStream(pcm: Int16Array): PcmStream {
  let offset = 0;
  return {
    next(frame) {
      if (offset >= pcm.length) return false;
      const chunk = pcm.subarray(offset, offset + FRAME_SAMPLES);
      frame.set(chunk);
      if (chunk.length < FRAME_SAMPLES) frame.fill(0, chunk.length);
      offset += FRAME_SAMPLES;
      return true;
    },
  };
}
