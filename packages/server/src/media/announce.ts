/**
 * A prompt played to both parties of a bridge while they keep hearing each other (a
 * `say` or `play` on a bridged call): for its duration each leg is sent the other's
 * latest frame with the prompt added, one frame per clock tick, then the caller puts
 * the bridge back. On two Opus browser legs this is what switches the server from
 * relaying to decoding and encoding, and back when the prompt ends.
 */
import type { AudioEndpoint } from './audio-endpoint.js';
import type { JitterFrameKind } from './jitter-buffer.js';
import { pcmStream, type PcmStream } from './pcm-stream.js';
import type { Playback, PlaybackEnd } from './player.js';
import { FRAME_SAMPLES } from './rtp-session.js';

export interface AnnounceOptions {
  /**
   * A side whose microphone is gated for the prompt: the other side hears the prompt
   * alone (nothing said near the gated party mixes in); the gated side still hears the
   * other and the prompt.
   */
  gate?: 'a' | 'b';
  /** Runs on the tick of the first frame, before it is sent (e.g. to mask recordings for exactly the prompt). */
  onStart?: () => void;
  /** Runs in the tick the prompt ends or is stopped, before anything else is sent or recorded. */
  onEnd?: (how: PlaybackEnd) => void;
}

/** `prompt`: finished audio, or a stream still being rendered (its frames are taken one per tick). */
export function announceToBridge(a: AudioEndpoint, b: AudioEndpoint, prompt: Int16Array | PcmStream, opts: AnnounceOptions = {}): Playback {
  const source = prompt instanceof Int16Array ? pcmStream(prompt) : prompt;
  const p = new Int16Array(FRAME_SAMPLES);
  let started = false;
  const fromA = new Int16Array(FRAME_SAMPLES);
  const fromB = new Int16Array(FRAME_SAMPLES);
  const toA = new Int16Array(FRAME_SAMPLES);
  const toB = new Int16Array(FRAME_SAMPLES);
  const keep = (into: Int16Array) => (frame: Int16Array, kind: JitterFrameKind) => {
    if (kind === 'silence') into.fill(0);
    else into.set(frame.subarray(0, FRAME_SAMPLES));
  };
  const onA = keep(fromA);
  const onB = keep(fromB);
  a.on('audio', onA);
  b.on('audio', onB);
  let finish!: (end: PlaybackEnd) => void;
  const done = new Promise<PlaybackEnd>((resolve) => (finish = resolve));
  let ended = false;
  const end = (how: PlaybackEnd) => {
    if (ended) return;
    ended = true;
    unsubscribe();
    opts.onEnd?.(how);
    a.off('audio', onA);
    b.off('audio', onB);
    // The last frame may have been confidential speech.
    p.fill(0);
    toA.fill(0);
    toB.fill(0);
    finish(how);
  };
  const unsubscribe = a.clock.subscribe(() => {
    if (!source.next(p)) return end('completed');
    if (!started) {
      started = true;
      opts.onStart?.();
    }
    for (let i = 0; i < FRAME_SAMPLES; i++) {
      const va = (opts.gate === 'b' ? 0 : fromB[i]) + p[i];
      const vb = (opts.gate === 'a' ? 0 : fromA[i]) + p[i];
      toA[i] = va > 32767 ? 32767 : va < -32768 ? -32768 : va;
      toB[i] = vb > 32767 ? 32767 : vb < -32768 ? -32768 : vb;
    }
    a.sendFrame(toA);
    b.sendFrame(toB);
  });
  return { done, stop: () => end('stopped') };
}
