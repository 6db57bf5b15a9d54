import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CallsightError } from '../../src/core/errors.js';
import { linearToAlaw, linearToUlaw } from '../../src/media/g711.js';
import { decodeWav, encodeWav, parseWav, WavFileWriter } from '../../src/media/wav.js';

const ramp = Int16Array.from({ length: 1000 }, (_, i) => (i * 61) % 65536 - 32768);

function riff(chunks: [string, Uint8Array][]): Buffer {
  const body = chunks.map(([id, data]) => {
    const h = Buffer.alloc(8);
    h.write(id, 0, 'ascii');
    h.writeUInt32LE(data.length, 4);
    return Buffer.concat([h, data, data.length % 2 ? Buffer.alloc(1) : Buffer.alloc(0)]);
  });
  const head = Buffer.alloc(12);
  head.write('RIFF', 0, 'ascii');
  head.writeUInt32LE(4 + body.reduce((n, b) => n + b.length, 0), 4);
  head.write('WAVE', 8, 'ascii');
  return Buffer.concat([head, ...body]);
}

function fmt(tag: number, channels: number, rate: number, bits: number): Buffer {
  const f = Buffer.alloc(16);
  f.writeUInt16LE(tag, 0);
  f.writeUInt16LE(channels, 2);
  f.writeUInt32LE(rate, 4);
  f.writeUInt32LE((rate * channels * bits) / 8, 8);
  f.writeUInt16LE((channels * bits) / 8, 12);
  f.writeUInt16LE(bits, 14);
  return f;
}

test('encodeWav → decodeWav round-trips 16-bit mono 8 kHz', () => {
  const wav = encodeWav(ramp);
  assert.equal(wav.length, 44 + 2000);
  assert.deepEqual(decodeWav(wav), { sampleRate: 8000, channels: 1, samples: ramp });
});

test('reads G.711 WAVs, skips unknown and odd-sized chunks, clamps a placeholder data size', () => {
  const ulaw = Uint8Array.from([0, 1000, -1000], linearToUlaw);
  const alaw = Uint8Array.from([0, 1000, -1000], linearToAlaw);
  const u = decodeWav(riff([['LIST', Uint8Array.of(1, 2, 3)], ['fmt ', fmt(7, 1, 8000, 8)], ['fact', new Uint8Array(4)], ['data', ulaw]]));
  assert.deepEqual([...u.samples].map((s) => Math.round(s / 100)), [0, 10, -10]);
  const a = decodeWav(riff([['fmt ', fmt(6, 1, 8000, 8)], ['data', alaw]]));
  assert.equal(a.samples.length, 3);
  // Streaming writers (espeak-ng --stdout) declare a huge data size.
  const streamed = encodeWav(ramp, 22050);
  streamed.writeUInt32LE(0x7ffff000, 40);
  assert.equal(parseWav(streamed).data.length, 2000);
  assert.equal(parseWav(streamed).sampleRate, 22050);
});

test('reads stereo, 8-bit, float and extensible formats', () => {
  const stereo = decodeWav(riff([['fmt ', fmt(1, 2, 44100, 16)], ['data', Buffer.from(Int16Array.of(1, -1, 2, -2).buffer)]]));
  assert.deepEqual({ ...stereo, samples: [...stereo.samples] }, { sampleRate: 44100, channels: 2, samples: [1, -1, 2, -2] });
  assert.deepEqual([...decodeWav(riff([['fmt ', fmt(1, 1, 8000, 8)], ['data', Uint8Array.of(128, 255, 0)]])).samples], [0, 32512, -32768]);
  assert.deepEqual([...decodeWav(riff([['fmt ', fmt(3, 1, 8000, 32)], ['data', Buffer.from(Float32Array.of(0.5, -1).buffer)]])).samples], [16384, -32767]);
  const ext = Buffer.alloc(40);
  fmt(0xfffe, 1, 16000, 16).copy(ext);
  ext.writeUInt16LE(22, 16); // cbSize
  ext.writeUInt16LE(1, 24); // sub-format GUID starts with WAVE_FORMAT_PCM
  assert.equal(decodeWav(riff([['fmt ', ext], ['data', Buffer.from(Int16Array.of(7).buffer)]])).samples[0], 7);
});

test('rejects broken or unsupported files with typed errors', () => {
  const code = (buf: Uint8Array) => {
    try {
      parseWav(buf);
      return 'ok';
    } catch (e) {
      assert.ok(e instanceof CallsightError);
      return e.code;
    }
  };
  assert.equal(code(Buffer.from('hello')), 'wav_invalid');
  assert.equal(code(riff([['data', new Uint8Array(4)]])), 'wav_invalid');
  assert.equal(code(riff([['fmt ', fmt(1, 1, 8000, 16)]])), 'wav_invalid');
  assert.equal(code(riff([['fmt ', fmt(2, 1, 8000, 4)], ['data', new Uint8Array(4)]])), 'wav_unsupported_format');
  assert.equal(code(riff([['fmt ', Buffer.alloc(8)], ['data', new Uint8Array(4)]])), 'wav_invalid');
});

test('WavFileWriter streams frames and patches the sizes on close', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'callsight-wav-'));
  try {
    const path = join(dir, 'out.wav');
    const writer = await WavFileWriter.create(path, 8000, 1, 1024);
    const frame = new Int16Array(160);
    for (let i = 0; i < 50; i++) {
      frame.fill(i);
      writer.write(frame);
    }
    assert.equal(writer.durationSeconds, 1);
    await writer.close();
    const bytes = await readFile(path);
    assert.equal(bytes.readUInt32LE(4), 36 + 16000);
    assert.equal(bytes.readUInt32LE(40), 16000);
    const audio = decodeWav(bytes);
    assert.equal(audio.samples.length, 8000);
    assert.equal(audio.samples[160 * 49], 49);
    assert.throws(() => writer.write(frame), (e: unknown) => e instanceof CallsightError && e.code === 'wav_writer_closed');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
