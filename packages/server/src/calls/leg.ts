import { TypedEmitter } from '../core/typed-emitter.js';
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
export abstract class Leg extends TypedEmitter<LegEvents> {
  private current: LegState = 'new';
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

  /** Where the leg is; it changes only through the mark* steps below, each emitting its event. */
  get state(): LegState {
    return this.current;
  }

  /** True once the leg has ended (hung up, rejected, failed): nothing more happens on it. */
  get closed(): boolean {
    return this.current === 'ended';
  }

  /**
   * The close contract of server objects: idempotent, `closed` after. A leg closes by
   * hanging up (a fork leg hangs up its branches: parents close their children).
   */
  async close(cause = 'closed'): Promise<void> {
    if (!this.closed) await this.hangup(cause);
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

  /**
   * The far end is ringing. `announce` false for an inbound leg we make ring: the
   * call already knows (it asked), only outbound ringing is news to listen for.
   */
  protected markRinging(announce = true): void {
    if (this.current !== 'new') return;
    this.current = 'ringing';
    if (announce) this.safeEmit('ringing');
  }

  protected markAnswered(): void {
    if (this.current === 'ended' || this.current === 'answered') return;
    this.current = 'answered';
    this.safeEmit('answered');
  }

  protected markEnded(cause: string): void {
    if (this.current === 'ended') return;
    this.current = 'ended';
    this.endCause = cause;
    this.safeEmit('ended', cause);
  }

  /** A key pressed on this leg (RFC 4733, SIP INFO, in-band, or the app's `call.dtmf`): listeners may not break the media loop that found it. */
  protected pressed(digit: string): void {
    if (this.digitSink) {
      try {
        this.digitSink(digit);
      } catch {
        // The sink's own fault; the key stays consumed either way (never relayed, never an event).
      }
      return;
    }
    this.safeEmit('dtmf', digit);
  }

  private digitSink: ((digit: string) => void) | null = null;

  /**
   * Until the returned function runs, every key pressed on this leg goes to `sink` only:
   * no 'dtmf' listener (the bridge's relay to the far end, the call's `call.dtmf` event,
   * an IVR) sees it. Keypad capture of a card number uses it.
   */
  divertDigits(sink: (digit: string) => void): () => void {
    if (this.digitSink) throw new Error('digits are already diverted');
    this.digitSink = sink;
    return () => {
      if (this.digitSink === sink) this.digitSink = null;
    };
  }
}
