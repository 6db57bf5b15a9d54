import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AudioCodec } from '../../src/media/codec.js';
import { createCodec } from '../../src/media/codec-factory.js';
import { CodecReceiver } from '../../src/media/codec-receiver.js';
import { blockEnergy, goertzelPower } from '../../src/media/goertzel.js';
import { OpusCodec } from '../../src/media/opus-codec.js';
import { generateTone } from '../../src/media/tone.js';
import { concatPcm } from '../helpers/pcm.js';

/** Share of the block's energy at `hz` (1 = a pure tone at that frequency). */
function toneShare(pcm: Int16Array, hz: number, rate: number, start: number, length: number): number {
  return goertzelPower(pcm, hz, rate, start, length) / (blockEnergy(pcm, start, length) + 1e-9);
}

function frames(signal: Int16Array, size: number): Int16Array[] {
  const out: Int16Array[] = [];
  for (let i = 0; i + size <= signal.length; i += size) out.push(signal.subarray(i, i + size));
  return out;
}

function channel(interleaved: Int16Array, c: number): Int16Array {
  return Int16Array.from({ length: interleaved.length / 2 }, (_, i) => interleaved[2 * i + c]);
}

/** Longest run of exact zeros (samples per channel) after the first `skip` samples. */
function longestZeroRun(pcm: Int16Array, skip: number): number {
  let best = 0;
  let run = 0;
  for (let i = skip; i < pcm.length; i++) {
    run = pcm[i] === 0 ? run + 1 : 0;
    if (run > best) best = run;
  }
  return best;
}

function roundTrip(codec: AudioCodec, signal: Int16Array): Int16Array {
  const out: Int16Array[] = [];
  for (const f of frames(signal, codec.frameSamples * codec.channels)) {
    const packet = codec.encode(f);
    assert.ok(packet, 'no DTX for a tone');
    out.push(codec.decode(packet.slice()) ?? assert.fail('own packet refused'));
  }
  return concatPcm(out);
}

test('Opus 48 kHz mono keeps a 1 kHz tone and its level through encode → decode', () => {
  const codec = new OpusCodec({ sampleRate: 48000 });
  const decoded = roundTrip(codec, generateTone([1000], 1000, { sampleRate: 48000, levelDbfs: -12 }));
  assert.equal(decoded.length, 48000);
  assert.ok(toneShare(decoded, 1000, 48000, 9600, 28800) > 0.95, `1 kHz share ${toneShare(decoded, 1000, 48000, 9600, 28800)}`);
  assert.ok(toneShare(decoded, 1400, 48000, 9600, 28800) < 0.01, 'no energy at 1.4 kHz');
  const inRms = Math.sqrt(blockEnergy(generateTone([1000], 1000, { sampleRate: 48000, levelDbfs: -12 })) / 48000);
  const outRms = Math.sqrt(blockEnergy(decoded, 9600, 28800) / 28800);
  assert.ok(Math.abs(20 * Math.log10(outRms / inRms)) < 1, `level changed by ${20 * Math.log10(outRms / inRms)} dB`);
  assert.equal(codec.stats.decoded, 50);
  assert.equal(codec.preSkip48k, 312);
  codec.close();
});

test('Opus stereo keeps each channel its own tone', () => {
  const codec = new OpusCodec({ sampleRate: 48000, channels: 2, bitrate: 64000 });
  const left = generateTone([500], 1000, { sampleRate: 48000, levelDbfs: -12 });
  const right = generateTone([1500], 1000, { sampleRate: 48000, levelDbfs: -12 });
  const interleaved = new Int16Array(96000);
  for (let i = 0; i < 48000; i++) {
    interleaved[2 * i] = left[i];
    interleaved[2 * i + 1] = right[i];
  }
  const decoded = roundTrip(codec, interleaved);
  const l = channel(decoded, 0);
  const r = channel(decoded, 1);
  assert.ok(toneShare(l, 500, 48000, 9600, 28800) > 0.9 && toneShare(l, 1500, 48000, 9600, 28800) < 0.05, 'left is 500 Hz');
  assert.ok(toneShare(r, 1500, 48000, 9600, 28800) > 0.9 && toneShare(r, 500, 48000, 9600, 28800) < 0.05, 'right is 1.5 kHz');
  codec.close();
});

test('Opus at 8 kHz (a leg bridged to a phone) and G.711 at 48 kHz keep the tone', () => {
  for (const [codec, rate] of [
    [createCodec('opus', { sampleRate: 8000 }), 8000],
    [createCodec('pcmu', { sampleRate: 48000 }), 48000],
    [createCodec('pcma', { sampleRate: 16000 }), 16000],
    [createCodec('pcmu'), 8000],
  ] as const) {
    const decoded = roundTrip(codec, generateTone([700], 1000, { sampleRate: rate, levelDbfs: -12 }));
    assert.equal(decoded.length, rate);
    const share = toneShare(decoded, 700, rate, rate / 5, rate / 2);
    assert.ok(share > 0.95, `${codec.name} at ${rate}: 700 Hz share ${share}`);
    codec.close();
  }
});

test('10 % packet loss on an Opus stream is concealed: no 20 ms of zeros, the tone carries on', () => {
  const tx = new OpusCodec({ sampleRate: 48000, expectedLossPercent: 10 });
  const rx = new OpusCodec({ sampleRate: 48000 });
  const receiver = new CodecReceiver(new Map([[111, rx]]));
  const tone = generateTone([440], 4000, { sampleRate: 48000, levelDbfs: -12 });
  let seed = 7;
  const lost = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) % 100) < 10;
  const played: Int16Array[] = [];
  const concealedAt: number[] = [];
  let dropped = 0;
  frames(tone, 960).forEach((f, seq) => {
    const packet = tx.encode(f);
    assert.ok(packet);
    // Two losses in a row too, at 1 s: concealment must continue past the first frame.
    if (seq > 0 && (lost() || seq === 50 || seq === 51)) {
      dropped++;
      concealedAt.push(seq);
      return;
    }
    played.push(...receiver.receive(111, (seq + 65500) & 0xffff, packet.slice()));
  });
  const pcm = concatPcm(played);
  assert.equal(pcm.length, tone.length, 'one frame out for every frame sent');
  assert.ok(dropped >= 15, `only ${dropped} packets lost`);
  assert.equal(receiver.stats.lost, dropped);
  assert.equal(rx.stats.concealed, dropped);
  assert.ok(longestZeroRun(pcm, 960) < 960, `a run of ${longestZeroRun(pcm, 960)} zero samples`);
  // The concealed frames carry on the tone, if fading (libopus PLC), rather than fall silent
  // or fill the gap with noise (white noise would put ~0.2 % of a frame's energy at 440 Hz).
  const toneRms = 32767 * 10 ** (-12 / 20) * Math.SQRT1_2;
  for (const seq of concealedAt) {
    const rms = Math.sqrt(blockEnergy(pcm, seq * 960, 960) / 960);
    assert.ok(rms > toneRms / 31.6, `frame ${seq} concealed at ${(20 * Math.log10(rms / toneRms)).toFixed(1)} dB`);
  }
  const shares = concealedAt.map((seq) => toneShare(pcm, 440, 48000, seq * 960, 960));
  const mean = shares.reduce((a, b) => a + b, 0) / shares.length;
  assert.ok(mean > 0.25, `440 Hz share in concealed frames ${mean}`);
  tx.close();
  rx.close();
});

test('corrupt Opus packets and foreign payload types are dropped and counted, never thrown', () => {
  const tx = new OpusCodec();
  const rx = new OpusCodec();
  const receiver = new CodecReceiver(new Map([[111, rx]]));
  const good = frames(generateTone([1000], 400, { sampleRate: 48000, levelDbfs: -12 }), 960).map((f) => tx.encode(f)!.slice());
  const bad = [
    new Uint8Array(0),
    Uint8Array.of(0x03), // code 3 without its frame-count byte
    Uint8Array.of(0x03, 0x00), // code 3 with zero frames
    Uint8Array.of(0x0b, 0x3f), // 63 frames of 60 ms: over 120 ms
    new Uint8Array(5000).fill(0x7a), // longer than any Opus packet
  ];
  let seq = 0;
  const out: Int16Array[] = [];
  for (const p of bad) out.push(...receiver.receive(111, seq++, p));
  assert.equal(rx.stats.dropped, bad.length);
  // Each refused packet still yields its frame (concealment), so play-out keeps time.
  assert.equal(out.length, bad.length);
  assert.deepEqual(receiver.receive(0, seq++, good[0]), []);
  assert.deepEqual(receiver.receive(96, seq++, good[0]), []);
  assert.equal(receiver.stats.wrongPayloadType, 2);
  assert.deepEqual(receiver.receive(111, seq - 5, good[0]), [], 'a packet from the past');
  assert.equal(receiver.stats.stale, 1);
  // Random bytes: libopus refuses or decodes them, the process survives and counts each.
  let r = 1;
  for (let i = 0; i < 3000; i++) {
    const p = Uint8Array.from({ length: 1 + (i % 300) }, () => (r = (r * 69069 + 1) >>> 0) >>> 24);
    rx.decode(p);
  }
  assert.equal(rx.stats.decoded + rx.stats.dropped, 3000 + bad.length);
  assert.ok(rx.stats.dropped > bad.length, 'some random packets were refused');
  // And the decoder still decodes the real stream afterwards.
  const after = concatPcm(good.map((p) => rx.decode(p) ?? assert.fail('good packet refused')));
  assert.ok(toneShare(after, 1000, 48000, 4800, 9600) > 0.9);
  tx.close();
  rx.close();
});

test('DTX turns silence into nothing to send', () => {
  const codec = new OpusCodec({ dtx: true });
  let sent = 0;
  for (let i = 0; i < 50; i++) if (codec.encode(new Int16Array(960))) sent++;
  assert.ok(codec.stats.dtx > 30, `only ${codec.stats.dtx} DTX frames`);
  assert.equal(sent + codec.stats.dtx, 50);
  codec.close();
});

test('hundreds of codecs coexist: the wasm heap growing leaves earlier codecs working', () => {
  const first = new OpusCodec();
  const many = Array.from({ length: 300 }, () => new OpusCodec());
  const packet = first.encode(generateTone([1000], 20, { sampleRate: 48000 }));
  assert.ok(packet && first.decode(packet.slice()));
  for (const c of many) c.close();
  first.close();
});
