/**
 * What the table-of-contents byte of an Opus packet says (RFC 6716 §3.1), read without
 * decoding: how long the packet plays (for Ogg granule positions and RTP timestamps)
 * and whether its framing is possible at all, so a corrupt packet is dropped before it
 * reaches the decoder.
 */

/** Frame length in 48 kHz samples for each of the 32 TOC configurations. */
const FRAME_SAMPLES_48K = [
  // SILK NB/MB/WB: 10, 20, 40, 60 ms
  480, 960, 1920, 2880, 480, 960, 1920, 2880, 480, 960, 1920, 2880,
  // Hybrid SWB/FB: 10, 20 ms
  480, 960, 480, 960,
  // CELT NB/WB/SWB/FB: 2.5, 5, 10, 20 ms
  120, 240, 480, 960, 120, 240, 480, 960, 120, 240, 480, 960, 120, 240, 480, 960,
];

/** Samples per channel at 48 kHz that `packet` decodes to, or 0 if its framing is invalid. */
export function opusPacketSamples48k(packet: Uint8Array): number {
  if (packet.length < 1) return 0;
  const toc = packet[0];
  const perFrame = FRAME_SAMPLES_48K[toc >> 3];
  let frames: number;
  switch (toc & 3) {
    case 0:
      frames = 1;
      break;
    case 1:
      frames = 2;
      break;
    case 2:
      // Two frames of different sizes: the first size must be present.
      if (packet.length < 2) return 0;
      frames = 2;
      break;
    default:
      if (packet.length < 2) return 0;
      frames = packet[1] & 0x3f;
      if (frames === 0) return 0;
  }
  const total = frames * perFrame;
  return total > 5760 ? 0 : total; // RFC 6716 §3.2.5: at most 120 ms per packet
}

/** Whether the TOC says stereo. */
export const opusPacketIsStereo = (packet: Uint8Array): boolean => packet.length > 0 && (packet[0] & 0x04) !== 0;

/**
 * A DTX packet: the encoder had nothing to say (≤ 2 bytes, only the TOC and maybe a
 * frame count); senders skip it and receivers conceal/comfort-noise the gap.
 */
export const isOpusDtxPacket = (packet: Uint8Array): boolean => packet.length <= 2;
