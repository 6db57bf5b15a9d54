/**
 * RFC 4733 telephone-events ("RFC 2833 DTMF"): the 4-byte payload codec, a sender that
 * follows RFC 4733 §2.5.1 timing, and a receiver that turns the redundant packet
 * stream back into one digit per key press.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { CallsightError } from '../core/errors.js';
import { type DtmfDigit, dtmfDigitForEvent, dtmfEventCode } from './dtmf-digit.js';

/** Payload type most peers offer for telephone-event/8000 (dynamic; negotiated in SDP). */
export const DEFAULT_TELEPHONE_EVENT_PT = 101;

export interface TelephoneEvent {
  /** Event code (0-15 for DTMF). */
  event: number;
  /** E bit: this packet ends the event. */
  end: boolean;
  /** Power level in −dBm0, 0..63 (RFC 4733 §2.3.4). */
  volume: number;
  /** Duration so far in RTP timestamp units (16 bits). */
  duration: number;
}

/** Encodes the RFC 4733 §2.3 payload: event(8) | E R volume(6) | duration(16). */
export function encodeTelephoneEvent(e: TelephoneEvent): Uint8Array {
  return Uint8Array.of(e.event & 0xff, (e.end ? 0x80 : 0) | (e.volume & 0x3f), (e.duration >> 8) & 0xff, e.duration & 0xff);
}

/** Decodes the first event of a telephone-event payload; null if shorter than 4 bytes. */
export function decodeTelephoneEvent(payload: Uint8Array): TelephoneEvent | null {
  if (payload.length < 4) return null;
  return {
    event: payload[0],
    end: (payload[1] & 0x80) !== 0,
    volume: payload[1] & 0x3f,
    duration: (payload[2] << 8) | payload[3],
  };
}

/** Sends one packet: the caller owns SSRC and sequence numbers (shared with the audio stream). */
export type TelephoneEventSink = (payload: Uint8Array, marker: boolean, timestamp: number) => void;

export interface DtmfEventSenderOptions {
  clockRate?: number;
  /** −dBm0 reported in the volume field. Default 10. */
  volume?: number;
  /** Interval between update packets, ms (RFC 4733 §2.5.1.2 suggests 50 ms). */
  updateIntervalMs?: number;
  /** Spacing of the three end packets, ms: spreading them survives short loss bursts. */
  endSpacingMs?: number;
}

/**
 * Sends one digit as an RFC 4733 event: the first packet carries the marker bit, updates
 * follow every `updateIntervalMs` with the growing duration, and the end packet is sent
 * three times (§2.5.1.4), all with the event's start timestamp.
 */
export class DtmfEventSender {
  private readonly clockRate: number;
  private readonly volume: number;
  private readonly updateIntervalMs: number;
  private readonly endSpacingMs: number;

  constructor(
    private readonly sink: TelephoneEventSink,
    opts: DtmfEventSenderOptions = {},
  ) {
    this.clockRate = opts.clockRate ?? 8000;
    this.volume = opts.volume ?? 10;
    this.updateIntervalMs = opts.updateIntervalMs ?? 50;
    this.endSpacingMs = opts.endSpacingMs ?? 20;
  }

  /** Sends `digit` lasting `durationMs`, starting at RTP `timestamp`; resolves after the last end packet. */
  async send(digit: DtmfDigit, durationMs: number, timestamp: number, signal?: AbortSignal): Promise<void> {
    const units = Math.round((durationMs * this.clockRate) / 1000);
    if (!(durationMs >= 10) || units > 0xffff) {
      // Longer events need RFC 4733 §2.5.1.5 segmentation, which key presses never require.
      throw new CallsightError('dtmf_duration_out_of_range', `DTMF duration must be 10..${Math.floor((0xffff * 1000) / this.clockRate)} ms`, {
        status: 400,
      });
    }
    const event = dtmfEventCode(digit);
    const started = performance.now();
    const at = async (ms: number) => {
      const wait = started + ms - performance.now();
      if (wait > 0) await sleep(wait, undefined, { signal });
    };
    for (let t = 0; t < durationMs; t += this.updateIntervalMs) {
      await at(t);
      const duration = Math.round((t * this.clockRate) / 1000);
      this.sink(encodeTelephoneEvent({ event, end: false, volume: this.volume, duration }), t === 0, timestamp);
    }
    const end = encodeTelephoneEvent({ event, end: true, volume: this.volume, duration: units });
    for (let i = 0; i < 3; i++) {
      await at(durationMs + i * this.endSpacingMs);
      this.sink(end, false, timestamp);
    }
  }
}

export interface ReceivedDtmf {
  digit: DtmfDigit;
  durationMs: number;
}

/**
 * Collapses the telephone-event packet stream into one result per key press. Packets of
 * one event share an RTP timestamp (RFC 4733 §2.5.1), so the timestamp identifies the
 * press: the first end packet reports it, repeats and late updates are ignored, and an
 * event whose end packets were all lost is reported when the next event starts.
 */
export class DtmfEventReceiver {
  private activeTimestamp: number | null = null;
  private activeDigit: DtmfDigit | null = null;
  private activeDuration = 0;
  private lastEndedTimestamp: number | null = null;

  constructor(private readonly clockRate = 8000) {}

  /** Feeds one telephone-event payload; returns a digit when a press completes. */
  receive(payload: Uint8Array, timestamp: number): ReceivedDtmf | null {
    const e = decodeTelephoneEvent(payload);
    const digit = e && dtmfDigitForEvent(e.event);
    if (!e || !digit || timestamp === this.lastEndedTimestamp) return null;
    let result: ReceivedDtmf | null = null;
    if (this.activeTimestamp !== null && this.activeTimestamp !== timestamp && this.activeDigit) {
      result = this.result(this.activeDigit, this.activeDuration); // previous press lost its end packets
    }
    if (e.end) {
      this.lastEndedTimestamp = timestamp;
      this.activeTimestamp = null;
      this.activeDigit = null;
      return result ?? this.result(digit, e.duration);
    }
    this.activeTimestamp = timestamp;
    this.activeDigit = digit;
    this.activeDuration = e.duration;
    return result;
  }

  private result(digit: DtmfDigit, duration: number): ReceivedDtmf {
    return { digit, durationMs: Math.round((duration * 1000) / this.clockRate) };
  }
}
