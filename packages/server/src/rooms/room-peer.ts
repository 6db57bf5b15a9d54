import { EventEmitter } from 'node:events';
import { MediaStreamTrack, RTCPeerConnection, RTP_EXTENSION_URI, type RtpPacket } from 'werift';
import { applyOffer, completeAnswer, noCommonCodec } from '../webrtc/answer-offer.js';
import { peerConfig } from '../webrtc/peer-config.js';
import { RtpForwarder } from '../webrtc/rtp-forwarder.js';
import type { RoomAudioCodec } from './room-schema.js';

export type MediaKind = 'audio' | 'video';

export interface RoomPeerEvents {
  connected: [];
  /** ICE/DTLS failed, the connect timer ran out, or the room closed the peer. */
  closed: [];
  /** (publish peers) an RTP packet; `audioLevel` is the RFC 6464 level in -dBov (0 loud … 127 silent). */
  rtp: [kind: MediaKind, packet: RtpPacket, audioLevel: number | undefined];
  /** (subscribe peers) the subscriber lost a video frame and needs a keyframe. */
  keyframeRequest: [];
}

/**
 * One direction of a participant's media in the SFU: a `publish` peer receives the
 * participant's tracks, a `subscribe` peer sends one publisher's tracks to a subscriber,
 * a `stage` peer sends a subscriber whoever speaks on stage, one audio slot per voice.
 * The browser always offers (sendonly to publish, recvonly to subscribe) and the server
 * answers, so no server-initiated renegotiation is ever needed.
 */
export class RoomPeer extends EventEmitter<RoomPeerEvents> {
  private closed = false;
  private readonly forwarders = new Map<MediaKind, RtpForwarder>();
  private readonly connectTimer: NodeJS.Timeout;
  /** Kinds negotiated in this peer. */
  readonly kinds: MediaKind[] = [];
  /** (stage peers) one forwarder per audio slot, in m-line order. */
  private readonly slots: RtpForwarder[] = [];
  /** kind → payload type of the negotiated media codec (not telephone-event/RTX). */
  private readonly mediaPayloadType = new Map<MediaKind, number>();

  private constructor(private readonly pc: RTCPeerConnection) {
    super();
    pc.connectionStateChange.subscribe((s) => {
      if (s === 'connected') {
        clearTimeout(this.connectTimer);
        this.emit('connected');
      } else if (s === 'failed' || s === 'closed') this.close();
    });
    // Tracks appear while the offer is applied, so listen from the start; a subscribe
    // peer's offer is recvonly and never yields one.
    pc.onTrack.subscribe((track) => {
      const kind = track.kind as MediaKind;
      track.onReceiveRtp.subscribe((packet, ext) => {
        // Only the negotiated media codec is forwarded: werift's sender stamps every packet
        // with its primary payload type, so a telephone-event packet would reach
        // subscribers disguised as Opus.
        if (packet.header.payloadType !== this.mediaPayloadType.get(kind)) return;
        const level = ext?.[RTP_EXTENSION_URI.audioLevelIndication] as { level: number } | undefined;
        this.emit('rtp', kind, packet, level?.level);
      });
    });
    this.connectTimer = setTimeout(() => this.close(), 15_000);
  }

  static async answer(
    offerSdp: string,
    opts: { direction: 'publish' | 'subscribe' | 'stage'; audioCodec: RoomAudioCodec; video: boolean; allowedKinds?: MediaKind[]; maxSlots?: number },
  ): Promise<{ peer: RoomPeer; answerSdp: string }> {
    const pc = new RTCPeerConnection(peerConfig({ profile: opts.audioCodec, video: opts.video }));
    const peer = new RoomPeer(pc);
    try {
      await applyOffer(pc, offerSdp, opts.audioCodec === 'opus' ? 'Opus audio' : 'PCMU audio');
      for (const t of pc.getTransceivers()) {
        const usable =
          t.codecs.length > 0 &&
          (!opts.allowedKinds || opts.allowedKinds.includes(t.kind as MediaKind)) &&
          (opts.direction !== 'stage' || (t.kind === 'audio' && peer.slots.length < (opts.maxSlots ?? Infinity)));
        if (!usable) {
          t.setDirection('inactive');
          continue;
        }
        if (!peer.kinds.includes(t.kind as MediaKind)) peer.kinds.push(t.kind as MediaKind);
        const media = t.codecs.find((c) => !/telephone-event|rtx|red|ulpfec/i.test(c.mimeType));
        if (media) peer.mediaPayloadType.set(t.kind as MediaKind, media.payloadType);
        if (opts.direction === 'publish') {
          t.setDirection('recvonly');
        } else {
          t.setDirection('sendonly');
          await t.sender.replaceTrack(new MediaStreamTrack({ kind: t.kind }));
          const forwarder = new RtpForwarder(t.sender);
          if (opts.direction === 'stage') peer.slots.push(forwarder);
          else peer.forwarders.set(t.kind as MediaKind, forwarder);
          if (t.kind === 'video') t.sender.onPictureLossIndication.subscribe(() => peer.emit('keyframeRequest'));
        }
      }
      if (!peer.kinds.includes('audio') && !peer.kinds.includes('video')) throw noCommonCodec('usable media');
      return { peer, answerSdp: await completeAnswer(pc) };
    } catch (err) {
      peer.close();
      throw err;
    }
  }

  /** Forwards one packet of a publisher: the payload is shared, only the header is this subscriber's. */
  forward(kind: MediaKind, packet: RtpPacket): void {
    if (!this.closed) this.forwarders.get(kind)?.forward(packet);
  }

  /** (stage peers) Forwards one stage voice's audio packet on slot `slot`; `source` names the stream (who, which assignment). */
  forwardSlot(slot: number, source: string, packet: RtpPacket): void {
    if (!this.closed) this.slots[slot]?.forward(packet, source);
  }

  get slotCount(): number {
    return this.slots.length;
  }

  /** Asks the publisher for a video keyframe (a subscriber joined or lost packets). */
  requestKeyframe(): void {
    for (const t of this.pc.getTransceivers()) {
      const ssrc = t.kind === 'video' ? t.receiver.track?.ssrc : undefined;
      if (ssrc !== undefined) void t.receiver.sendRtcpPLI(ssrc).catch(() => undefined);
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.connectTimer);
    void this.pc.close().catch(() => undefined);
    this.emit('closed');
  }
}
