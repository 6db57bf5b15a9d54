import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { verifyCallMetadata } from '@callsight/sdk';
import WebSocket from 'ws';
import { BACKENDS } from '../helpers/backends.js';
import { removeSeededBrands, startTestServer, type TestServer } from '../helpers/test-server.js';
import { waitFor } from '../helpers/wait.js';
import { PNG, serve, startContentServer } from './sti-fixtures.js';

for (const backend of BACKENDS) {
  describe(`branding API (${backend.name})`, () => {
    let s: TestServer;
    let admin: string;
    let brandId: string;
    const brandBody = {
      name: 'Acme Bank',
      logo: { dataBase64: PNG.toString('base64'), mime: 'image/png' },
      reasons: ['Card delivery', 'Fraud check'],
      numbers: ['+15550101', '+15550102'],
      content: { kind: 'order', title: 'Card delivery' },
    };

    before(async () => {
      s = await startTestServer({ backend });
      admin = await s.login('admin@acme.test');
      await removeSeededBrands(s);
    });
    after(() => s?.destroy());

    test('admin registers a brand; bad input is a 400, a taken number a 409, and neither changes anything', async () => {
      const created = await s.api('POST', '/api/branding/brands', { cookie: admin, body: brandBody });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      brandId = created.body.id;
      assert.deepEqual(created.body.numbers, ['+15550101', '+15550102']);
      const logo = await fetch(created.body.logoUrl);
      assert.equal(logo.headers.get('content-type'), 'image/png');
      assert.deepEqual(Buffer.from(await logo.arrayBuffer()), PNG);

      const bad = await s.api('POST', '/api/branding/brands', { cookie: admin, body: { ...brandBody, numbers: ['not-a-number'] } });
      assert.equal(bad.status, 400);
      const taken = await s.api('POST', '/api/branding/brands', { cookie: admin, body: { ...brandBody, name: 'Other', numbers: ['+15550102'] } });
      assert.equal(taken.status, 409);
      assert.equal(taken.body.code, 'number_taken');
      const agent = await s.login('agent@acme.test');
      assert.equal((await s.api('POST', '/api/branding/brands', { cookie: agent, body: brandBody })).status, 403);
      const list = await s.api('GET', '/api/branding/brands', { cookie: admin });
      assert.equal(list.body.items.length, 1);
    });

    test('sign over the API, verify over the API (x5u, logo and jCard fetched over HTTP); the delegate certificate lists the numbers', async () => {
      const signed = await s.api('POST', '/api/branding/sign', { cookie: admin, body: { from: '+15550101', to: '+15550100', reason: 'Card delivery' } });
      assert.equal(signed.status, 200, JSON.stringify(signed.body));
      const { claims, header } = signed.body.passport;
      assert.equal(header.ppt, 'shaken');
      assert.deepEqual(claims.orig, { tn: '15550101' });
      assert.equal(claims.rcd.nam, 'Acme Bank');
      assert.equal(claims.crn, 'Card delivery');
      assert.match(claims.rcdi['/icn'], /^sha256-/);
      const pem = await fetch(header.x5u);
      assert.equal(pem.status, 200);
      assert.match(await pem.text(), /-----BEGIN CERTIFICATE-----[\s\S]+-----BEGIN CERTIFICATE-----/);

      const verified = await s.api('POST', '/api/branding/verify', { cookie: admin, body: { identityHeaders: [signed.body.identityHeader], from: '+15550101', to: '+15550100' } });
      assert.equal(verified.body.verstat, 'TN-Validation-Passed', verified.body.reasons?.join());
      assert.equal(verified.body.brand.name, 'Acme Bank');
      assert.match(verified.body.brand.logoDataUri, /^data:image\/png;base64,/);

      const certs = await s.api('GET', '/api/branding/certificates', { cookie: admin });
      assert.deepEqual(certs.body.items[0].tnAuthList, [{ range: { start: '15550101', count: 2 } }]);

      const refused = await s.api('POST', '/api/branding/sign', { cookie: admin, body: { from: '+15550199', to: '+15550100' } });
      assert.equal(refused.status, 403);
      assert.equal(refused.body.code, 'tn_not_authorized');
      const badReason = await s.api('POST', '/api/branding/sign', { cookie: admin, body: { from: '+15550101', to: '+15550100', reason: 'Prize draw' } });
      assert.equal(badReason.status, 400);
      const types = (await s.api('GET', '/api/events?limit=100', { cookie: admin })).body.items.map((e: { type: string }) => e.type);
      assert.ok(types.includes('branding.signed') && types.includes('branding.verified'));
    });

    test('a logo given by URL is copied and served by callsight; a non-image URL is a 400; changing numbers re-issues the delegate certificate', async () => {
      const origin = await startContentServer({ '/logo.png': serve(PNG, 'image/png'), '/page': serve('<html></html>', 'text/html') });
      try {
        const made = await s.api('POST', '/api/branding/brands', {
          cookie: admin,
          body: { ...brandBody, name: 'Globex Deliveries', logo: { url: `${origin.base}/logo.png` }, numbers: ['+15550301'], reasons: [] },
        });
        assert.equal(made.status, 201, JSON.stringify(made.body));
        assert.ok(made.body.logoUrl.startsWith(s.url), 'served by callsight, not the origin');
        assert.deepEqual(Buffer.from(await (await fetch(made.body.logoUrl)).arrayBuffer()), PNG);
        const html = await s.api('POST', '/api/branding/brands', { cookie: admin, body: { ...brandBody, name: 'Html', logo: { url: `${origin.base}/page` }, numbers: ['+15550302'] } });
        assert.equal(html.status, 400);
        assert.equal(html.body.code, 'logo_invalid');

        await s.api('POST', '/api/branding/sign', { cookie: admin, body: { from: '+15550301', to: '+15550100' } });
        const patched = await s.api('PATCH', `/api/branding/brands/${made.body.id}`, { cookie: admin, body: { numbers: ['+15550301', '+15550303'] } });
        assert.equal(patched.status, 200);
        const signed = await s.api('POST', '/api/branding/sign', { cookie: admin, body: { from: '+15550303', to: '+15550100' } });
        assert.equal(signed.status, 200);
        const certs = (await s.api('GET', '/api/branding/certificates', { cookie: admin })).body.items.filter((c: { brandId: string }) => c.brandId === made.body.id);
        assert.deepEqual(certs.map((c: { tnAuthList: unknown }) => c.tnAuthList), [[{ one: '15550301' }, { one: '15550303' }], [{ one: '15550301' }]]);
        const verified = await s.api('POST', '/api/branding/verify', { cookie: admin, body: { identityHeaders: [signed.body.identityHeader], from: '+15550303', to: '+15550100' } });
        assert.equal(verified.body.verstat, 'TN-Validation-Passed', verified.body.reasons.join());
        assert.equal((await s.api('DELETE', `/api/branding/brands/${made.body.id}`, { cookie: admin })).status, 204);
        assert.equal((await s.api('DELETE', `/api/branding/brands/${made.body.id}`, { cookie: admin })).status, 404);
      } finally {
        await origin.close();
      }
    });

    test('test call: the customer phone gets a signed preview over WebSocket, its link opens the content and records branding.link.opened', async () => {
      const customer = await s.login('customer@acme.test');
      const me = (await s.api('GET', '/api/me', { cookie: customer })).body;
      const ws = new WebSocket(s.url.replace('http', 'ws') + '/api/ws', { headers: { cookie: customer } });
      const got: { kind: string; metadataToken?: string }[] = [];
      ws.on('message', (d) => got.push(JSON.parse(d.toString())));
      await waitFor(() => got.some((m) => m.kind === 'hello'));

      const call = await s.api('POST', '/api/branding/test-call', { cookie: admin, body: { brandId, userId: me.user.id, reason: 'Card delivery', content: { Order: 'A-1042', Delivery: 'Tuesday 10-12' } } });
      assert.equal(call.status, 200, JSON.stringify(call.body));
      assert.equal(call.body.delivered, 1);
      await waitFor(() => got.some((m) => m.kind === 'call.incoming.preview'));
      ws.close();
      const preview = got.find((m) => m.kind === 'call.incoming.preview')!;
      assert.equal(preview.metadataToken, call.body.metadataToken);

      const jwk = (await s.api('GET', '/api/branding/app-key', { cookie: customer })).body;
      const meta = await verifyCallMetadata(preview.metadataToken!, jwk);
      assert.equal(meta?.vs, 'TN-Validation-Passed');
      assert.equal(meta?.b?.n, 'Acme Bank');
      assert.equal(meta?.b?.r, 'Card delivery');

      const page = await fetch(meta!.link!);
      assert.equal(page.status, 200);
      const html = await page.text();
      assert.match(html, /A-1042/);
      assert.match(html, /Tuesday 10-12/);
      await waitFor(async () => (await s.api('GET', `/api/events?limit=200`, { cookie: admin })).body.items.some((e: { type: string; interactionId?: string }) => e.type === 'branding.link.opened' && e.interactionId === call.body.interactionId));
      const at = meta!.link!.length - 10;
      const tampered = meta!.link!.slice(0, at) + (meta!.link![at] === 'A' ? 'B' : 'A') + meta!.link!.slice(at + 1);
      assert.equal((await fetch(tampered)).status, 410);

      const spoofed = await s.api('POST', '/api/branding/test-call', { cookie: admin, body: { brandId, userId: me.user.id, mode: 'spoofed' } });
      assert.equal(spoofed.body.verification.verstat, 'TN-Validation-Failed');
      assert.deepEqual(spoofed.body.verification.codes, ['signature_invalid']);
      assert.equal(spoofed.body.verification.brand, undefined);
      const unsigned = await s.api('POST', '/api/branding/test-call', { cookie: admin, body: { brandId, userId: me.user.id, mode: 'unsigned' } });
      assert.equal(unsigned.body.verification.verstat, 'No-TN-Validation');
    });
  });
}
