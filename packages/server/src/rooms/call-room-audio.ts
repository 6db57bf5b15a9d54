import { randomInt } from 'node:crypto';
import { RtpHeader, RtpPacket } from 'werift';
import type { AudioPort } from '../calls/leg.js';
import type { JitterFrameKind } from '../media/jitter-buffer.js';
import { JitterBuffer } from '../media/jitter-buffer.js';
import { g711Decode, g711Encode, PT_PCMU } from '../media/g711.js';
import type { ExternalAudioParticipant } from './external-audio.js';

const FRAME = 160; // 20 ms of 8 kHz PCMU: what browsers send in a PCMU room and what calls carry
/** A publisher silent this long (left, muted) loses its jitter buffer. */
const IDLE_PUBLISHER_MS = 2000;

interface Inbound {
  jitter: JitterBuffer;
  lastPushMs: number;
}

/**
 * The audio of a phone call in a PCMU room. Towards the caller: every publisher's
 * packets go through their own jitter buffer and are summed each clock tick into one
 * frame — the caller's "mix-minus" (the room never forwards the caller's own packets
 * back). From the caller: each jitter-buffered frame is re-packetised as PCMU with an
 * RFC 6464 level, so browsers subscribe to it like to any publisher and the active
 * speaker detector hears it.
 */
export class CallRoomAudio {
  private readonly inbound = new Map<string, Inbound>();
  private readonly decoded = new Int16Array(FRAME);
  private readonly frame = new Int16Array(FRAME);
  private readonly sum = new Int32Array(FRAME);
  private readonly mixed = new Int16Array(FRAME);
  private participant: ExternalAudioParticipant | null = null;
  private stopClock: (() => void) | null = null;
  private seq = randomInt(0x10000);
  private ts = randomInt(0x100000000);
  private talking = false;

  constructor(private readonly audio: AudioPort) {}

  /** The room's packets for this caller (`ExternalAudioOptions.onRtp`). */
  readonly receive = (fromParticipantId: string, packet: RtpPacket): void => {
    if (packet.header.payloadType !== PT_PCMU || packet.payload.length !== FRAME) return;
    let entry = this.inbound.get(fromParticipantId);
    if (!entry) this.inbound.set(fromParticipantId, (entry = { jitter: new JitterBuffer(), lastPushMs: 0 }));
    const now = performance.now();
    g711Decode('ulaw', packet.payload, this.decoded);
    entry.jitter.push(packet.header.sequenceNumber, packet.header.timestamp, this.decoded, now);
    entry.lastPushMs = now;
  };

  start(participant: ExternalAudioParticipant): void {
    this.participant = participant;
    this.audio.on('audio', this.onCallerFrame);
    this.stopClock = this.audio.clock.subscribe(() => this.tick());
  }

  stop(): void {
    this.audio.off('audio', this.onCallerFrame);
    this.stopClock?.();
    this.stopClock = null;
    this.participant = null;
    this.inbound.clear();
  }

  private tick(): void {
    const now = performance.now();
    this.sum.fill(0);
    for (const [id, entry] of this.inbound) {
      if (now - entry.lastPushMs > IDLE_PUBLISHER_MS) {
        this.inbound.delete(id);
        continue;
      }
      if (entry.jitter.pop(this.frame) === 'silence') continue;
      for (let i = 0; i < FRAME; i++) this.sum[i] += this.frame[i];
    }
    for (let i = 0; i < FRAME; i++) {
      const v = this.sum[i];
      this.mixed[i] = v > 32767 ? 32767 : v < -32768 ? -32768 : v;
    }
    // Silence is sent too: the caller's phone keeps a steady stream instead of timing out.
    this.audio.sendFrame(this.mixed);
  }

  private readonly onCallerFrame = (pcm: Int16Array, kind: JitterFrameKind): void => {
    const participant = this.participant;
    if (!participant) return;
    if (kind === 'silence') {
      this.talking = false;
      return;
    }
    this.seq = (this.seq + 1) & 0xffff;
    this.ts = (this.ts + FRAME) >>> 0;
    // A fresh buffer per packet: subscribers' senders hold on to the payload.
    const payload = Buffer.from(g711Encode('ulaw', pcm.subarray(0, FRAME), new Uint8Array(FRAME)).buffer);
    const header = new RtpHeader({ payloadType: PT_PCMU, sequenceNumber: this.seq, timestamp: this.ts, marker: !this.talking });
    this.talking = true;
    participant.sendRtp(new RtpPacket(header, payload), levelDbov(pcm));
  };
}

/** RFC 6464 level of a frame: 0 (full scale) … 127 (silence), in -dBov. */
export function levelDbov(pcm: Int16Array): number {
  let energy = 0;
  for (let i = 0; i < FRAME; i++) energy += pcm[i] * pcm[i];
  const rms = Math.sqrt(energy / FRAME);
  if (rms < 1) return 127;
  return Math.min(127, Math.max(0, Math.round(-20 * Math.log10(rms / 32768))));
}
