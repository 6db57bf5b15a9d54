import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { SipEndpoint } from '../../src/sip/ua/endpoint.js';
import { Registrar } from '../../src/sip/ua/registrar.js';
import { InMemoryRegistrationStore } from '../../src/sip/ua/registration-store.js';
import { BACKENDS } from '../helpers/backends.js';
import { startWithAdmin, type TestServer } from '../helpers/test-server.js';
import { waitFor } from '../helpers/wait.js';
import { startEndpoint } from '../sip/sip-endpoints.js';

/**
 * A trunk marked `register` registers with its carrier (here a registrar of our own SIP
 * stack with two accounts), and a PATCH that changes its registration settings
 * re-registers at once: the old binding (granted for an hour) is removed and the new
 * one made, without waiting for the old one's expiry.
 */
for (const backend of BACKENDS) {
  describe(`trunk registration follows its settings (${backend.name})`, () => {
    let s: TestServer;
    let admin: string;
    let carrier: SipEndpoint;
    let trunkId: string;
    const store = new InMemoryRegistrationStore();
    const accounts: Record<string, string> = { acme: 'first-secret', acme2: 'second-secret' };
    const registrar = new Registrar({ realm: 'carrier.test', secret: 's', store, credentials: async (_r, u) => (accounts[u] ? { password: accounts[u]! } : null) });
    /** REGISTER requests the carrier received, challenges answered included. */
    let registers = 0;
    const bound = async (user: string) => (await store.lookup(`sip:${user}@127.0.0.1`)).length;

    before(async () => {
      carrier = await startEndpoint();
      carrier.on('request', (req) => {
        registers++;
        void registrar.handle(req);
      });
      ({ s, admin } = await startWithAdmin({ backend }));
    });
    after(async () => {
      await s?.destroy();
      await carrier?.close();
    });

    test('a new registering trunk registers with the carrier', async () => {
      const res = await s.api('POST', '/api/sip/trunks', {
        cookie: admin,
        body: { name: 'Carrier', address: `sip:127.0.0.1:${carrier.ports.udp}`, username: 'acme', password: 'first-secret', register: true },
      });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      trunkId = res.body.id;
      await waitFor(async () => (await bound('acme')) === 1);
    });

    test('new credentials re-register now: the old binding is gone and the new one there', async () => {
      const res = await s.api('PATCH', `/api/sip/trunks/${trunkId}`, { cookie: admin, body: { username: 'acme2', password: 'second-secret' } });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      await waitFor(async () => (await bound('acme2')) === 1 && (await bound('acme')) === 0);
    });

    test('a rename alone sends nothing; turning registration off removes the binding', async () => {
      const sent = registers;
      assert.equal((await s.api('PATCH', `/api/sip/trunks/${trunkId}`, { cookie: admin, body: { name: 'Carrier West' } })).status, 200);
      assert.equal((await s.api('PATCH', `/api/sip/trunks/${trunkId}`, { cookie: admin, body: { register: false } })).status, 200);
      await waitFor(async () => (await bound('acme2')) === 0);
      // Changes apply in order, so by now the rename has been applied too. Only the unregister reached the
      // carrier: its REGISTER (Expires: 0) and the retry answering the digest challenge; a re-registration for the rename would add two more.
      assert.equal(registers - sent, 2, 'the unregister and its challenge answer, nothing for the rename');
      assert.equal(s.ctx.services.get('telephony').trunkRegistrations.isRegistering(trunkId), false);
    });
  });
}
