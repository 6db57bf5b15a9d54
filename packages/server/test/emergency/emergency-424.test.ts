import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { AnyEvent } from '../../src/bus/event-map.js';
import { nextConveyance, parseGeolocationError } from '../../src/emergency/geolocation-error.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { waitFor } from '../helpers/wait.js';
import { crashBatch, setupDevice } from './emergency-fixture.js';
import { headerValues, mimeParts, startSippPsap } from './psap.js';

describe('a PSAP that answers 424 Bad Location Information (RFC 6442 4.3)', () => {
  let s: TestServer;
  let admin: string;
  const events: AnyEvent[] = [];
  before(async () => {
    s = await startTestServer();
    admin = await s.login('admin@acme.test');
    await s.ctx.bus.subscribe({ types: ['emergency.'] }, (e) => void events.push(e));
  });
  after(() => s.destroy());

  test('Geolocation-Error values and the retry they lead to', () => {
    assert.deepEqual(parseGeolocationError('100 ; code="Cannot Process Location"'), { code: 100, text: 'Cannot Process Location' });
    assert.deepEqual(parseGeolocationError('300'), { code: 300, text: null });
    assert.deepEqual(parseGeolocationError(undefined), { code: null, text: null });
    assert.deepEqual(parseGeolocationError('bad; code="x"'), { code: null, text: null });
    assert.equal(nextConveyance('full', { code: 100, text: null }, true), 'single');
    assert.equal(nextConveyance('full', { code: 100, text: null }, false), 'none');
    assert.equal(nextConveyance('single', { code: 100, text: null }, true), 'none');
    for (const code of [200, 201, 202, 300, 999, null]) assert.equal(nextConveyance('full', { code, text: null }, true), 'none', `code ${code}`);
    assert.equal(nextConveyance('none', { code: 100, text: null }, true), null, 'nothing left to drop');
  });

  test('100 → the INVITE again in the same call with one location, 300 → without location; the third is answered', async () => {
    const psap = await startSippPsap({ timeoutSec: 30, refuse424: ['100 ; code="Cannot Process Location"', '300 ; code="Dereference Failure"'] });
    try {
      const civicAddress = { country: 'FR', A3: 'Paris', RD: 'Quai Branly', HNO: '5', PC: '75007' };
      const { key } = await setupDevice(s, admin, [psap.uri], { cancelSeconds: 0.2, attemptsPerPsap: 1 }, { civicAddress });
      const batch = crashBatch(48.8584, 2.2945);
      const r = await s.api('POST', '/api/devices/data', { key, body: batch });
      assert.equal(r.status, 202, JSON.stringify(r.body));
      const id = r.body.emergencyId as string;
      await waitFor(() => events.some((e) => e.type === 'emergency.answered' && e.data.emergencyId === id), 15_000, 'the PSAP answered the third INVITE');

      const invites = psap.invites();
      assert.equal(invites.length, 3, 'one INVITE and two retries');
      const callIds = new Set(invites.map((i) => headerValues(i, 'Call-ID')[0]));
      assert.equal(callIds.size, 1, 'the retries belong to the same call (RFC 3261 8.1.3.5)');
      assert.deepEqual(invites.map((i) => Number(headerValues(i, 'CSeq')[0].split(' ')[0])), [1, 2, 3]);

      const pidfOf = (invite: string) => {
        const geo = /^<cid:([^>]+)>$/.exec(headerValues(invite, 'Geolocation')[0] ?? '')?.[1];
        return mimeParts(invite).find((p) => p.headers['content-id'] === `<${geo}>` && p.headers['content-type'] === 'application/pidf+xml');
      };
      const [full, single, none] = invites;
      const fullPidf = pidfOf(full)!;
      assert.ok(fullPidf, 'the first INVITE carries the PIDF-LO');
      assert.match(fullPidf.body, /<gs:Circle/);
      assert.match(fullPidf.body, /<ca:civicAddress/);
      const onePidf = pidfOf(single)!;
      assert.ok(onePidf, 'after 100 the location is still sent');
      const fix = batch.gnss.reduce((a, b) => (b.t > a.t ? b : a));
      assert.ok(onePidf.body.includes(`<gml:pos>${fix.lat.toFixed(6)} ${fix.lon.toFixed(6)}</gml:pos>`), 'the device\'s fix');
      assert.doesNotMatch(onePidf.body, /civicAddress/, 'one location object, the geodetic one');
      assert.equal(headerValues(single, 'Geolocation-Routing')[0], 'yes');

      assert.equal(headerValues(none, 'Geolocation').length, 0);
      assert.equal(headerValues(none, 'Geolocation-Routing').length, 0);
      const parts = mimeParts(none);
      assert.ok(!parts.some((p) => p.headers['content-type'] === 'application/pidf+xml'), 'no location body');
      assert.equal(parts[0].headers['content-type'], 'application/sdp', 'the call itself is unchanged');
      assert.equal(parts.filter((p) => p.headers['content-type'].startsWith('application/EmergencyCallData.')).length, 5, 'Additional Data still goes');
      assert.match(none, /^INVITE sip:psap@/);

      const refused = events.filter((e) => e.type === 'emergency.location.refused' && e.data.emergencyId === id).map((e) => e.data as { code: number; retriedWith: string });
      assert.deepEqual(refused.map((x) => [x.code, x.retriedWith]), [[100, 'single'], [300, 'none']]);
      const e = (await s.api('GET', `/api/emergencies/${id}`, { cookie: admin })).body;
      assert.equal(e.state, 'answered');
      assert.equal(e.attempts, 1, 'the retries are part of the one attempt');
      const calling = events.find((x) => x.type === 'emergency.calling' && x.data.emergencyId === id)!;
      await s.api('POST', `/api/calls/${(calling.data as { callId: string }).callId}/hangup`, { cookie: admin, body: {} });
      assert.equal((await psap.done).code, 0);
    } finally {
      psap.kill();
    }
  });
});
