/**
 * Plays audio into a leg, one 20 ms frame per media-clock tick (never faster, never a
 * timer of its own), with a completion promise and a stop handle.
 */
import { readFile } from 'node:fs/promises';
import type { AudioEndpoint } from './audio-endpoint.js';
import { FRAME_SAMPLES } from './rtp-session.js';
import { toTelephonyPcm } from './resample.js';
import { decodeWav } from './wav.js';

export type PlaybackEnd = 'completed' | 'stopped';

export interface Playback {
  /** Resolves when the audio has been sent, or when stopped. */
  readonly done: Promise<PlaybackEnd>;
  /** Stops at the next tick boundary. Idempotent. */
  stop(): void;
}

/** Plays 8 kHz mono PCM; the final partial frame is padded with silence. */
export function playPcm(session: AudioEndpoint, pcm: Int16Array): Playback {
  const frame = new Int16Array(FRAME_SAMPLES);
  let offset = 0;
  let finish!: (end: PlaybackEnd) => void;
  const done = new Promise<PlaybackEnd>((resolve) => (finish = resolve));
  const end = (how: PlaybackEnd) => {
    unsubscribe();
    finish(how);
  };
  const unsubscribe = session.clock.subscribe(() => {
    if (offset >= pcm.length) {
      end('completed');
      return;
    }
    const chunk = pcm.subarray(offset, offset + FRAME_SAMPLES);
    if (chunk.length === FRAME_SAMPLES) {
      session.sendFrame(chunk);
    } else {
      frame.fill(0);
      frame.set(chunk);
      session.sendFrame(frame);
    }
    offset += FRAME_SAMPLES;
  });
  return { done, stop: () => end('stopped') };
}

/** Plays a WAV file of any supported format, rate and channel count. */
export async function playWavFile(session: AudioEndpoint, path: string): Promise<Playback> {
  const audio = decodeWav(await readFile(path));
  return playPcm(session, toTelephonyPcm(audio.samples, audio.sampleRate, audio.channels));
}
