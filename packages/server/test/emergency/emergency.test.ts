import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, test } from 'node:test';
import { pcm16ToBase64, smokeAlarmSignal } from '../../../protocol/src/emergency/device-signals.js';
import type { AnyEvent } from '../../src/bus/event-map.js';
import { BACKENDS } from '../helpers/backends.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { waitFor } from '../helpers/wait.js';
import { MESSAGE_OPENING } from '../../src/emergency/emergency-message.js';
import { crashBatch, setupDevice as setup } from './emergency-fixture.js';
import { headerValues, matches, mimeParts, startSippPsap } from './psap.js';

for (const backend of BACKENDS) {
  describe(`emergency devices (${backend.name})`, () => {
    let s: TestServer;
    let admin: string;
    const events: AnyEvent[] = [];
    before(async () => {
      s = await startTestServer({ backend });
      admin = await s.login('admin@acme.test');
      await s.ctx.bus.subscribe({ types: ['emergency.', 'device.'] }, (e) => void events.push(e));
    });
    after(() => s.destroy());

    test('a device key is shown once and works; bad batches, unknown and revoked keys get problem+json and store nothing', async () => {
      const { device, key } = await setup(s, admin, ['sip:psap@127.0.0.1:9'], { cancelSeconds: 60 });
      assert.match(key, /^csd_[0-9a-z]{26}_/);
      assert.ok(key.startsWith(device.keyPrefix));
      const listed = await s.api('GET', '/api/devices', { cookie: admin });
      // The secret may itself hold '_' (base64url), so it is everything after the id, not the third field.
      const secret = key.slice(key.indexOf('_', 4) + 1);
      assert.ok(secret.length >= 20 && !JSON.stringify(listed.body).includes(secret), 'the secret is never listed');
      let hugeDone = false;
      const post = (body: unknown, k?: string) => s.api('POST', '/api/devices/data', { key: k, body });

      const noKey = await post({ battery: 50 });
      assert.equal(noKey.status, 401);
      assert.equal(noKey.headers.get('content-type')?.split(';')[0], 'application/problem+json');
      assert.equal((await post({ battery: 50 }, key.slice(0, -2) + 'xx')).body.code, 'device_key_invalid');
      const impossible = await post({ gnss: [{ t: Date.now(), lat: 91, lon: 2, accuracy: 5 }] }, key);
      assert.equal(impossible.status, 400);
      assert.equal(impossible.headers.get('content-type')?.split(';')[0], 'application/problem+json');
      assert.ok(JSON.stringify(impossible.body).includes('lat'), JSON.stringify(impossible.body));
      assert.equal((await post({ motion: { start: Date.now(), rate: 100, accel: [[0, 0, 'x']] } }, key)).status, 400);
      assert.equal((await post({}, key)).status, 400, 'an empty batch');
      assert.equal((await post({ audio: { start: Date.now(), rate: 8000, format: 'wav', data: 'AAAAAAAA' } }, key)).status, 400, 'not a WAV file');
      // An oversized batch is refused on its Content-Length, before the body is read (so the client is not left writing into a reset).
      const huge = await new Promise<{ status: number }>((resolve, reject) => {
        const req = http.request(`${s.url}/api/devices/data`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', 'content-length': String(7 * 1024 * 1024) } }, (res) => {
          resolve({ status: res.statusCode ?? 0 });
          res.resume();
          req.destroy();
        });
        req.on('error', (err) => (hugeDone ? undefined : reject(err)));
        req.write('{"battery":');
      });
      hugeDone = true;
      assert.equal(huge.status, 413);
      let dev = (await s.api('GET', `/api/devices/${device.id}`, { cookie: admin })).body;
      assert.equal(dev.lastSeenAt, null, 'nothing stored from the bad batches');
      assert.equal((await s.api('GET', '/api/emergencies', { cookie: admin })).body.items.length, 0);

      const ok = await post({ gnss: [{ t: Date.now(), lat: 48.85, lon: 2.29, accuracy: 12 }], battery: 60 }, key);
      assert.equal(ok.status, 202, JSON.stringify(ok.body));
      assert.deepEqual(ok.body, { accepted: true, emergencyId: null, detections: [] });
      dev = (await s.api('GET', `/api/devices/${device.id}`, { cookie: admin })).body;
      assert.equal(dev.lastFix.lat, 48.85);

      assert.equal((await s.api('DELETE', `/api/devices/${device.id}`, { cookie: admin })).status, 204);
      const revoked = await post({ battery: 50 }, key);
      assert.equal(revoked.status, 401);
      assert.equal(revoked.body.code, 'device_key_revoked');
    });

    test('a crash starts a countdown the owner sees; cancelling inside the window places no call', async () => {
      const psap = await startSippPsap({ timeoutSec: 15 });
      try {
        const { device, key, owner } = await setup(s, admin, [psap.uri], { cancelSeconds: 3 });
        const r = await s.api('POST', '/api/devices/data', { key, body: crashBatch() });
        assert.equal(r.status, 202, JSON.stringify(r.body));
        assert.equal(r.body.detections[0].kind, 'crash');
        const id = r.body.emergencyId as string;
        const customer = await s.login('customer@acme.test');
        const mine = (await s.api('GET', '/api/emergencies', { cookie: customer })).body.items;
        assert.equal(mine[0].id, id);
        assert.equal(mine[0].state, 'countdown');
        assert.equal(mine[0].location.lat, 48.8584);
        const countdown = events.find((e) => e.type === 'emergency.countdown' && e.data.emergencyId === id);
        assert.ok(countdown && countdown.userIds?.includes(owner.id), 'the owner is told');
        const c = await s.api('POST', `/api/emergencies/${id}/cancel`, { cookie: customer });
        assert.equal(c.status, 200, JSON.stringify(c.body));
        assert.equal(c.body.state, 'cancelled');
        assert.ok(events.some((e) => e.type === 'emergency.cancelled' && e.data.emergencyId === id));
        assert.equal((await s.api('POST', `/api/emergencies/${id}/cancel`, { cookie: customer })).status, 409);
        await new Promise((res) => setTimeout(res, 3500));
        assert.equal(psap.invites().length, 0, 'no INVITE reached the PSAP');
        assert.ok(!events.some((e) => e.type === 'emergency.calling' && e.data.emergencyId === id));
        void device;
      } finally {
        psap.kill();
      }
    });
  });
}

describe('the emergency call to a PSAP (sipp)', () => {
  let s: TestServer;
  let admin: string;
  const events: AnyEvent[] = [];
  before(async () => {
    s = await startTestServer();
    admin = await s.login('admin@acme.test');
    await s.ctx.bus.subscribe({ types: ['emergency.'] }, (e) => void events.push(e));
  });
  after(() => s.destroy());

  test('after the window: INVITE to urn:service:test.sos with PIDF-LO and Additional Data by reference, the message loops, 1 repeats', async () => {
    const psap = await startSippPsap({ timeoutSec: 40 });
    try {
      const { key } = await setup(s, admin, ['urn:service:test.sos'], { cancelSeconds: 1, serviceRoutes: { 'urn:service:test.sos': [psap.uri] } });
      const batch = crashBatch(45.4215, -75.6972);
      const r = await s.api('POST', '/api/devices/data', { key, body: batch });
      assert.equal(r.status, 202, JSON.stringify(r.body));
      const id = r.body.emergencyId as string;
      await waitFor(() => events.some((e) => e.type === 'emergency.answered' && e.data.emergencyId === id), 15_000, 'the PSAP answered');
      const [invite] = psap.invites();
      assert.ok(invite, 'sipp got the INVITE');
      assert.match(invite, /^INVITE urn:service:test\.sos SIP\/2\.0/);
      assert.equal(headerValues(invite, 'Geolocation-Routing')[0], 'yes');
      assert.match(headerValues(invite, 'P-Asserted-Identity')[0], /^<sip:\+15550142@/);
      const parts = mimeParts(invite);
      assert.equal(parts[0].headers['content-type'], 'application/sdp');
      const geo = /^<cid:([^>]+)>$/.exec(headerValues(invite, 'Geolocation')[0])?.[1];
      const pidf = parts.find((p) => p.headers['content-id'] === `<${geo}>`);
      assert.ok(pidf && pidf.headers['content-type'] === 'application/pidf+xml', 'Geolocation names the PIDF-LO part');
      const fix = batch.gnss.reduce((a, b) => (b.t > a.t ? b : a));
      const pos = /<gml:pos>([-\d.]+) ([-\d.]+)<\/gml:pos>/.exec(pidf.body)!;
      assert.equal(Number(pos[1]), fix.lat);
      assert.equal(Number(pos[2]), fix.lon);
      assert.match(pidf.body, /srsName="urn:ogc:def:crs:EPSG::4326"/);
      assert.match(pidf.body, /<gs:radius uom="urn:ogc:def:uom:EPSG::9001">6<\/gs:radius>/);
      const callInfo = headerValues(invite, 'Call-Info').flatMap((v) => v.split(/,(?=\s*<)/)).map((v) => v.trim());
      const purposes = callInfo.map((v) => /purpose=EmergencyCallData\.(\w+)/.exec(v)?.[1]);
      assert.deepEqual(purposes.sort(), ['Comment', 'DeviceInfo', 'ProviderInfo', 'ServiceInfo', 'SubscriberInfo']);
      for (const v of callInfo) {
        const ref = /^<cid:([^>]+)>/.exec(v)![1];
        const type = /purpose=(EmergencyCallData\.\w+)/.exec(v)![1];
        const part = parts.find((p) => p.headers['content-id'] === `<${ref}>`);
        assert.ok(part, `Call-Info ${ref} has its part`);
        assert.equal(part.headers['content-type'], `application/${type}+xml`);
      }
      assert.match(parts.find((p) => p.headers['content-type'] === 'application/EmergencyCallData.ServiceInfo+xml')!.body, /<ad:ServiceType>sensor-unattended<\/ad:ServiceType>/);

      // The message starts on answer; 1 starts it again at once.
      const opening = await s.ctx.services.get('telephony').media.tts.synthesize(MESSAGE_OPENING);
      await waitFor(() => psap.audio().length > 8000 * 3.5, 10_000, 'three seconds of the message');
      await psap.press('1');
      await waitFor(() => psap.audio().length > 8000 * 7.5, 10_000, 'the message again');
      const calling = events.find((e) => e.type === 'emergency.calling' && e.data.emergencyId === id)!;
      const starts = matches(psap.audio(), opening.subarray(0, Math.min(opening.length, 8000)));
      assert.equal(starts.length, 2, `the opening was heard at ${starts.map((x) => (x / 8000).toFixed(2)).join(', ')} s`);
      assert.ok(starts[1] - starts[0] > 8000 * 3, 'the second time after the key');
      const hang = await s.api('POST', `/api/calls/${(calling.data as { callId: string }).callId}/hangup`, { cookie: admin, body: {} });
      assert.ok(hang.status < 300, JSON.stringify(hang.body));
      assert.equal((await psap.done).code, 0);
      await waitFor(async () => (await s.api('GET', `/api/emergencies/${id}`, { cookie: admin })).body.state === 'ended', 5000, 'the emergency ended');
    } finally {
      psap.kill();
    }
  });

  test('a smoke alarm heard by an alarm with a civic address only', async () => {
    const created = await s.api('POST', '/api/devices', { cookie: admin, body: { name: 'Hall smoke alarm', kind: 'alarm', psaps: ['sip:psap@127.0.0.1:9'], civicAddress: { country: 'FR', A3: 'Paris', RD: 'Rue Cler', HNO: '12', PC: '75007' } } });
    assert.equal(created.status, 201);
    const a = smokeAlarmSignal({ start: Date.now() - 13_000 });
    const r = await s.api('POST', '/api/devices/data', { key: created.body.key, body: { audio: { start: a.start, rate: a.rate, format: 'pcm_s16le', data: pcm16ToBase64(a.pcm) } } });
    assert.equal(r.status, 202, JSON.stringify(r.body));
    assert.equal(r.body.detections[0]?.kind, 'smoke');
    const e = (await s.api('GET', `/api/emergencies/${r.body.emergencyId}`, { cookie: admin })).body;
    assert.equal(e.location.source, 'civic');
    assert.equal(e.location.address, '12 Rue Cler, 75007 Paris, FR');
    assert.equal((await s.api('POST', `/api/emergencies/${e.id}/cancel`, { cookie: admin })).status, 200);
  });
});
