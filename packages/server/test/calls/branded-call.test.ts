import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import WebSocket from 'ws';
import { callScenario, runSipp } from '../helpers/sipp.js';
import { removeSeededBrands, startTestServer, type TestServer } from '../helpers/test-server.js';
import { waitFor } from '../helpers/wait.js';

const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000 1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082'.replace(/ /g, ''), 'hex');

interface Preview {
  kind: string;
  callId: string;
  /** The From URI the app shows as the number. */
  callerNumber: string;
  metadataToken: string;
}

/** The claims inside the signed call metadata the phone app receives (its signature is checked by the app, see lockscreen e2e). */
const metadataOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());

/**
 * An originating carrier (sipp) calls the demo customer's number with a STIR/SHAKEN
 * Identity header; callsight verifies it before anything rings and the customer's
 * app receives the verified brand as signed metadata with the incoming-call signal
 * (`call.incoming`). Tampered headers ring unbranded.
 */
describe('branded inbound calls from a carrier (sipp)', () => {
  let s: TestServer;
  let port: number;
  let admin: string;
  const previews: Preview[] = [];
  let ws: WebSocket;
  const telOf = (from: string) => /^sip:([^@]+)@/.exec(from)?.[1] ?? from;

  before(async () => {
    s = await startTestServer();
    port = s.ctx.services.get('telephony').endpoint.ports.udp;
    admin = await s.login('admin@acme.test');
    await removeSeededBrands(s);
    const brand = await s.api('POST', '/api/branding/brands', {
      cookie: admin,
      body: { name: 'Acme Bank', logo: { dataBase64: PNG.toString('base64'), mime: 'image/png' }, reasons: ['Card delivery'], numbers: ['+15550101'], content: { kind: 'order', title: 'Card delivery' } },
    });
    assert.equal(brand.status, 201, JSON.stringify(brand.body));
    const customer = await s.login('customer@acme.test');
    ws = new WebSocket(s.url.replace('http', 'ws') + '/api/ws', { headers: { cookie: customer } });
    ws.on('message', (d) => {
      const m = JSON.parse(d.toString());
      if (m.kind !== 'call.incoming') return;
      previews.push({ ...m, callerNumber: m.from });
      // The app declines, so the carrier's call ends (480) without waiting for a timeout.
      ws.send(JSON.stringify({ kind: 'call.reject', callId: m.callId }));
    });
    await new Promise((r) => ws.once('open', r));
  });
  after(async () => {
    ws.close();
    await s.destroy();
  });

  async function carrierCall(identity: string | null, fromUser = '+15550101'): Promise<Preview> {
    const before = previews.length;
    const r = await runSipp({
      scenario: callScenario({ pauseMs: 0, waitMs: 0, expectStatus: 480, fromUser, headers: identity ? [`Identity: ${identity}`] : [] }),
      port,
      service: '+15550100',
      timeoutSec: 15,
    });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    await waitFor(() => previews.length > before, 5000, 'preview on the phone app');
    return previews[previews.length - 1];
  }

  const sign = async () => {
    const signed = await s.api('POST', '/api/branding/sign', { cookie: admin, body: { from: '+15550101', to: '+15550100', reason: 'Card delivery' } });
    assert.equal(signed.status, 200, JSON.stringify(signed.body));
    return signed.body.identityHeader as string;
  };

  test('a valid Identity header: the phone app gets the verified brand, name and reason', async () => {
    const preview = await carrierCall(await sign());
    const meta = metadataOf(preview.metadataToken);
    assert.equal(meta.vs, 'TN-Validation-Passed', JSON.stringify(meta));
    assert.equal(meta.b.n, 'Acme Bank');
    assert.equal(meta.b.r, 'Card delivery');
    assert.match(meta.b.logo, /^data:image\/png;base64,/);
    const verified = (await s.api('GET', '/api/events?types=branding.verified', { cookie: admin })).body.items;
    assert.equal(verified.at(-1).data.verstat, 'TN-Validation-Passed');
  });

  test('a tampered Identity header rings unbranded with the reason recorded', async () => {
    const header = await sign();
    const [jws, ...params] = header.split(';');
    const [h, payload, sig] = jws.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    claims.rcd.nam = 'Evil Bank';
    const tampered = [[h, Buffer.from(JSON.stringify(claims)).toString('base64url'), sig].join('.'), ...params].join(';');
    const preview = await carrierCall(tampered);
    const meta = JSON.stringify(metadataOf(preview.metadataToken));
    assert.match(meta, /TN-Validation-Failed/);
    assert.doesNotMatch(meta, /Evil Bank|Acme Bank/);
    const verified = (await s.api('GET', '/api/events?types=branding.verified', { cookie: admin })).body.items;
    assert.equal(verified.at(-1).data.verstat, 'TN-Validation-Failed');
    assert.ok(JSON.stringify(verified.at(-1).data).includes('signature'), JSON.stringify(verified.at(-1).data));
  });

  test('a valid header presented for another calling number fails: the PASSporT does not cover it', async () => {
    const preview = await carrierCall(await sign(), '+15550102');
    const meta = JSON.stringify(metadataOf(preview.metadataToken));
    assert.match(meta, /TN-Validation-Failed/);
    assert.doesNotMatch(meta, /Acme Bank/);
    const verified = (await s.api('GET', '/api/events?types=branding.verified', { cookie: admin })).body.items;
    assert.match(JSON.stringify(verified.at(-1).data), /orig_mismatch|tn_not_authorized/);
  });

  test('no Identity header: No-TN-Validation, number only', async () => {
    const preview = await carrierCall(null);
    assert.equal(telOf(preview.callerNumber), '+15550101');
    const meta = JSON.stringify(metadataOf(preview.metadataToken));
    assert.match(meta, /No-TN-Validation/);
    assert.doesNotMatch(meta, /Acme Bank/);
  });
});
