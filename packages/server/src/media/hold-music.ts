/**
 * What a party on hold hears instead of silence (which callers take for a dropped call):
 * a slow, quiet loop of sine notes. Every note is below 800 Hz so that tone-based checks
 * of the other parties (and DTMF detection: its low group starts at 697 Hz but needs a
 * high-group partner) are not confused by it; each note fades in and out, so the loop
 * has no clicks.
 */
import { FRAME_SAMPLES } from './rtp-session.js';

const RATE = 8000;
/** C4 E4 G4 A4 G4 E4 D4 G3: a phrase that resolves, so the loop point is not heard. */
const NOTES_HZ = [261.63, 329.63, 392.0, 440.0, 392.0, 329.63, 293.66, 196.0];
const NOTE_MS = 450;
const LEVEL_DBFS = -20;

let loop: Int16Array | null = null;

/** One pass of the hold music, 8 kHz mono (built once). */
export function holdMusic(): Int16Array {
  if (loop) return loop;
  const noteSamples = Math.round((NOTE_MS * RATE) / 1000);
  const fade = Math.round(0.06 * RATE);
  const amplitude = 32767 * 10 ** (LEVEL_DBFS / 20);
  const out = new Int16Array(noteSamples * NOTES_HZ.length);
  NOTES_HZ.forEach((hz, n) => {
    const step = (2 * Math.PI * hz) / RATE;
    for (let i = 0; i < noteSamples; i++) {
      const envelope = Math.min(1, i / fade, (noteSamples - i) / fade);
      out[n * noteSamples + i] = Math.round(Math.sin(step * i) * amplitude * envelope);
    }
  });
  return (loop = out);
}

/** An endless source of 20 ms frames of `pcm`, looping (the frame is reused: copy to keep). */
export function loopFrames(pcm: Int16Array): () => Int16Array {
  const frame = new Int16Array(FRAME_SAMPLES);
  let offset = 0;
  return () => {
    for (let i = 0; i < FRAME_SAMPLES; i++) {
      frame[i] = pcm[offset];
      offset = (offset + 1) % pcm.length;
    }
    return frame;
  };
}
