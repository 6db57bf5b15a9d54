import { EventEmitter } from 'node:events';
import { CallsightError } from '../core/errors.js';
import type { MediaClock } from '../media/clock.js';
import { isDtmfDigit } from '../media/dtmf-digit.js';
import type { JitterFrameKind } from '../media/jitter-buffer.js';
import type { WebRtcLeg } from '../webrtc/webrtc-leg.js';
import type { AudioPort } from './leg.js';

/**
 * One 20 ms Opus frame of silence (TOC 0xF8: CELT fullband 20 ms, mono, one frame),
 * the packet browsers and SFUs commonly send for "nothing": relayed in place of the
 * audio on hold so the far browser keeps a steady stream and hears the hold.
 */
const OPUS_SILENCE = Buffer.from([0xf8, 0xff, 0xfe]);

/**
 * The audio of a browser leg negotiated with Opus, used when both ends of a call are
 * browsers: the server has no Opus codec, so the packets go from one browser to the
 * other untouched (as in the SFU) and there are no PCM frames — nothing is emitted on
 * 'audio' and `sendFrame` refuses. Prompts, recording, echo and conferences need PCM,
 * so the calls layer refuses them on such a call (`call_media_opus`); the codec is only
 * chosen when the target is app users alone, where none of these is set up.
 */
export class OpusBrowserAudio extends EventEmitter<{ audio: [Int16Array, JitterFrameKind]; sent: [Int16Array] }> implements AudioPort {
  /** On hold: both directions carry Opus silence (see BrowserAudio.muted). */
  muted = false;

  constructor(
    readonly clock: MediaClock,
    private readonly webrtc: WebRtcLeg,
    private readonly pushDigit: (digit: string) => void,
  ) {
    super();
  }

  /** Relays this browser's packets to `to` as they arrive; returns the stop. */
  relayTo(to: OpusBrowserAudio): () => void {
    return this.webrtc.onRtp((payload, meta) => {
      if (meta.pt !== this.webrtc.audioPayloadType) return;
      to.webrtc.relayRtp(this.muted || to.muted ? OPUS_SILENCE : payload, meta);
    });
  }

  sendFrame(): boolean {
    return false;
  }

  /** Digits reach the app as `call.dtmf` messages, as on a PCMU browser leg. */
  async sendDtmf(digit: string): Promise<void> {
    if (!isDtmfDigit(digit)) throw new CallsightError('invalid_dtmf', `Not a DTMF digit: ${digit}`, { status: 400 });
    this.pushDigit(digit);
  }

  close(): void {
    this.removeAllListeners();
  }
}
