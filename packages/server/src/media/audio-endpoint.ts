/**
 * The audio side of a leg as media consumers (bridge, echo, player, recorder) see it:
 * 20 ms frames of 8 kHz PCM in ('audio', once per clock tick) and out (`sendFrame`).
 * RtpSession implements it; so can any other transport (e.g. a WebRTC leg), and the
 * consumers then work with it unchanged.
 */
import type { MediaClock } from './clock.js';
import type { JitterFrameKind } from './jitter-buffer.js';

export type AudioFrameListener = (frame: Int16Array, kind: JitterFrameKind) => void;
export type SentFrameListener = (frame: Int16Array) => void;

export interface AudioEndpoint {
  /** The clock on which 'audio' is emitted and frames should be sent. */
  readonly clock: MediaClock;
  /** Sends one 20 ms frame; false if it was not sent (see RtpSession.sendFrame). */
  sendFrame(pcm: Int16Array): boolean;
  on(event: 'audio', listener: AudioFrameListener): this;
  off(event: 'audio', listener: AudioFrameListener): this;
  on(event: 'sent', listener: SentFrameListener): this;
  off(event: 'sent', listener: SentFrameListener): this;
}
