import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { AnyEvent } from '../../src/bus/event-map.js';
import { decodeMsd, MSD_CONTENT_TYPE } from '../../src/emergency/ecall-msd.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { waitFor } from '../helpers/wait.js';
import { crashBatch, setupDevice } from './emergency-fixture.js';
import { binaryPart, startSippPsap } from './psap.js';

const vehicle = { vin: 'WCS0DEM0CAR000001', vehicleClass: 'M1', propulsion: ['electric'] };

describe('eCall (RFC 8147): a car with vehicle data sends its MSD in the INVITE', () => {
  let s: TestServer;
  let admin: string;
  const events: AnyEvent[] = [];
  before(async () => {
    s = await startTestServer();
    admin = await s.login('admin@acme.test');
    await s.ctx.bus.subscribe({ types: ['emergency.'] }, (e) => void events.push(e));
  });
  after(() => s.destroy());

  test('malformed vehicle data is refused with problem+json', async () => {
    const base = { name: 'Van', kind: 'car', psaps: ['urn:service:sos'] };
    for (const bad of [{ ...vehicle, vin: 'WCS0DEM0CAR00000I' }, { ...vehicle, vin: 'SHORT' }, { ...vehicle, vehicleClass: 'X9' }, { ...vehicle, propulsion: ['diesel', 'diesel'] }, { ...vehicle, propulsion: ['steam'] }]) {
      const r = await s.api('POST', '/api/devices', { cookie: admin, body: { ...base, vehicle: bad } });
      assert.equal(r.status, 400, JSON.stringify(bad));
      assert.match(r.headers.get('content-type') ?? '', /^application\/problem\+json/);
    }
    const alarm = await s.api('POST', '/api/devices', { cookie: admin, body: { ...base, kind: 'alarm', vehicle } });
    assert.equal(alarm.status, 400);
    assert.equal(alarm.body.code, 'emergency_vehicle_not_car');
  });

  test('the INVITE goes to urn:service:test.sos.ecall.automatic with the MSD by reference; /admin gets "MSD sent"', async () => {
    const psap = await startSippPsap({ timeoutSec: 30, tap: true });
    try {
      const { key } = await setupDevice(s, admin, ['urn:service:test.sos'], { cancelSeconds: 0.2, attemptsPerPsap: 1, serviceRoutes: { 'urn:service:test.sos': [psap.uri] } }, { vehicle });
      const before = (await s.api('GET', '/api/emergencies', { cookie: admin })).body.items.length;
      const batch = crashBatch(48.8584, 2.2945);
      const refused = await s.api('POST', '/api/devices/data', { key, body: { ...batch, vehicle: { passengers: 300 } } });
      assert.equal(refused.status, 400, 'more passengers than the MSD can say');
      assert.match(refused.headers.get('content-type') ?? '', /^application\/problem\+json/);
      assert.equal((await s.api('GET', '/api/emergencies', { cookie: admin })).body.items.length, before, 'nothing started');

      const r = await s.api('POST', '/api/devices/data', { key, body: { ...batch, vehicle: { passengers: 2 } } });
      assert.equal(r.status, 202, JSON.stringify(r.body));
      const id = r.body.emergencyId as string;
      await waitFor(() => events.some((e) => e.type === 'emergency.answered' && e.data.emergencyId === id), 15_000, 'the PSAP answered');

      const invite = psap.datagrams().find((d) => d.toString('latin1').startsWith('INVITE '))!;
      assert.ok(invite, 'the relay saw the INVITE');
      const text = invite.toString('latin1');
      assert.match(text, /^INVITE urn:service:test\.sos\.ecall\.automatic SIP\/2\.0\r\n/);
      const callInfo = [...text.split('\r\n\r\n')[0].matchAll(/^Call-Info:\s*(.*)$/gim)].flatMap((m) => m[1].split(/,\s*(?=<)/));
      const ref = callInfo.map((v) => /^<cid:([^>]+)>;purpose=EmergencyCallData\.eCall\.MSD$/.exec(v.trim())?.[1]).find(Boolean);
      assert.ok(ref, `Call-Info references the MSD: ${callInfo.join(' | ')}`);
      const part = binaryPart(invite, `<${ref}>`);
      assert.ok(part, 'a body part with that Content-ID');
      assert.equal(part.headers['content-type'], MSD_CONTENT_TYPE);
      assert.match(part.headers['content-disposition'] ?? '', /^by-reference/);

      const msd = decodeMsd(part.body);
      const fix = batch.gnss.reduce((a, b) => (b.t > a.t ? b : a));
      assert.equal(msd.version, 2);
      assert.equal(msd.vin, vehicle.vin);
      assert.equal(msd.vehicleClass, 'M1');
      assert.deepEqual(msd.propulsion, ['electric']);
      assert.equal(msd.automaticActivation, true);
      assert.equal(msd.testCall, true, 'the test service gets a test call');
      assert.equal(msd.numberOfPassengers, 2);
      assert.equal(msd.latitude, Math.round(fix.lat * 3_600_000), "the device's fix");
      assert.equal(msd.longitude, Math.round(fix.lon * 3_600_000));
      assert.equal(msd.positionCanBeTrusted, true);
      assert.ok(Math.abs(msd.timestamp * 1000 - Date.now()) < 60_000);

      const sent = events.find((e) => e.type === 'emergency.msd.sent' && e.data.emergencyId === id);
      assert.ok(sent, 'emergency.msd.sent');
      assert.equal((sent.data as { bytes: number }).bytes, part.body.length);
      const { interactionId } = (await s.api('GET', `/api/emergencies/${id}`, { cookie: admin })).body;
      const timeline = (await s.api('GET', `/api/interactions/${interactionId}/timeline`, { cookie: admin })).body.items as AnyEvent[];
      assert.ok(timeline.some((e) => e.type === 'emergency.msd.sent'), "it is in the interaction's timeline that /admin shows");

      const calling = events.find((x) => x.type === 'emergency.calling' && x.data.emergencyId === id)!;
      await s.api('POST', `/api/calls/${(calling.data as { callId: string }).callId}/hangup`, { cookie: admin, body: {} });
      assert.equal((await psap.done).code, 0);
    } finally {
      psap.kill();
    }
  });

  test("the demo PSAP answers an eCall: urn:service:test.sos.ecall.automatic reaches the number of its parent service (RFC 5031)", async () => {
    const tel = s.ctx.services.get('telephony');
    const here = `sip:${s.ctx.config.sipPublicHost}:${tel.endpoint.ports.udp}`;
    const { key } = await setupDevice(s, admin, ['urn:service:test.sos'], { cancelSeconds: 0.2, attemptsPerPsap: 1, serviceRoutes: { 'urn:service:test.sos': [here] } }, { vehicle });
    const r = await s.api('POST', '/api/devices/data', { key, body: crashBatch() });
    assert.equal(r.status, 202, JSON.stringify(r.body));
    const id = r.body.emergencyId as string;
    await waitFor(() => events.some((e) => e.type === 'emergency.answered' && e.data.emergencyId === id), 15_000, 'the demo PSAP answered');
    const inbound = await s.ctx.store.db.selectFrom('calls').selectAll().where('direction', '=', 'inbound').where('to_uri', '=', 'urn:service:test.sos.ecall.automatic').executeTakeFirst();
    assert.ok(inbound, 'the PSAP side was dialled as the eCall URN');
    assert.equal(inbound.flow_id, (await tel.numbers.lookup('urn:service:test.sos'))!.flowId, 'and ran the demo PSAP flow');
    const hang = await s.api('POST', `/api/calls/${inbound.id}/hangup`, { cookie: admin, body: {} });
    assert.ok(hang.status < 300, JSON.stringify(hang.body));
    await waitFor(async () => (await s.api('GET', `/api/emergencies/${id}`, { cookie: admin })).body.state === 'ended', 10_000, 'the emergency ended');
  });
});
