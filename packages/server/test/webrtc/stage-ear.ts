import { ROOM_STAGE_SLOTS } from '@callsight/protocol';
import { RTCPeerConnection, RTCRtpCodecParameters, useSdesMid } from 'werift';
import { gatherHostCandidatesOnly, waitForIceGathering } from '../../src/webrtc/ice-gathering.js';

/**
 * A werift listener on a room's stage subscription (`room.subscribe_stage`), as the SDK
 * Room with `stage` is in a browser: one connection, ROOM_STAGE_SLOTS recvonly audio
 * m-lines, and what arrives on each slot kept with its sequence number.
 */
export class StageEar {
  readonly pc = new RTCPeerConnection({
    codecs: { audio: [new RTCRtpCodecParameters({ mimeType: 'audio/opus', clockRate: 48000, channels: 2, payloadType: 111 })] },
    headerExtensions: { audio: [useSdesMid()] },
    iceUseIpv6: false,
    iceServers: [],
    iceAdditionalHostAddresses: ['127.0.0.1'],
  });
  /** Per slot, in m-line order. */
  readonly received: { seq: number; ts: number; marker: boolean; payload: Buffer; at: number }[][] = [];
  onPacket: ((slot: number, payload: Buffer) => void) | null = null;

  constructor(private readonly keep = true) {
    this.pc.onTrack.subscribe((track) => {
      const slot = this.pc.getTransceivers().findIndex((t) => t.receiver.track === track);
      track.onReceiveRtp.subscribe((rtp) => {
        if (this.keep) (this.received[slot] ??= []).push({ seq: rtp.header.sequenceNumber, ts: rtp.header.timestamp, marker: rtp.header.marker, payload: rtp.payload, at: performance.now() });
        this.onPacket?.(slot, rtp.payload);
      });
    });
  }

  async offer(): Promise<string> {
    for (let i = 0; i < ROOM_STAGE_SLOTS; i++) this.pc.addTransceiver('audio', { direction: 'recvonly' });
    const offer = await this.pc.createOffer();
    gatherHostCandidatesOnly(this.pc);
    await this.pc.setLocalDescription(offer);
    await waitForIceGathering(this.pc);
    return this.pc.localDescription!.sdp;
  }

  async accept(answerSdp: string): Promise<void> {
    await this.pc.setRemoteDescription({ type: 'answer', sdp: answerSdp });
  }

  /** The first byte of each payload heard on `slot`: who spoke there (tests name their frames). */
  voicesOn(slot: number): string[] {
    return [...new Set((this.received[slot] ?? []).map((x) => x.payload.subarray(0, 1).toString()))];
  }

  close(): Promise<void> {
    return this.pc.close();
  }
}
