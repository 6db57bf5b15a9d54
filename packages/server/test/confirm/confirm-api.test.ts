import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { verifyChain } from '../../src/confirm/confirmation-chain.js';
import { contentHash } from '../../src/confirm/canonical-json.js';
import { BACKENDS } from '../helpers/backends.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { waitFor } from '../helpers/wait.js';
import { ADDRESS, connect, GOOD_IBAN, openInteraction, type Person } from './confirm-helpers.js';

for (const backend of BACKENDS) {
  describe(`confirm cards on ${backend.name}`, () => {
    let s: TestServer;
    let agent: Person;
    let customer: Person;
    let other: Person;

    before(async () => {
      s = await startTestServer({ backend });
      const admin = await s.login('admin@acme.test');
      const created = await s.api('POST', '/api/users', { cookie: admin, body: { email: 'other@acme.test', name: 'Olive Other', role: 'customer', password: 'other-password' } });
      assert.equal(created.status, 201);
      agent = await connect(s, 'agent@acme.test');
      customer = await connect(s, 'customer@acme.test');
      other = await connect(s, 'other@acme.test', 'other-password');
    });
    after(async () => {
      for (const p of [agent, customer, other]) p?.socket.close();
      await s?.destroy();
    });

    const push = (interactionId: string, body: object, cookie = agent.cookie) => s.api('POST', `/api/interactions/${interactionId}/cards`, { cookie, body });
    const answer = (cardId: string, body: object, cookie = customer.cookie) => s.api('POST', `/api/cards/${cardId}/answer`, { cookie, body });
    const confirmed = async (interactionId: string) => (await s.api('GET', `/api/interactions/${interactionId}/confirmed`, { cookie: agent.cookie })).body.items;

    test('a pushed card reaches the customer at once; their edited answer is a correction with a diff, stored as confirmed data', async () => {
      const int = await openInteraction(s, agent.cookie, customer.id);
      const res = await push(int, { kind: 'address', values: ADDRESS, message: 'Is this still right?' });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      const card = res.body.card;
      assert.equal(card.version, 1);
      assert.equal(card.status, 'presented');
      assert.equal(card.customerId, customer.id);
      assert.equal(card.contentHash, contentHash(card.content));
      assert.equal(res.body.link, null);

      await waitFor(() => customer.messages.some((m) => m.kind === 'card.presented' && m.card.id === card.id), 3000, 'direct push');
      await waitFor(() => customer.messages.some((m) => m.kind === 'event' && m.event.type === 'confirm.presented' && m.event.data.cardId === card.id), 3000, 'presented event');
      assert.ok(!other.messages.some((m) => JSON.stringify(m).includes(card.id)), 'another customer sees nothing of it');
      const pending = await s.api('GET', '/api/cards?status=presented', { cookie: customer.cookie });
      assert.deepEqual(pending.body.items.map((c: { id: string }) => c.id), [card.id]);

      const ok = await answer(card.id, { version: 1, decision: 'confirm', values: { postcode: 'ZX9 8YW' } });
      assert.equal(ok.status, 200, JSON.stringify(ok.body));
      assert.equal(ok.body.status, 'corrected');
      assert.deepEqual(ok.body.answer.changes, [{ field: 'postcode', from: 'AB1 2CD', to: 'ZX9 8YW' }]);
      assert.equal(ok.body.answer.values.city, 'Springfield');

      await waitFor(() => agent.messages.some((m) => m.kind === 'event' && m.event.type === 'confirm.answered' && m.event.data.cardId === card.id), 3000, 'answered event');
      const event = agent.messages.find((m) => m.kind === 'event' && m.event.type === 'confirm.answered' && m.event.data.cardId === card.id).event;
      assert.equal(event.interactionId, int);
      assert.equal(event.data.status, 'corrected');
      assert.equal(event.data.values.postcode, 'ZX9 8YW');
      assert.equal(event.data.contentHash, card.contentHash);
      assert.match(event.data.recordHash, /^[0-9a-f]{64}$/);

      const data = await confirmed(int);
      assert.equal(data.length, 1);
      assert.deepEqual(data[0].values, { ...ADDRESS, postcode: 'ZX9 8YW' });
      const mine = await s.api('GET', `/api/interactions/${int}/confirmed`, { cookie: customer.cookie });
      assert.equal(mine.status, 200);
      assert.equal((await s.api('GET', `/api/interactions/${int}/confirmed`, { cookie: other.cookie })).status, 404);

      const again = await answer(card.id, { version: 1, decision: 'confirm' });
      assert.equal(again.status, 409);
      assert.equal(again.body.code, 'card_already_answered');
    });

    test('an edit makes a new version; answering the old one is a 409 and nothing is confirmed', async () => {
      const int = await openInteraction(s, agent.cookie, customer.id);
      const card = (await push(int, { kind: 'address', values: ADDRESS })).body.card;
      const revised = await s.api('PUT', `/api/cards/${card.id}`, { cookie: agent.cookie, body: { version: 1, kind: 'address', values: { ...ADDRESS, line1: '2 High Street' } } });
      assert.equal(revised.status, 200, JSON.stringify(revised.body));
      assert.equal(revised.body.version, 2);
      assert.notEqual(revised.body.contentHash, card.contentHash);
      await waitFor(() => customer.messages.some((m) => m.kind === 'card.presented' && m.card.id === card.id && m.card.version === 2), 3000, 'v2 push');

      const stale = await answer(card.id, { version: 1, decision: 'confirm' });
      assert.equal(stale.status, 409);
      assert.equal(stale.body.code, 'card_version_stale');
      const staleEdit = await s.api('PUT', `/api/cards/${card.id}`, { cookie: agent.cookie, body: { version: 1, kind: 'address', values: ADDRESS } });
      assert.equal(staleEdit.status, 409);
      assert.equal(staleEdit.body.code, 'card_version_stale');
      assert.deepEqual(await confirmed(int), []);
      assert.equal((await s.api('GET', `/api/cards/${card.id}`, { cookie: agent.cookie })).body.status, 'presented');

      const ok = await answer(card.id, { version: 2, decision: 'confirm' });
      assert.equal(ok.body.status, 'confirmed');
      assert.equal((await confirmed(int))[0].values.line1, '2 High Street');
    });

    test('an expired card is announced, and a late answer is refused with nothing stored', async () => {
      const int = await openInteraction(s, agent.cookie, customer.id);
      const card = (await push(int, { kind: 'identity', values: { fullName: 'Casey Customer', dateOfBirth: '1990-02-28' }, ttlSeconds: 1 })).body.card;
      await waitFor(() => customer.messages.some((m) => m.kind === 'event' && m.event.type === 'confirm.expired' && m.event.data.cardId === card.id), 4000, 'expired event');
      const late = await answer(card.id, { version: 1, decision: 'confirm' });
      assert.equal(late.status, 409);
      assert.equal(late.body.code, 'card_expired');
      const stored = (await s.api('GET', `/api/cards/${card.id}`, { cookie: customer.cookie })).body;
      assert.equal(stored.status, 'expired');
      assert.equal(stored.answer, null);
      assert.deepEqual(await confirmed(int), []);
    });

    test('values that fail the rules are refused naming the field, on push and on answer, and change nothing', async () => {
      const int = await openInteraction(s, agent.cookie, customer.id);
      const badIban = await push(int, { kind: 'payment', values: { amount: 120.5, currency: 'EUR', payeeName: 'ACME Energy', iban: 'DE89370400440532013001' } });
      assert.equal(badIban.status, 400);
      assert.equal(badIban.body.code, 'card_invalid');
      assert.deepEqual(badIban.body.fields.map((f: { path: string }) => f.path), ['body.values.iban']);
      const noSlots = await push(int, { kind: 'appointment' });
      assert.equal(noSlots.status, 400);
      assert.equal((await s.api('GET', `/api/interactions/${int}/cards`, { cookie: agent.cookie })).body.items.length, 0, 'refused pushes store nothing');

      const payment = (await push(int, { kind: 'payment', values: { amount: 120.5, currency: 'EUR', payeeName: 'ACME Energy', iban: GOOD_IBAN } })).body.card;
      const cases: [object, string, string][] = [
        [{ version: 1, decision: 'confirm', values: { amount: -3 } }, 'card_invalid', 'body.values.amount'],
        [{ version: 1, decision: 'confirm', values: { iban: 'GB00WEST12345698765432' } }, 'card_invalid', 'body.values.iban'],
        [{ version: 1, decision: 'confirm', values: { payeeName: '' } }, 'card_invalid', 'body.values.payeeName'],
        [{ version: 1, decision: 'confirm', values: { nickname: 'x' } }, 'card_invalid', 'body.values.nickname'],
        [{ version: 1, decision: 'reject' }, 'card_invalid', 'body.reason'],
        [{ version: 1, decision: 'maybe' }, 'validation_failed', 'body.decision'],
      ];
      for (const [body, code, path] of cases) {
        const res = await answer(payment.id, body);
        assert.equal(res.status, 400, JSON.stringify(body));
        assert.equal(res.body.code, code);
        assert.ok(res.body.fields.some((f: { path: string }) => f.path === path), `${JSON.stringify(res.body.fields)} names ${path}`);
      }
      assert.equal((await s.api('GET', `/api/cards/${payment.id}`, { cookie: agent.cookie })).body.status, 'presented');

      const order = (await push(int, { kind: 'order', items: [{ name: 'Card', qty: 2, price: 5 }, { name: 'Express', qty: 1, price: 7.5 }], values: { currency: 'EUR' } })).body.card;
      assert.equal(order.content.values.total, 17.5);
      const cheaper = await answer(order.id, { version: 1, decision: 'confirm', values: { total: 1 } });
      assert.equal(cheaper.status, 400);
      assert.match(cheaper.body.fields[0].message, /cannot be changed/);

      const form = (await push(int, {
        kind: 'form',
        title: 'Travel notice',
        fields: [
          { name: 'destination', label: 'Destination', type: 'string', required: true, pattern: '[A-Z]{2}' },
          { name: 'nights', label: 'Nights', type: 'number', min: 1, max: 60, required: true },
          { name: 'back', label: 'Return', type: 'date', required: true },
          { name: 'use', label: 'Card use', type: 'enum', options: ['ATM', 'Shops'], required: true },
          { name: 'alerts', label: 'Alerts', type: 'boolean' },
        ],
      })).body.card;
      const bad = await answer(form.id, { version: 1, decision: 'confirm', values: { destination: 'spain', nights: 90, back: '2026-02-30', use: 'Casino', alerts: 'yes' } });
      assert.equal(bad.status, 400);
      assert.deepEqual(bad.body.fields.map((f: { path: string }) => f.path).sort(), ['body.values.alerts', 'body.values.back', 'body.values.destination', 'body.values.nights', 'body.values.use']);
      const good = await answer(form.id, { version: 1, decision: 'confirm', values: { destination: 'ES', nights: 7, back: '2026-03-01', use: 'Shops', alerts: true } });
      assert.equal(good.status, 200);
      assert.equal(good.body.status, 'confirmed', 'filling blanks is a confirmation, not a correction');

      const rejected = await answer(payment.id, { version: 1, decision: 'reject', reason: 'Wrong payee' });
      assert.equal(rejected.body.status, 'rejected');
      assert.equal(rejected.body.answer.reason, 'Wrong payee');
      const kinds = (await confirmed(int)).map((c: { kind: string }) => c.kind);
      assert.deepEqual(kinds, ['form'], 'a rejected card is not confirmed data');
    });

    test("another customer's card is a 404, staff cannot answer, and nothing is stored", async () => {
      const int = await openInteraction(s, agent.cookie, customer.id);
      const card = (await push(int, { kind: 'address', values: ADDRESS })).body.card;
      const foreign = await answer(card.id, { version: 1, decision: 'confirm' }, other.cookie);
      assert.equal(foreign.status, 404);
      assert.equal(foreign.body.code, 'not_found');
      assert.equal((await s.api('GET', `/api/cards/${card.id}`, { cookie: other.cookie })).status, 404);
      assert.equal((await s.api('GET', `/api/interactions/${int}/cards`, { cookie: other.cookie })).status, 404);
      const byWs = await other.request({ kind: 'card.answer', cardId: card.id, version: 1, decision: 'confirm' });
      assert.equal(byWs.kind, 'error');
      assert.equal(byWs.code, 'not_found');
      const byStaff = await answer(card.id, { version: 1, decision: 'confirm' }, agent.cookie);
      assert.equal(byStaff.status, 403);
      assert.equal((await s.api('POST', `/api/interactions/${int}/cards`, { cookie: customer.cookie, body: { kind: 'address' } })).status, 403);
      assert.deepEqual(await confirmed(int), []);
      assert.equal((await s.api('GET', `/api/cards/${card.id}`, { cookie: agent.cookie })).body.status, 'presented');
    });

    test('a customer answers over the WebSocket; a business system presents with an API key', async () => {
      const admin = await s.login('admin@acme.test');
      const key = (await s.api('POST', '/api/api-keys', { cookie: admin, body: { name: 'crm', role: 'agent' } })).body.key;
      const int = await openInteraction(s, agent.cookie, customer.id);
      const templates = (await s.api('GET', '/api/card-templates', { key })).body.items;
      const appointment = templates.find((t: { kind: string }) => t.kind === 'appointment');
      assert.ok(appointment, 'the demo tenant has seeded templates');
      const res = await s.api('POST', `/api/interactions/${int}/cards`, { key, body: { templateId: appointment.id } });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      const card = res.body.card;
      assert.match(card.presentedBy, /^key_/);
      const slot = card.content.fields[0].options[1];
      const reply = await customer.request({ kind: 'card.answer', cardId: card.id, version: 1, decision: 'confirm', values: { slot } });
      assert.equal(reply.kind, 'card.answered', JSON.stringify(reply));
      assert.equal(reply.card.answer.values.slot, slot);
      const replay = await customer.request({ kind: 'card.answer', cardId: card.id, version: 1, decision: 'confirm', values: { slot } });
      assert.equal(replay.code, 'card_already_answered');
    });

    test('the record is a hash chain of exactly what was shown and answered; tampering breaks it', async () => {
      const int = await openInteraction(s, agent.cookie, customer.id);
      const card = (await push(int, { kind: 'address', values: ADDRESS })).body.card;
      const v2 = (await s.api('PUT', `/api/cards/${card.id}`, { cookie: agent.cookie, body: { version: 1, kind: 'address', values: { ...ADDRESS, city: 'Shelbyville' } } })).body;
      await answer(card.id, { version: 2, decision: 'confirm', values: { postcode: 'ZX9 8YW' } });

      const exp = await s.api('GET', `/api/interactions/${int}/confirmations/export`, { cookie: agent.cookie });
      assert.equal(exp.status, 200);
      assert.match(String(exp.headers.get('content-disposition')), /attachment/);
      const { records, verification } = exp.body;
      assert.deepEqual(records.map((r: { type: string; cardVersion: number }) => `${r.type}@${r.cardVersion}`), ['presented@1', 'presented@2', 'answered@2']);
      assert.deepEqual(records[1].content.content, v2.content, 'the record holds exactly what was shown');
      assert.equal(records[1].contentHash, contentHash(records[1].content));
      assert.equal(records[2].content.shownContentHash, v2.contentHash);
      assert.deepEqual(records[2].content.answer.changes, [{ field: 'postcode', from: 'AB1 2CD', to: 'ZX9 8YW' }]);
      assert.equal(records[0].actor, agent.id);
      assert.equal(records[2].actor, customer.id);
      assert.equal(records[1].prevHash, records[0].hash);
      assert.equal(verification.ok, true);
      assert.equal(verifyChain(records).ok, true, 'the exported file verifies offline');

      // Rewrite history in the database: the shown city becomes something else.
      const row = await s.ctx.store.db.selectFrom('confirm_records').selectAll().where('id', '=', records[1].id).executeTakeFirstOrThrow();
      await s.ctx.store.db.updateTable('confirm_records').set({ content: row.content.replace('Shelbyville', 'Capital City') }).where('id', '=', row.id).execute();
      const check = await s.api('GET', `/api/interactions/${int}/confirmations/verify`, { cookie: agent.cookie });
      assert.equal(check.body.ok, false);
      assert.deepEqual(check.body.brokenAt, { seq: 2, reason: 'content does not match its contentHash' });

      // A forger who also recomputes the content hash is caught by the record hash.
      const forged = records.map((r: any) => ({ ...r }));
      forged[1].content = { ...forged[1].content, expiresAt: 1 };
      forged[1].contentHash = contentHash(forged[1].content);
      assert.deepEqual(verifyChain(forged).brokenAt, { seq: 2, reason: 'record hash does not match its fields' });
      const dropped = records.filter((_: unknown, i: number) => i !== 1).map((r: any, i: number) => ({ ...r, seq: i + 1 }));
      assert.equal(verifyChain(dropped).ok, false, 'a removed record is detected');
    });

    test('interactions: staff open them for a customer; bad input changes nothing', async () => {
      const bad = await s.api('POST', '/api/interactions', { cookie: agent.cookie, body: { channel: 'voice', customerId: agent.id } });
      assert.equal(bad.status, 400);
      assert.equal((await s.api('POST', '/api/interactions', { cookie: customer.cookie, body: { channel: 'voice' } })).status, 403);
      const noCustomer = (await s.api('POST', '/api/interactions', { cookie: agent.cookie, body: { channel: 'chat' } })).body.id;
      const refused = await push(noCustomer, { kind: 'address' });
      assert.equal(refused.status, 409);
      assert.equal(refused.body.code, 'interaction_without_customer');
    });
  });
}
