import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { AnyEvent } from '../../src/bus/event-map.js';
import { DEMO_PSAP_URN } from '../../src/emergency/emergency-demo.js';
import { MESSAGE_OPENING } from '../../src/emergency/emergency-message.js';
import { g711Decode } from '../../src/media/g711.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { waitFor } from '../helpers/wait.js';
import { crashBatch, setupDevice } from './emergency-fixture.js';
import { matches } from './psap.js';

/** 8 kHz mono PCM of a recording's WAV (16-bit PCM or G.711 µ-law). */
function wavPcm(file: string): Int16Array {
  const b = readFileSync(file);
  const format = b.readUInt16LE(20);
  let at = 12;
  while (at + 8 <= b.length && b.toString('latin1', at, at + 4) !== 'data') at += 8 + b.readUInt32LE(at + 4);
  const data = b.subarray(at + 8);
  if (format === 7) return g711Decode('ulaw', data);
  return new Int16Array(data.buffer.slice(data.byteOffset, data.byteOffset + (data.length & ~1)));
}

/**
 * The demo PSAP: the demo tenant routes urn:service:test.sos to its own SIP port, where a
 * number of that name answers and records. A crash of a device calling the test service
 * ends in a real SIP call to it, and the message can be replayed from the emergency's call.
 */
describe('the demo PSAP (the demo tenant answers urn:service:test.sos itself)', () => {
  let s: TestServer;
  let admin: string;
  const events: AnyEvent[] = [];
  before(async () => {
    s = await startTestServer();
    admin = await s.login('admin@acme.test');
    await s.ctx.bus.subscribe({ types: ['emergency.'] }, (e) => void events.push(e));
  });
  after(() => s.destroy());

  test('seeded: the route to this server; a crash is answered by the demo flow, both sides are recorded, the message is in the replay', async () => {
    const settings = (await s.api('GET', '/api/emergency/settings', { cookie: admin })).body;
    const tel = s.ctx.services.get('telephony');
    assert.deepEqual(settings.serviceRoutes[DEMO_PSAP_URN], [`sip:${s.ctx.config.sipPublicHost}:${tel.endpoint.ports.udp}`]);
    const { key } = await setupDevice(s, admin, [DEMO_PSAP_URN], { cancelSeconds: 0.2 });
    const r = await s.api('POST', '/api/devices/data', { key, body: crashBatch() });
    assert.equal(r.status, 202, JSON.stringify(r.body));
    const id = r.body.emergencyId as string;
    await waitFor(() => events.some((e) => e.type === 'emergency.answered' && e.data.emergencyId === id), 15_000, 'the demo PSAP answered');
    const tenantId = (await s.ctx.tenants.bySlug('acme'))!.id;
    const inbound = () => s.ctx.store.db.selectFrom('calls').selectAll().where('direction', '=', 'inbound').where('to_uri', '=', DEMO_PSAP_URN).executeTakeFirst();
    // The PSAP's flow records once its greeting is said; a few seconds of the message later, the PSAP is hung up on.
    await waitFor(async () => {
      const c = await inbound();
      return !!c && (await tel.calls.recordings(tenantId, c.id)).length > 0;
    }, 10_000, 'the demo PSAP records');
    await new Promise((res) => setTimeout(res, 4000));
    const psapCall = (await inbound())!;
    const hang = await s.api('POST', `/api/calls/${psapCall.id}/hangup`, { cookie: admin, body: {} });
    assert.ok(hang.status < 300, JSON.stringify(hang.body));
    await waitFor(async () => (await s.api('GET', `/api/emergencies/${id}`, { cookie: admin })).body.state === 'ended', 10_000, 'the emergency ended');

    const callId = (events.find((e) => e.type === 'emergency.answered' && e.data.emergencyId === id)!.data as { callId: string }).callId;
    let replay: { id: string; durationSeconds: number | null }[] = [];
    await waitFor(async () => (replay = (await s.api('GET', `/api/calls/${callId}/recordings`, { cookie: admin })).body.items).some((x: { durationSeconds: number | null }) => x.durationSeconds != null), 10_000, 'the recording /admin replays');
    const rec = replay.find((x) => x.durationSeconds != null)!;
    assert.ok(rec.durationSeconds! >= 3, `${rec.durationSeconds} s recorded`);
    const wav = await fetch(`${s.url}/api/recordings/${rec.id}`, { headers: { cookie: admin } });
    assert.equal(wav.status, 200);
    assert.equal(wav.headers.get('content-type'), 'audio/wav');

    // The replay is the emergency call's own recording; the demo PSAP keeps what it heard after its greeting.
    let heard: { id: string; durationSeconds: number | null } | undefined;
    await waitFor(async () => (heard = (await tel.calls.recordings(tenantId, psapCall.id)).find((x) => x.durationSeconds != null)) !== undefined, 10_000, 'the PSAP side recording');
    const opening = await tel.media.tts.synthesize(MESSAGE_OPENING);
    const mixed = wavPcm((await tel.calls.recording(tenantId, rec.id))!.path);
    const psapSide = wavPcm((await tel.calls.recording(tenantId, heard!.id))!.path);
    const template = opening.subarray(Math.floor(opening.length / 2), Math.floor(opening.length / 2) + 4000);
    assert.equal(matches(mixed, template).length, 1, 'the replay holds the message as spoken (the TTS rendering, cross-correlated)');
    assert.ok(psapSide.length >= 8000 * 2, 'the PSAP recorded seconds of the call');
  });
});
