import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ConfirmService } from '../../src/confirm/confirm-service.js';
import { BACKENDS } from '../helpers/backends.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { ADDRESS, connect, openInteraction, type Person } from './confirm-helpers.js';

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

async function post(url: string, fields: Record<string, string>) {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form(fields) });
  return { status: res.status, html: await res.text(), headers: res.headers };
}

for (const backend of BACKENDS) {
  describe(`one-time card links (/c/<token>) on ${backend.name}`, () => {
    let s: TestServer;
    let agent: Person;
    let customer: Person;

    before(async () => {
      s = await startTestServer({ backend });
      agent = await connect(s, 'agent@acme.test');
      customer = await connect(s, 'customer@acme.test');
    });
    after(async () => {
      agent?.socket.close();
      customer?.socket.close();
      await s?.destroy();
    });

    const cardOf = async (id: string) => (await s.api('GET', `/api/cards/${id}`, { cookie: agent.cookie })).body;

    test('the link shows the card, refuses bad values with the form again, records one answer, then refuses reuse', async () => {
      const int = await openInteraction(s, agent.cookie, customer.id);
      const res = await s.api('POST', `/api/interactions/${int}/cards`, { cookie: agent.cookie, body: { kind: 'address', values: ADDRESS, sms: true } });
      assert.equal(res.status, 201);
      const { card, link } = res.body;
      assert.equal(link.sentTo, null, 'no SMS gateway: the agent reads the link out');
      assert.ok(link.url.startsWith(`${s.url}/c/`));

      const page = await fetch(link.url);
      assert.equal(page.status, 200);
      assert.equal(page.headers.get('referrer-policy'), 'no-referrer');
      const html = await page.text();
      assert.match(html, /<h1>Confirm your address<\/h1>/);
      assert.match(html, /name="postcode" required pattern="\[A-Za-z0-9\]/, 'the browser checks the same pattern first');
      assert.match(html, /value="AB1 2CD"/);

      const base = { _version: '1', _decision: 'confirm', line1: ADDRESS.line1, line2: '', city: ADDRESS.city, country: 'GB' };
      const bad = await post(link.url, { ...base, postcode: '!!' });
      assert.equal(bad.status, 400);
      assert.match(bad.html, /Postcode has the wrong format/);
      assert.match(bad.html, /value="!!"/, 'the form keeps what was typed');
      assert.equal((await cardOf(card.id)).status, 'presented', 'a refused answer stores nothing and keeps the link usable');

      const ok = await post(link.url, { ...base, postcode: 'ZX9 8YW' });
      assert.equal(ok.status, 200, ok.html);
      assert.match(ok.html, /Thank you/);
      const answered = await cardOf(card.id);
      assert.equal(answered.status, 'corrected');
      assert.equal(answered.answer.via, 'link');
      assert.match(answered.answer.answeredBy, /^link:/);
      assert.equal(answered.answer.values.postcode, 'ZX9 8YW');

      const reopen = await fetch(link.url);
      assert.equal(reopen.status, 410);
      assert.match(await reopen.text(), /already been used/);
      const reuse = await post(link.url, { ...base, _decision: 'reject', _reason: 'changed my mind' });
      assert.equal(reuse.status, 410);
      assert.match(reuse.html, /already been used.*Nothing was changed/s);
      assert.deepEqual((await cardOf(card.id)).answer, answered.answer, 'reuse has no effect');
    });

    test('forged, altered and expired links get a clear page', async () => {
      const forged = await fetch(`${s.url}/c/v1.AAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA.AAAAAAAAAA`);
      assert.equal(forged.status, 404);
      assert.match(await forged.text(), /not valid/);

      const int = await openInteraction(s, agent.cookie, customer.id);
      const { card, link } = (await s.api('POST', `/api/interactions/${int}/cards`, { cookie: agent.cookie, body: { kind: 'identity', ttlSeconds: 1, sms: true } })).body;
      const altered = link.url.slice(0, -2) + (link.url.endsWith('A') ? 'BB' : 'AA');
      assert.equal((await fetch(altered)).status, 404);
      await new Promise((r) => setTimeout(r, 1100));
      const late = await post(link.url, { _version: '1', _decision: 'confirm', fullName: 'Casey', dateOfBirth: '1990-01-01' });
      assert.equal(late.status, 410);
      assert.match(late.html, /expired/);
      assert.equal((await cardOf(card.id)).answer, null);
    });

    test('with an SMS gateway the link is texted to the customer’s number', async () => {
      const sent: { to: string; text: string }[] = [];
      const service = new ConfirmService(s.ctx, { sendSms: async (to, text) => void sent.push({ to, text }) });
      const int = await openInteraction(s, agent.cookie, customer.id);
      const card = (await s.api('POST', `/api/interactions/${int}/cards`, { cookie: agent.cookie, body: { kind: 'address', values: ADDRESS } })).body.card;
      const principal = { tenantId: (await s.ctx.tenants.bySlug('acme'))!.id, role: 'agent' as const, userId: agent.id, apiKeyId: null };
      const link = await service.createLink(principal, card.id, s.url);
      assert.equal(link.sentTo, '+15550100');
      assert.deepEqual(sent, [{ to: '+15550100', text: `Confirm your address: ${link.url}` }]);
      assert.equal((await fetch(link.url)).status, 200);
    });
  });
}
