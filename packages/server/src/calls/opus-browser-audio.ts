import { EventEmitter } from 'node:events';
import { CallsightError } from '../core/errors.js';
import type { MediaClock } from '../media/clock.js';
import { CodecReceiver } from '../media/codec-receiver.js';
import { isDtmfDigit } from '../media/dtmf-digit.js';
import { JitterBuffer, type JitterFrameKind } from '../media/jitter-buffer.js';
import { OpusCodec } from '../media/opus-codec.js';
import { FRAME_SAMPLES } from '../media/rtp-session.js';
import { transcodeStats } from '../media/transcode-stats.js';
import type { WebRtcLeg } from '../webrtc/webrtc-leg.js';
import type { AudioPort } from './leg.js';

/**
 * One 20 ms Opus frame of silence (TOC 0xF8: CELT fullband 20 ms, mono, one frame),
 * the packet browsers and SFUs commonly send for "nothing": relayed in place of the
 * audio on hold so the far browser keeps a steady stream and hears the hold.
 */
const OPUS_SILENCE = Buffer.from([0xf8, 0xff, 0xfe]);
/** After the server's last own frame, how long relayed packets stay held back (a tick and a half). */
const OWN_FRAMES_HOLD_MS = 30;
/** Opus RTP timestamps run at 48 kHz; the frames here at 8 kHz. */
const TICKS_PER_SAMPLE = 6;

/**
 * The audio of a browser leg negotiated with Opus. Between two browsers the packets go
 * from one to the other untouched (`relayTo`), as in the SFU, and the server spends
 * nothing on them. The moment something needs PCM — a listener on 'audio' (recording,
 * a conference, a bridge to a phone, DTMF-free gathers), or `sendFrame` (a prompt, a
 * mix, a phone's voice) — the leg starts decoding the browser's packets into 8 kHz
 * frames (libopus resamples) and encoding frames towards it, in the same RTP stream
 * (no renegotiation: sequence numbers and timestamps carry on across the switch, see
 * WebRtcLeg.sendOpus). While it sends its own frames, relayed packets are held back;
 * when it stops, relaying resumes. Decoding stops when the last 'audio' listener goes.
 */
export class OpusBrowserAudio extends EventEmitter<{ audio: [Int16Array, JitterFrameKind]; sent: [Int16Array] }> implements AudioPort {
  /** On hold: both directions carry Opus silence (see BrowserAudio.muted). */
  muted = false;
  private readonly jitter = new JitterBuffer();
  private readonly frame = new Int16Array(FRAME_SAMPLES);
  private readonly silence = new Int16Array(FRAME_SAMPLES);
  private readonly unsubscribe: () => void;
  private readonly stopReceiving: () => void;
  private decoder: OpusCodec | null = null;
  private receiver: CodecReceiver | null = null;
  private encoder: OpusCodec | null = null;
  /** Decodes what is relayed to this browser, only for 'sent' listeners (a mixed recording). */
  private sentDecoder: OpusCodec | null = null;
  private ownUntil = 0;
  private sentThisTick = false;

  constructor(
    readonly clock: MediaClock,
    private readonly webrtc: WebRtcLeg,
    private readonly pushDigit: (digit: string) => void,
  ) {
    super();
    this.stopReceiving = webrtc.onRtp((payload, meta) => {
      if (meta.pt !== webrtc.audioPayloadType) return;
      if (this.listenerCount('audio') === 0) {
        this.stopDecoding();
        return;
      }
      this.decoder ??= new OpusCodec({ sampleRate: 8000 });
      this.receiver ??= new CodecReceiver(new Map([[meta.pt, this.decoder]]));
      const receiver = this.receiver;
      const frames = transcodeStats.time(() => receiver.receive(meta.pt, meta.seq, payload));
      // Concealment for the packets missed before this one, then this one, each in its slot.
      for (let i = 0; i < frames.length; i++) {
        const back = frames.length - 1 - i;
        this.jitter.push((meta.seq - back) & 0xffff, ((meta.ts >>> 0) / TICKS_PER_SAMPLE - back * FRAME_SAMPLES) >>> 0, frames[i], performance.now());
      }
    });
    this.unsubscribe = clock.subscribe(() => {
      this.sentThisTick = false;
      if (this.listenerCount('audio') === 0) return;
      const kind = this.jitter.pop(this.frame);
      if (this.muted) this.emit('audio', this.silence, 'audio');
      else this.emit('audio', this.frame, kind);
    });
    transcodeStats.add(this);
  }

  /** Decoding or encoding right now (for the transcoding-legs gauge). */
  get transcoding(): boolean {
    return this.decoder !== null || performance.now() < this.ownUntil;
  }

  /** Relays this browser's packets to `to` as they arrive; returns the stop. */
  relayTo(to: OpusBrowserAudio): () => void {
    return this.webrtc.onRtp((payload, meta) => {
      if (meta.pt !== this.webrtc.audioPayloadType) return;
      to.relayed(this.muted ? OPUS_SILENCE : payload, meta);
    });
  }

  /** A packet of the far browser for this one: forwarded untouched unless the server is sending its own frames. */
  private relayed(payload: Buffer, meta: { seq: number; ts: number; marker: boolean }): void {
    if (performance.now() < this.ownUntil) return;
    const packet = this.muted ? OPUS_SILENCE : payload;
    this.webrtc.relayRtp(packet, meta);
    if (this.listenerCount('sent') > 0) {
      const decoder = (this.sentDecoder ??= new OpusCodec({ sampleRate: 8000 }));
      const pcm = transcodeStats.time(() => decoder.decode(packet) ?? decoder.conceal());
      this.emit('sent', pcm.length === FRAME_SAMPLES ? pcm : pcm.subarray(0, FRAME_SAMPLES));
    }
  }

  /** Encodes one 8 kHz frame to Opus and sends it in place of relayed packets. */
  sendFrame(pcm: Int16Array): boolean {
    if (this.sentThisTick) return false;
    this.sentThisTick = true;
    const frame = this.muted ? this.silence : pcm.length === FRAME_SAMPLES ? pcm : pcm.subarray(0, FRAME_SAMPLES);
    const encoder = (this.encoder ??= new OpusCodec({ sampleRate: 8000 }));
    const packet = transcodeStats.time(() => encoder.encode(frame));
    this.ownUntil = performance.now() + OWN_FRAMES_HOLD_MS;
    if (packet) this.webrtc.sendOpus(Buffer.from(packet));
    this.emit('sent', frame);
    return true;
  }

  /** Digits reach the app as `call.dtmf` messages, as on a PCMU browser leg. */
  async sendDtmf(digit: string): Promise<void> {
    if (!isDtmfDigit(digit)) throw new CallsightError('invalid_dtmf', `Not a DTMF digit: ${digit}`, { status: 400 });
    this.pushDigit(digit);
  }

  private stopDecoding(): void {
    if (!this.decoder) return;
    this.decoder.close();
    this.decoder = null;
    this.receiver = null;
  }

  close(): void {
    this.unsubscribe();
    this.stopReceiving();
    this.stopDecoding();
    this.encoder?.close();
    this.encoder = null;
    this.sentDecoder?.close();
    this.sentDecoder = null;
    transcodeStats.remove(this);
    this.removeAllListeners();
  }
}
