import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { hashPassword } from '../../src/core/secrets.js';
import { blockEnergy, goertzelPower } from '../../src/media/goertzel.js';
import { readOggOpus } from '../../src/media/ogg-reader.js';
import { OpusCodec } from '../../src/media/opus-codec.js';
import { joinRoomSpeakers, startBrowserRig, type BrowserRig } from '../helpers/browser-rig.js';
import { playsInPage } from '../helpers/page-audio.js';
import { concatPcm } from '../helpers/pcm.js';
import type { TestServer } from '../helpers/test-server.js';

interface Recording {
  id: string;
  durationSeconds: number | null;
  url: string;
  tracks: { participantId: string; name: string; url: string }[];
}

/** Share of each 200 ms window's energy at `hz`, averaged over the file's middle. */
function toneShare(pcm: Int16Array, hz: number): number {
  const shares: number[] = [];
  for (let at = Math.floor(pcm.length / 4); at + 9600 <= (pcm.length * 3) / 4; at += 9600) {
    shares.push(goertzelPower(pcm, hz, 48000, at, 9600) / (blockEnergy(pcm, at, 9600) + 1e-9));
  }
  return shares.reduce((a, b) => a + b, 0) / Math.max(1, shares.length);
}

function decode(file: Buffer): Int16Array {
  const { packets } = readOggOpus(file);
  const decoder = new OpusCodec({ sampleRate: 48000 });
  const pcm = concatPcm(packets.map((p) => decoder.decode(p) ?? decoder.conceal()));
  decoder.close();
  return pcm;
}

/**
 * Recording an Opus room: two browsers speak (600 and 800 Hz), the API records the room
 * for a few seconds. The mixed track holds both tones, each speaker's track only theirs;
 * files are served with byte ranges and play in Chromium; a room of another tenant is 404.
 */
describe('room recordings (two Chromiums in an Opus room)', () => {
  let rig: BrowserRig;
  let s: TestServer;
  let agent: string;
  let roomId: string;

  before(async () => {
    rig = await startBrowserRig({ apps: ['rooms/index.html'] });
    s = rig.s;
    agent = await s.login('agent@acme.test');
    roomId = (await s.api('POST', '/api/rooms', { cookie: agent, body: { name: 'Recorded room' } })).body.id;
    await joinRoomSpeakers(rig, agent, roomId, [
      ['Alice', 600],
      ['Bob', 800],
    ]);
  });
  after(() => rig?.close());

  test('mixed and per-speaker Ogg/Opus tracks, served with ranges, playable in Chromium, invisible to other tenants', async () => {
    const t0 = Date.now();
    const started = await s.api('POST', `/api/rooms/${roomId}/recordings`, { cookie: agent, body: {} });
    assert.equal(started.status, 201, JSON.stringify(started.body));
    assert.equal((await s.api('POST', `/api/rooms/${roomId}/recordings`, { cookie: agent, body: {} })).body.code, 'room_already_recording');
    await new Promise((r) => setTimeout(r, 5000));
    const stopped = await s.api('POST', `/api/rooms/${roomId}/recordings/${started.body.id}/stop`, { cookie: agent, body: {} });
    assert.equal(stopped.status, 200, JSON.stringify(stopped.body));
    const elapsed = (Date.now() - t0) / 1000;
    const rec = stopped.body as Recording;
    assert.ok(rec.durationSeconds! >= 5 && rec.durationSeconds! <= elapsed, `recorded ${rec.durationSeconds} s in the ${elapsed} s between start and stop`);
    assert.deepEqual(rec.tracks.map((t) => t.name).sort(), ['Alice', 'Bob']);
    const list = (await s.api('GET', `/api/rooms/${roomId}/recordings`, { cookie: agent })).body.items as Recording[];
    assert.deepEqual(list.map((r) => r.id), [rec.id]);

    const fetchAudio = (url: string, headers: Record<string, string> = {}) => fetch(`${s.url}${url}`, { headers: { cookie: agent, ...headers } });
    const whole = await fetchAudio(rec.url);
    assert.equal(whole.status, 200);
    assert.match(whole.headers.get('content-type') ?? '', /^audio\/ogg/);
    const mixed = Buffer.from(await whole.arrayBuffer());
    const tail = await fetchAudio(rec.url, { range: 'bytes=-500' });
    assert.equal(tail.status, 206);
    assert.equal(tail.headers.get('content-range'), `bytes ${mixed.length - 500}-${mixed.length - 1}/${mixed.length}`);
    assert.deepEqual(Buffer.from(await tail.arrayBuffer()), mixed.subarray(-500));

    const mix = decode(mixed);
    assert.ok(Math.abs(mix.length / 48000 - rec.durationSeconds!) < 0.05, `the mix decodes to ${mix.length / 48000} s`);
    assert.ok(toneShare(mix, 600) > 0.1 && toneShare(mix, 800) > 0.1, `the mix holds both speakers (${toneShare(mix, 600).toFixed(2)}, ${toneShare(mix, 800).toFixed(2)})`);
    for (const track of rec.tracks) {
      const pcm = decode(Buffer.from(await (await fetchAudio(track.url)).arrayBuffer()));
      const [own, other] = track.name === 'Alice' ? [600, 800] : [800, 600];
      assert.ok(Math.abs(pcm.length - mix.length) <= 960, `${track.name}'s track is on the mix's timeline (${pcm.length} vs ${mix.length} samples)`);
      assert.ok(toneShare(pcm, own) > 0.15 && toneShare(pcm, other) < 0.02, `${track.name}'s track holds only their ${own} Hz (${toneShare(pcm, own).toFixed(2)} / ${toneShare(pcm, other).toFixed(3)})`);
    }

    // Chromium plays the mix from the API (its session cookie is the agent's), by range requests.
    const player = await rig.open('/rooms/', { context: { extraHTTPHeaders: { cookie: agent } } });
    const played = await playsInPage(player, rec.url);
    assert.equal(played.how, 'canplay');
    assert.ok(Math.abs(played.duration - rec.durationSeconds!) < 0.1, `Chromium's duration ${played.duration} s, recorded ${rec.durationSeconds} s`);

    // Another tenant cannot see the room, its recordings or their files.
    const t = await s.ctx.tenants.create({ name: 'Globex', slug: 'globex-rooms' });
    await s.ctx.users.create({ tenantId: t.id, email: 'root@globex-rooms.test', name: 'G', role: 'admin', passwordHash: await hashPassword('globex-pass') });
    const other = await s.login('root@globex-rooms.test', 'globex-pass');
    for (const url of [`/api/rooms/${roomId}/recordings`, rec.url, rec.tracks[0].url]) {
      assert.equal((await s.api('GET', url, { cookie: other })).status, 404, url);
    }
    assert.equal((await s.api('POST', `/api/rooms/${roomId}/recordings`, { cookie: other, body: {} })).status, 404);
  });
});
