import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MediaClock } from '../../src/media/clock.js';
import { startEcho } from '../../src/media/echo.js';
import { blockEnergy, goertzelPower } from '../../src/media/goertzel.js';
import { playPcm } from '../../src/media/player.js';
import { PortPool } from '../../src/media/port-pool.js';
import { startRecording } from '../../src/media/recorder.js';
import type { RtcpPacket } from '../../src/media/rtcp.js';
import { RtpSession, type RtpSessionOptions } from '../../src/media/rtp-session.js';
import { generateTone } from '../../src/media/tone.js';
import { decodeWav } from '../../src/media/wav.js';
import { waitFor } from '../helpers/wait.js';

// 30000–32599: below the kernel's ephemeral ports, above test servers' RTP blocks.
const base = 30000 + 2 * Math.floor(Math.random() * 1300);
const ports = new PortPool({ min: base, max: base + 200 });
const clock = new MediaClock();

const open = (opts: Partial<RtpSessionOptions> = {}) => RtpSession.open({ clock, ports, bindAddress: '127.0.0.1', ...opts });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Share of the signal's energy at `hz` (1 for a pure tone), averaged over 20 ms blocks:
 * block-wise so that phase changes between segments (a tone plus its delayed echo) do
 * not cancel out as they would in one long transform.
 */
function toneShare(pcm: Int16Array, hz: number): number {
  let sum = 0;
  let blocks = 0;
  for (let at = 0; at + 160 <= pcm.length; at += 160, blocks++) {
    sum += goertzelPower(pcm, hz, 8000, at, 160) / Math.max(1, blockEnergy(pcm, at, 160));
  }
  return sum / blocks;
}

/** Drops leading/trailing silence (jitter-buffer start-up, end of stream). */
function trimSilence(pcm: Int16Array): Int16Array {
  let s = 0;
  let e = pcm.length;
  while (s < e && Math.abs(pcm[s]) < 50) s++;
  while (e > s && Math.abs(pcm[e - 1]) < 50) e--;
  return pcm.subarray(s, e);
}

test('two sessions exchange 50 frames through the clock; the recording holds the 1 kHz tone', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'callsight-rtp-'));
  const b = await open();
  const a = await open({ remote: { address: '127.0.0.1', port: b.localPort } });
  try {
    const path = join(dir, 'b.wav');
    const recording = await startRecording(b, path);
    const latched = once(b, 'latched');
    const tone = generateTone([1000], 1000, { levelDbfs: -6 }); // 50 frames
    assert.equal(await playPcm(a, tone).done, 'completed');
    assert.deepEqual((await latched)[0], { address: '127.0.0.1', port: a.localPort, rtcpPort: a.localPort + 1 });
    await sleep(150); // let the jitter buffer drain
    const { durationSeconds } = await recording.stop();
    assert.ok(durationSeconds >= 1);
    assert.equal(b.stats.packetsReceived, 50);
    assert.equal(a.stats.packetsSent, 50);
    assert.equal(b.stats.lost, 0);

    const wav = decodeWav(await readFile(path));
    assert.equal(wav.sampleRate, 8000);
    const voiced = trimSilence(wav.samples);
    assert.ok(voiced.length >= 50 * 160 - 160, `recorded ${voiced.length} samples of tone`);
    assert.ok(toneShare(voiced, 1000) > 0.95, `1 kHz share ${toneShare(voiced, 1000).toFixed(3)}`);
    assert.ok(toneShare(voiced, 1500) < 0.01);
  } finally {
    await Promise.all([a.close(), b.close()]);
    await rm(dir, { recursive: true, force: true });
  }
});

test('RFC 4733 digits sent by one session are received once each by the other', async () => {
  const b = await open();
  const a = await open({ remote: { address: '127.0.0.1', port: b.localPort } });
  try {
    const digits: string[] = [];
    b.on('dtmf', (d) => digits.push(`${d.digit}:${d.durationMs}`));
    await Promise.all([a.sendDtmf('4', 100), a.sendDtmf('#', 120)]);
    await sleep(50);
    assert.deepEqual(digits, ['4:100', '#:120']);
    await assert.rejects(a.sendDtmf('x'), { code: 'dtmf_invalid_digit' });
  } finally {
    await Promise.all([a.close(), b.close()]);
  }
});

test('after a digit, an idle session sends 200 ms of silence so the peer jitter buffer releases the end packets', async () => {
  const b = await open();
  const a = await open({ remote: { address: '127.0.0.1', port: b.localPort } });
  try {
    const audioAfter: number[] = [];
    let digitSeen = false;
    b.on('dtmf', () => (digitSeen = true));
    b.on('packet', (p) => {
      if (digitSeen && p.payloadType === 0) audioAfter.push(p.sequenceNumber);
    });
    await a.sendDtmf('7', 60);
    await waitFor(() => audioAfter.length >= 10, 3000, 'trailing silence frames');
    await sleep(200);
    assert.equal(audioAfter.length, 10, 'then nothing while idle');
  } finally {
    await Promise.all([a.close(), b.close()]);
  }
});

test('malformed datagrams and packets from a foreign source are counted and dropped', async () => {
  const b = await open();
  const peer = createSocket('udp4');
  const stranger = createSocket('udp4');
  try {
    peer.bind(0, '127.0.0.1');
    stranger.bind(0, '127.0.0.1');
    await Promise.all([once(peer, 'listening'), once(stranger, 'listening')]);
    const rtp = (seq: number) => Buffer.concat([Buffer.from([0x80, 0, seq >> 8, seq & 0xff, 0, 0, 0, seq, 1, 2, 3, 4]), Buffer.alloc(160, 0xff)]);
    for (const junk of ['', 'hello', '\x40\x00garbage-version-1', '\x90\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00\x01\xbe\xde']) {
      peer.send(Buffer.from(junk, 'latin1'), b.localPort, '127.0.0.1');
    }
    peer.send(rtp(1), b.localPort, '127.0.0.1');
    await sleep(30);
    stranger.send(rtp(2), b.localPort, '127.0.0.1');
    peer.send(Buffer.from([0x80, 18, 0, 3, 0, 0, 0, 3, 1, 2, 3, 4, 9]), b.localPort, '127.0.0.1'); // G.729: not ours
    await sleep(50);
    const s = b.stats;
    assert.equal(s.malformed, 4);
    // Dropped either by the session or, once its socket is connected, by the kernel.
    assert.equal(s.foreignSource <= 1, true);
    assert.equal(s.packetsReceived, 2);
    assert.equal(s.unsupported, 1);
    assert.equal(b.remoteEndpoint?.port, peer.address().port);
  } finally {
    peer.close();
    stranger.close();
    await b.close();
  }
});

test("'timeout' fires when media stops; RTCP SR/RR flow over rtcp-mux", async () => {
  const b = await open({ rtcpMux: true, rtcpIntervalMs: 100, timeoutMs: 200 });
  const a = await open({ rtcpMux: true, rtcpIntervalMs: 100, remote: { address: '127.0.0.1', port: b.localPort } });
  try {
    const atB: RtcpPacket[] = [];
    const atA: RtcpPacket[] = [];
    b.on('rtcp', (p) => atB.push(...p));
    a.on('rtcp', (p) => atA.push(...p));
    await playPcm(a, generateTone([440], 400)).done;
    const timedOut = once(b, 'timeout');
    await timedOut;
    const sr = atB.find((p) => p.type === 'sr');
    assert.ok(sr && sr.type === 'sr', 'B received a sender report');
    assert.equal(sr.ssrc, a.ssrc);
    assert.ok(sr.packetCount > 0 && sr.packetCount <= 20);
    assert.ok(atB.some((p) => p.type === 'sdes'));
    const rr = atA.find((p) => (p.type === 'rr' || p.type === 'sr') && p.reports.length > 0);
    assert.ok(rr && (rr.type === 'rr' || rr.type === 'sr'), 'A received a reception report about its stream');
    assert.equal(rr.reports[0].ssrc, a.ssrc);
    assert.equal(rr.reports[0].cumulativeLost, 0);
  } finally {
    await Promise.all([a.close(), b.close()]);
  }
});

test('echo plays received audio back to the sender; mixed recording holds both directions', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'callsight-echo-'));
  const b = await open();
  const a = await open({ remote: { address: '127.0.0.1', port: b.localPort } });
  try {
    const stopEcho = startEcho(b);
    const path = join(dir, 'a-mixed.wav');
    const recording = await startRecording(a, path, 'mixed');
    await playPcm(a, generateTone([1000], 600, { levelDbfs: -12 })).done;
    await sleep(200);
    stopEcho();
    await recording.stop();
    assert.ok(b.stats.packetsSent >= 29, `echoed ${b.stats.packetsSent} frames`);
    const mixed = trimSilence(decodeWav(await readFile(path)).samples);
    // Both the sent tone and its echo are in the file: longer than the 600 ms sent.
    assert.ok(mixed.length > 0.6 * 8000, `mixed recording ${mixed.length} samples`);
    assert.ok(toneShare(mixed, 1000) > 0.9, `1 kHz share ${toneShare(mixed, 1000).toFixed(3)}`);
  } finally {
    await Promise.all([a.close(), b.close()]);
    await rm(dir, { recursive: true, force: true });
  }
});

test('reconfigure applies a negotiated answer: remote, A-law, rtcp-mux', async () => {
  const b = await open({ law: 'alaw', rtcpMux: true });
  const a = await open(); // opened before negotiation, as for an outbound offer
  try {
    a.reconfigure({ remote: { address: '127.0.0.1', port: b.localPort }, law: 'alaw', rtcpMux: true });
    assert.equal(a.law, 'alaw');
    const pts: number[] = [];
    b.on('packet', (p) => pts.push(p.payloadType));
    const frames: Int16Array[] = [];
    b.on('audio', (f, kind) => kind === 'audio' && frames.push(f.slice()));
    await playPcm(a, generateTone([1000], 200, { levelDbfs: -6 })).done;
    await sleep(100);
    assert.ok(pts.length >= 10 && pts.every((pt) => pt === 8), 'PCMA packets');
    assert.ok(frames.length >= 8 && toneShare(frames[5], 1000) > 0.95);
    assert.throws(() => b.reconfigure({ rtcpMux: false }), { code: 'media_rtcp_mux_mismatch' });
  } finally {
    await Promise.all([a.close(), b.close()]);
  }
});

test('closing frees the port and stops the clock subscription', async () => {
  const before = ports.available;
  const s = await open();
  assert.equal(ports.available, before - 1);
  await s.close();
  await s.close();
  assert.equal(ports.available, before);
  assert.equal(s.sendFrame(new Int16Array(160)), false);
});

test('sendEncoded relays frames off the clock: source timing kept, late ones dropped, a pause restarts on our media time', async () => {
  const b = await open();
  const a = await open({ remote: { address: '127.0.0.1', port: b.localPort } });
  const got: { seq: number; ts: number; marker: boolean; payload: Buffer }[] = [];
  b.on('packet', (p) => got.push({ seq: p.sequenceNumber, ts: p.timestamp, marker: p.marker, payload: Buffer.from(p.payload) }));
  try {
    const frame = (n: number) => Buffer.alloc(160, n);
    assert.equal(a.sendEncoded(frame(1), 5000), true);
    assert.equal(a.sendEncoded(frame(2), 5160), true);
    assert.equal(a.sendEncoded(frame(4), 5480), true, 'a gap in the source (one frame lost) stays a gap');
    assert.equal(a.sendEncoded(frame(3), 5320), false, 'a late packet is dropped (our sequence is in sending order)');
    assert.equal(a.sendEncoded(Buffer.alloc(80), 5640), false, 'only whole 20 ms frames');
    await waitFor(() => got.length >= 3, 2000, 'three packets');
    assert.deepEqual(got.map((p) => p.payload[0]), [1, 2, 4], 'payloads untouched');
    assert.deepEqual(got.map((p) => (p.ts - got[0].ts) >>> 0), [0, 160, 480]);
    assert.deepEqual(got.map((p) => (p.seq - got[0].seq) & 0xffff), [0, 1, 2]);
    assert.deepEqual(got.map((p) => p.marker), [true, false, false]);

    // The source pauses (ticks pass without packets), then resumes with unrelated numbering:
    // a new talkspurt (marked) placed on our media time, which kept advancing meanwhile.
    const pausedAt = performance.now();
    await sleep(200);
    assert.equal(a.sendEncoded(frame(5), 123), true);
    await waitFor(() => got.length >= 4, 2000, 'the packet after the pause');
    const resumed = got[3];
    const advanced = (resumed.ts - got[2].ts) >>> 0;
    const elapsedTicks = (performance.now() - pausedAt) / 20;
    assert.equal(resumed.marker, true);
    assert.ok(advanced >= 160 * 5 && advanced <= 160 * (elapsedTicks + 6), `media time advanced ${advanced} over ~${elapsedTicks.toFixed(0)} ticks`);
  } finally {
    await a.close();
    await b.close();
  }
});
