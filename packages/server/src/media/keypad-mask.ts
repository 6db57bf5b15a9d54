/**
 * A bridge while one side keys a card number (agent-deaf keypad capture): the keying
 * side's audio never reaches the other side — not its voice, not its in-band key tones.
 * The other side hears silence and, for every key, a flat single-frequency tone of the
 * key's length (PCI Pal / Sycurio style masking: the agent knows a key went in, not
 * which). The keying side keeps hearing the other side, plus the same confirmation tone.
 */
import type { AudioEndpoint } from './audio-endpoint.js';
import type { JitterFrameKind } from './jitter-buffer.js';
import type { Playback, PlaybackEnd } from './player.js';
import { FRAME_SAMPLES } from './rtp-session.js';
import { generateTone } from './tone.js';

/** Below the DTMF low group (697 Hz) and far from every DTMF frequency: no detector reads it as a key. */
export const MASK_TONE_HZ = 480;
export const MASK_TONE_MS = 120;

export interface KeypadMask extends Playback {
  /** One key went in: both sides hear the flat tone (`durationMs`, rounded up to whole frames). */
  key(durationMs?: number): void;
}

export interface KeypadMaskOptions {
  /** Runs on the first tick, before anything is sent (recordings are masked from here). */
  onStart?: () => void;
  /** Runs in the tick the mask is stopped, before the bridge comes back. */
  onEnd?: (how: PlaybackEnd) => void;
}

export function keypadMask(keying: AudioEndpoint, other: AudioEndpoint, opts: KeypadMaskOptions = {}): KeypadMask {
  const fromOther = new Int16Array(FRAME_SAMPLES);
  const toKeying = new Int16Array(FRAME_SAMPLES);
  const tone = generateTone([MASK_TONE_HZ], 1000, { levelDbfs: -18 });
  const silence = new Int16Array(FRAME_SAMPLES);
  let toneLeft = 0;
  let toneAt = 0;
  const onOther = (frame: Int16Array, kind: JitterFrameKind) => {
    if (kind === 'silence') fromOther.fill(0);
    else fromOther.set(frame.subarray(0, FRAME_SAMPLES));
  };
  other.on('audio', onOther);
  let started = false;
  let ended = false;
  let finish!: (end: PlaybackEnd) => void;
  const done = new Promise<PlaybackEnd>((resolve) => (finish = resolve));
  const unsubscribe = keying.clock.subscribe(() => {
    if (!started) {
      started = true;
      opts.onStart?.();
    }
    let toOther: Int16Array = silence;
    if (toneLeft > 0) {
      toOther = tone.subarray(toneAt, toneAt + FRAME_SAMPLES);
      toneAt = (toneAt + FRAME_SAMPLES) % (tone.length - FRAME_SAMPLES);
      toneLeft--;
    }
    for (let i = 0; i < FRAME_SAMPLES; i++) {
      const v = fromOther[i] + (toOther === silence ? 0 : toOther[i]);
      toKeying[i] = v > 32767 ? 32767 : v < -32768 ? -32768 : v;
    }
    other.sendFrame(toOther);
    keying.sendFrame(toKeying);
  });
  const stop = (how: PlaybackEnd) => {
    if (ended) return;
    ended = true;
    unsubscribe();
    other.off('audio', onOther);
    opts.onEnd?.(how);
    finish(how);
  };
  return {
    done,
    stop: () => stop('stopped'),
    key: (durationMs = MASK_TONE_MS) => {
      toneLeft = Math.max(toneLeft, Math.ceil(durationMs / 20));
    },
  };
}
