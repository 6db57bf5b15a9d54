import { EventEmitter } from 'node:events';
import type { AudioEndpoint } from '../media/audio-endpoint.js';

/**
 * The audio side of a leg as the media tools (player, recorder, bridge, echo, mixer)
 * see it — 20 ms frames of 8 kHz PCM in on 'audio' each tick, one frame out per
 * tick — plus DTMF. An RTP session is one; a browser leg adapts to it.
 */
export interface AudioPort extends AudioEndpoint {
  sendDtmf(digit: string, durationMs?: number): Promise<void>;
}

export type LegState = 'new' | 'ringing' | 'answered' | 'ended';

export interface LegEvents {
  ringing: [];
  answered: [];
  held: [];
  resumed: [];
  dtmf: [digit: string];
  /** A transfer request from the far end (SIP REFER): the call layer decides. */
  transferRequested: [target: string];
  ended: [cause: string];
}

/**
 * One party's connection to a call: a SIP dialog with RTP, or a browser's WebRTC
 * connection. Calls, flows and bridges only use this interface, so every call
 * action works the same on both.
 */
export abstract class Leg extends EventEmitter<LegEvents> {
  state: LegState = 'new';
  onHold = false;
  endCause: string | null = null;

  constructor(
    readonly id: string,
    readonly kind: 'sip' | 'webrtc',
    readonly direction: 'inbound' | 'outbound',
    /** The far end: a SIP URI or `user:<id>`. */
    readonly remote: string,
  ) {
    super();
  }

  /** Audio of this leg; null before media is set up or after it ended. */
  abstract get audio(): AudioPort | null;

  /** Inbound: tell the caller it is ringing (180). */
  abstract ring(): void;
  /** Inbound: answer (200 OK). Resolves when media can flow. */
  abstract answer(): Promise<void>;
  abstract hold(): Promise<void>;
  abstract resume(): Promise<void>;
  /** Ends the leg: reject/cancel if not answered, BYE if answered. */
  abstract hangup(cause: string): Promise<void>;

  /**
   * True once answered (at once if it already is), false if it ends first. Use it rather
   * than an 'answered' listener wherever the leg may have been answered already.
   */
  answeredOrEnded(): Promise<boolean> {
    if (this.state === 'answered') return Promise.resolve(true);
    if (this.state === 'ended') return Promise.resolve(false);
    return new Promise((resolve) => {
      const answered = () => {
        this.off('ended', ended);
        resolve(true);
      };
      const ended = () => {
        this.off('answered', answered);
        resolve(false);
      };
      this.once('answered', answered);
      this.once('ended', ended);
    });
  }

  protected markAnswered(): void {
    if (this.state === 'ended' || this.state === 'answered') return;
    this.state = 'answered';
    this.emit('answered');
  }

  protected markEnded(cause: string): void {
    if (this.state === 'ended') return;
    this.state = 'ended';
    this.endCause = cause;
    this.emit('ended', cause);
  }
}
