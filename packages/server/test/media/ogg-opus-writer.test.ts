import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { blockEnergy, goertzelPower } from '../../src/media/goertzel.js';
import { OggOpusWriter } from '../../src/media/ogg-opus-writer.js';
import { OpusCodec } from '../../src/media/opus-codec.js';
import { encodeTone } from '../helpers/pcm.js';
import { decodeWav } from '../../src/media/wav.js';
import { requireBinary, run } from '../helpers/processes.js';

test('opusinfo accepts the file and opusdec plays exactly the audio written, tone and gap included', async () => {
  requireBinary('/usr/bin/opusinfo');
  requireBinary('/usr/bin/opusdec');
  const dir = await mkdtemp(join(tmpdir(), 'ogg-opus-'));
  try {
    const codec = new OpusCodec();
    const chunks: Buffer[] = [];
    const writer = new OggOpusWriter((c) => chunks.push(c), { channels: 1, preSkip: codec.preSkip48k });
    for (const p of encodeTone(codec, 1000, 1000)) writer.writePacket(p);
    writer.writeLost(25); // half a second that never arrived
    for (const p of encodeTone(codec, 1000, 1500)) writer.writePacket(p);
    writer.writePacket(codec.encode(new Int16Array(960))!.slice());
    writer.close(48000 * 3);
    const file = join(dir, 'rec.opus');
    await writeFile(file, Buffer.concat(chunks));
    const info = await run('/usr/bin/opusinfo', [file], 20000).done;
    assert.equal(info.code, 0, info.stdout + info.stderr);
    assert.doesNotMatch(info.stdout + info.stderr, /WARNING|ERROR/i);
    assert.match(info.stdout, /Playback length: 0m:03\.000s/);
    const wav = join(dir, 'rec.wav');
    const dec = await run('/usr/bin/opusdec', ['--quiet', file, wav], 20000).done;
    assert.equal(dec.code, 0, dec.stderr);
    const audio = decodeWav(await readFile(wav));
    assert.equal(audio.sampleRate, 48000);
    assert.equal(audio.samples.length, 48000 * 3, 'pre-skip removed and the end trimmed');
    const share = (start: number) => goertzelPower(audio.samples, 1000, 48000, start, 9600) / (blockEnergy(audio.samples, start, 9600) + 1e-9);
    assert.ok(share(24000) > 0.9, 'the tone in the first second');
    assert.ok(share(120000) > 0.9, 'the tone after the gap');
    codec.close();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
