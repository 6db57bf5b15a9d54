import { randomInt } from 'node:crypto';
import { RtpHeader, RtpPacket } from 'werift';
import type { AudioPort } from '../calls/leg.js';
import type { AudioCodec } from '../media/codec.js';
import type { JitterFrameKind } from '../media/jitter-buffer.js';
import { transcodeStats } from '../media/transcode-stats.js';
import type { ExternalAudioParticipant } from './external-audio.js';
import { ROOM_CODECS, RoomMixer } from './room-mixer.js';
import type { RoomAudioCodec } from './room-schema.js';

const FRAME = 160; // 20 ms of 8 kHz PCM: what calls carry

/**
 * The audio of a phone call in a room. Towards the caller: every publisher's packets are
 * decoded (Opus or PCMU, the room's codec) and go through their own jitter buffer, and
 * are summed each clock tick into one frame — the caller's "mix-minus" (the room never
 * forwards the caller's own packets back). From the caller: each jitter-buffered frame
 * is encoded in the room's codec with an RFC 6464 level, so browsers subscribe to it
 * like to any publisher and the active speaker detector hears it. In an Opus room that
 * is the transcoding: the phone hears the room mixed to PCMU, the room hears the phone
 * in Opus.
 */
export class CallRoomAudio {
  private readonly mixer: RoomMixer;
  private participant: ExternalAudioParticipant | null = null;
  private stopClock: (() => void) | null = null;
  private seq = randomInt(0x10000);
  private ts = randomInt(0x100000000);
  private talking = false;
  private readonly roomCodec: (typeof ROOM_CODECS)[RoomAudioCodec];
  private readonly encoder: AudioCodec;

  constructor(
    private readonly audio: AudioPort,
    readonly codec: RoomAudioCodec = 'pcmu',
  ) {
    this.roomCodec = ROOM_CODECS[codec];
    this.encoder = this.roomCodec.create(8000);
    this.mixer = new RoomMixer(codec, 8000);
    if (codec === 'opus') transcodeStats.add(this);
  }

  /** For the transcoding-legs gauge: a phone in an Opus room always is. */
  get transcoding(): boolean {
    return this.participant !== null;
  }

  /** The room's packets for this caller (`ExternalAudioOptions.onRtp`). */
  readonly receive = (fromParticipantId: string, packet: RtpPacket): void => this.mixer.receive(fromParticipantId, packet);

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
    this.mixer.close();
    this.encoder.close();
    transcodeStats.remove(this);
  }

  private tick(): void {
    // Silence is sent too: the caller's phone keeps a steady stream instead of timing out.
    this.audio.sendFrame(this.mixer.mix());
  }

  private readonly onCallerFrame = (pcm: Int16Array, kind: JitterFrameKind): void => {
    const participant = this.participant;
    if (!participant) return;
    if (kind === 'silence') {
      this.talking = false;
      return;
    }
    const frame = pcm.subarray(0, FRAME);
    const encoded = this.codec === 'opus' ? transcodeStats.time(() => this.encoder.encode(frame)) : this.encoder.encode(frame);
    if (!encoded) return;
    this.seq = (this.seq + 1) & 0xffff;
    this.ts = (this.ts + this.roomCodec.ticks) >>> 0;
    // A fresh buffer per packet: subscribers' senders hold on to the payload.
    const payload = Buffer.from(encoded);
    const header = new RtpHeader({ payloadType: this.roomCodec.pt, sequenceNumber: this.seq, timestamp: this.ts, marker: !this.talking });
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
