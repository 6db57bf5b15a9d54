import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { simulatedBatch } from '../../../protocol/src/emergency/simulated-batches.js';
import type { AnyEvent } from '../../src/bus/event-map.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { waitFor } from '../helpers/wait.js';
import { setupDevice } from './emergency-fixture.js';
import { headerValues, mimeParts, startSippPsap } from './psap.js';

const civicAddress = { country: 'FR', A3: 'Paris', RD: 'Rue Cler', HNO: '12', PC: '75007', FLR: '3' };
const alarm = { name: 'Hall smoke alarm', kind: 'alarm', civicAddress };

/** The part a Call-Info purpose points at, by its cid. */
function referenced(message: string, purpose: string) {
  const values = headerValues(message, 'Call-Info').flatMap((v) => v.split(/,\s*(?=<)/));
  const cid = values.map((v) => new RegExp(`^<cid:([^>]+)>;purpose=${purpose.replace(/\./g, '\\.')}$`).exec(v.trim())?.[1]).find(Boolean);
  return cid ? mimeParts(message).find((p) => p.headers['content-id'] === `<${cid}>`) : undefined;
}

describe('alarms alert by data (RFC 8876): a SIP MESSAGE with CAP, the voice call when it is refused', () => {
  let s: TestServer;
  let admin: string;
  const events: AnyEvent[] = [];
  before(async () => {
    s = await startTestServer();
    admin = await s.login('admin@acme.test');
    await s.ctx.bus.subscribe({ types: ['emergency.'] }, (e) => void events.push(e));
  });
  after(() => s.destroy());
  const of = (id: string, type: string) => events.filter((e) => e.type === type && (e.data as { emergencyId?: string }).emergencyId === id);

  test('route "alone": the PSAP answers the MESSAGE 200 and no call is placed; the MESSAGE carries CAP, PIDF-LO and Additional Data', async () => {
    const psap = await startSippPsap({ timeoutSec: 30, message: { status: '200 OK', then: 'end' } });
    try {
      const urn = 'urn:service:test.sos';
      const { key } = await setupDevice(s, admin, [urn], { cancelSeconds: 0.2, attemptsPerPsap: 1, serviceRoutes: { [urn]: [psap.uri] }, capRoutes: { [urn]: 'alone' } }, alarm);
      const r = await s.api('POST', '/api/devices/data', { key, body: simulatedBatch('smoke', undefined, Date.now()) });
      assert.equal(r.status, 202, JSON.stringify(r.body));
      const id = r.body.emergencyId as string;
      assert.ok(id, 'the smoke alarm was detected');
      await waitFor(() => of(id, 'emergency.ended').length > 0, 15_000, 'the emergency ended');
      assert.equal((of(id, 'emergency.ended')[0].data as { outcome: string }).outcome, 'delivered');
      assert.equal(of(id, 'emergency.cap.sent').length, 1);
      assert.equal(of(id, 'emergency.calling').length, 0, 'no voice call');
      assert.equal((await s.api('GET', `/api/emergencies/${id}`, { cookie: admin })).body.state, 'ended');
      assert.equal((await psap.done).code, 0);

      const [message] = psap.requests('MESSAGE');
      assert.ok(message, 'sipp got the MESSAGE');
      assert.equal(psap.invites().length, 0);
      assert.match(message, /^MESSAGE urn:service:test\.sos SIP\/2\.0/);
      assert.match(headerValues(message, 'Content-Type')[0], /^multipart\/mixed;\s*boundary=/);
      const cap = referenced(message, 'EmergencyCallData.cap');
      assert.ok(cap, 'Call-Info purpose=EmergencyCallData.cap references a body part');
      assert.equal(cap.headers['content-type'], 'application/common-alerting-protocol+xml');
      assert.match(cap.body, /<alert xmlns="urn:oasis:names:tc:emergency:cap:1\.2">/);
      assert.match(cap.body, new RegExp(`<identifier>${id}</identifier>`));
      assert.match(cap.body, /<sent>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00<\/sent><status>Test<\/status><msgType>Alert<\/msgType>/, 'a test alert to the test service');
      assert.match(cap.body, /<category>Fire<\/category><event>Smoke alarm<\/event>/);
      assert.match(cap.body, /<urgency>Immediate<\/urgency><severity>Severe<\/severity><certainty>(Likely|Possible)<\/certainty>/);
      assert.match(cap.body, /<areaDesc>[^<]*Rue Cler[^<]*<\/areaDesc>/);
      assert.doesNotMatch(cap.body, /Press 1/, 'no keys to press in a data alert');
      const geo = /^<cid:([^>]+)>$/.exec(headerValues(message, 'Geolocation')[0] ?? '')?.[1];
      const pidf = mimeParts(message).find((p) => p.headers['content-id'] === `<${geo}>`);
      assert.equal(pidf?.headers['content-type'], 'application/pidf+xml');
      assert.match(pidf!.body, /<ca:RD>Rue Cler<\/ca:RD>/);
      assert.equal(headerValues(message, 'Geolocation-Routing')[0], 'yes');
      assert.ok(referenced(message, 'EmergencyCallData.DeviceInfo'), 'the RFC 7852 blocks go too');
    } finally {
      psap.kill();
    }
  });

  test('the PSAP answers the MESSAGE 415: the voice call follows to the same PSAP and is answered', async () => {
    const psap = await startSippPsap({ timeoutSec: 30, message: { status: '415 Unsupported Media Type', then: 'call' } });
    try {
      const { key } = await setupDevice(s, admin, [psap.uri], { cancelSeconds: 0.2, attemptsPerPsap: 1, capRoutes: { [psap.uri]: 'alone' } }, { ...alarm, name: 'Kitchen smoke alarm' });
      const r = await s.api('POST', '/api/devices/data', { key, body: simulatedBatch('smoke', undefined, Date.now()) });
      const id = r.body.emergencyId as string;
      await waitFor(() => of(id, 'emergency.answered').length > 0, 15_000, 'the voice call was answered');
      const refused = of(id, 'emergency.cap.refused').map((e) => e.data as { status: number });
      assert.deepEqual(refused.map((x) => x.status), [415]);
      assert.equal(of(id, 'emergency.cap.sent').length, 0);
      const [message] = psap.requests('MESSAGE');
      assert.match(message, /<status>Actual<\/status>/);
      assert.equal(psap.invites().length, 1, 'then the INVITE');
      const calling = of(id, 'emergency.calling')[0];
      await s.api('POST', `/api/calls/${(calling.data as { callId: string }).callId}/hangup`, { cookie: admin, body: {} });
      assert.equal((await psap.done).code, 0);
    } finally {
      psap.kill();
    }
  });
});
