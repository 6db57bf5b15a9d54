import { writeFileSync } from 'node:fs';
import { g711Encode } from '../../src/media/g711.js';
import { RtpPacketizer } from '../../src/media/packetizer.js';

/**
 * Writes 8 kHz PCM as a pcap of 20 ms PCMU RTP packets (Ethernet/IPv4/UDP), the format
 * sipp's play_pcap_audio replays: it keeps the RTP and the timing, and rewrites the
 * addresses. Lets a test send any audio, e.g. in-band DTMF tones, from sipp.
 */
export function writePcmuPcap(file: string, pcm: Int16Array): void {
  const packetizer = new RtpPacketizer({ payloadType: 0 });
  const records: Buffer[] = [];
  const global = Buffer.alloc(24);
  global.writeUInt32LE(0xa1b2c3d4, 0);
  global.writeUInt16LE(2, 4);
  global.writeUInt16LE(4, 6);
  global.writeUInt32LE(65535, 16);
  global.writeUInt32LE(1, 20); // LINKTYPE_ETHERNET
  records.push(global);
  for (let i = 0, n = 0; i + 160 <= pcm.length; i += 160, n++) {
    const rtp = packetizer.audio(g711Encode('ulaw', pcm.subarray(i, i + 160)));
    const udpLength = 8 + rtp.length;
    const ipLength = 20 + udpLength;
    const frame = Buffer.alloc(14 + ipLength);
    frame.writeUInt16BE(0x0800, 12); // IPv4
    const ip = frame.subarray(14);
    ip[0] = 0x45;
    ip.writeUInt16BE(ipLength, 2);
    ip[8] = 64;
    ip[9] = 17; // UDP
    Buffer.from([127, 0, 0, 1]).copy(ip, 12);
    Buffer.from([127, 0, 0, 1]).copy(ip, 16);
    let sum = 0;
    for (let j = 0; j < 20; j += 2) sum += ip.readUInt16BE(j);
    while (sum > 0xffff) sum = (sum & 0xffff) + (sum >> 16);
    ip.writeUInt16BE(~sum & 0xffff, 10);
    const udp = ip.subarray(20);
    udp.writeUInt16BE(6000, 0);
    udp.writeUInt16BE(6002, 2);
    udp.writeUInt16BE(udpLength, 4);
    rtp.copy(udp, 8);
    const header = Buffer.alloc(16);
    const usec = n * 20_000;
    header.writeUInt32LE(Math.floor(usec / 1e6), 0);
    header.writeUInt32LE(usec % 1e6, 4);
    header.writeUInt32LE(frame.length, 8);
    header.writeUInt32LE(frame.length, 12);
    records.push(header, frame);
  }
  writeFileSync(file, Buffer.concat(records));
}
