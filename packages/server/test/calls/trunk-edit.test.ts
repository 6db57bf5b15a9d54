import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { BACKENDS } from '../helpers/backends.js';
import { startWithAdmin, type TestServer } from '../helpers/test-server.js';

/** PATCH /api/sip/trunks/:id: admins change a trunk; bad input is a problem and changes nothing. */
for (const backend of BACKENDS) {
  describe(`trunks are edited (${backend.name})`, () => {
    let s: TestServer;
    let admin: string;
    let trunkId: string;
    const get = async () => (await s.api('GET', '/api/sip/trunks', { cookie: admin })).body.items.find((t: { id: string }) => t.id === trunkId);
    const patch = (body: unknown, cookie = admin, id = trunkId) => s.api('PATCH', `/api/sip/trunks/${id}`, { cookie, body });

    before(async () => {
      ({ s, admin } = await startWithAdmin({ backend }));
      const created = await s.api('POST', '/api/sip/trunks', { cookie: admin, body: { name: 'Carrier', address: 'sip:127.0.0.1:5999' } });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      trunkId = created.body.id;
    });
    after(() => s?.destroy());

    test('an admin renames it, sets credentials and registration, and the password stays sealed', async () => {
      const res = await patch({ name: 'Carrier West', address: 'sips:sip.carrier.example:5061', username: 'acme', password: 'carrier-secret', register: true, srtp: 'required' });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.deepEqual(
        { ...res.body, createdAt: 0 },
        { id: trunkId, name: 'Carrier West', address: 'sips:sip.carrier.example:5061', username: 'acme', register: true, srtp: 'required', createdAt: 0 },
      );
      assert.equal(JSON.stringify(res.body).includes('carrier-secret'), false, 'the password is never returned');
      assert.deepEqual(await get(), res.body);
      const stored = (await s.ctx.services.get('telephony').trunks.all()).find((t) => t.id === trunkId);
      assert.deepEqual(stored?.credentials, { username: 'acme', password: 'carrier-secret' });
      const row = await s.ctx.store.db.selectFrom('trunks').select('password_sealed').where('id', '=', trunkId).executeTakeFirstOrThrow();
      assert.equal(row.password_sealed?.includes('carrier-secret'), false, 'sealed at rest');

      // Only the fields sent change; the password is kept when absent.
      const renamed = await patch({ name: 'Carrier' });
      assert.equal(renamed.status, 200);
      assert.equal(renamed.body.address, 'sips:sip.carrier.example:5061');
      assert.deepEqual((await s.ctx.services.get('telephony').trunks.all()).find((t) => t.id === trunkId)?.credentials, { username: 'acme', password: 'carrier-secret' });
    });

    test('bad input is a problem naming the field and changes nothing', async () => {
      const before = await get();
      for (const [body, field] of [
        [{ address: 'not a uri' }, 'body.address'],
        [{ name: '' }, 'body.name'],
        [{ srtp: 'sometimes' }, 'body.srtp'],
        [{ colour: 'red' }, 'body'],
        [{ username: null }, 'body.register'],
        [{ password: null, name: 'Changed' }, 'body.register'],
      ] as const) {
        const res = await patch(body);
        assert.equal(res.status, 400, JSON.stringify(body));
        assert.match(res.headers.get('content-type') ?? '', /application\/problem\+json/);
        assert.equal(res.body.code, 'validation_failed');
        assert.ok(res.body.fields?.some((f: { path: string }) => f.path.startsWith(field)), `${JSON.stringify(body)} names ${field}: ${JSON.stringify(res.body.fields)}`);
      }
      assert.deepEqual(await get(), before);
      // Dropping registration together with the credentials is allowed.
      const cleared = await patch({ register: false, username: null, password: null });
      assert.equal(cleared.status, 200, JSON.stringify(cleared.body));
      assert.equal(cleared.body.username, null);
      assert.equal((await s.ctx.services.get('telephony').trunks.all()).find((t) => t.id === trunkId)?.credentials, undefined);
    });

    test('only an admin may change a trunk, and only a trunk of the tenant', async () => {
      const supervisor = await s.login('supervisor@acme.test');
      const refused = await patch({ name: 'Hijacked' }, supervisor);
      assert.equal(refused.status, 403);
      assert.equal(refused.body.code, 'forbidden');
      assert.equal((await s.api('PATCH', `/api/sip/trunks/${trunkId}`, { body: { name: 'Anon' } })).status, 401);
      const missing = await patch({ name: 'Ghost' }, admin, 'trk_00000000000000000000000000');
      assert.equal(missing.status, 404);
      assert.equal(missing.body.code, 'not_found');
      assert.notEqual((await get()).name, 'Hijacked');
    });
  });
}
