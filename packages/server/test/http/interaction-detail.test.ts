import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { newId } from '../../src/core/ids.js';
import { BACKENDS } from '../helpers/backends.js';
import { seedInteraction, type SeededInteraction } from '../helpers/interaction-seed.js';
import { startWithAdmin, type TestServer } from '../helpers/test-server.js';

/** GET /api/interactions/:id/detail: the record, whether a call of it is on, its people by name, its events in order — for supervisors and admins only. */
for (const backend of BACKENDS) {
  describe(`interaction detail (${backend.name})`, () => {
    let s: TestServer;
    let admin: string;
    let seeded: SeededInteraction;

    before(async () => {
      ({ s, admin } = await startWithAdmin({ backend }));
      seeded = await seedInteraction(s);
    });
    after(() => s?.destroy());

    test('a supervisor reads the timeline oldest first, with the names of the customer, agent and supervisor', async () => {
      const res = await s.api('GET', `/api/interactions/${seeded.interactionId}/detail`, { cookie: await s.login('supervisor@acme.test') });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const d = res.body;
      assert.equal(d.interaction.id, seeded.interactionId);
      assert.deepEqual(d.timeline.map((e: { type: string }) => e.type), seeded.types);
      const times = d.timeline.map((e: { time: number }) => e.time);
      assert.deepEqual(times, [...times].sort((a, b) => a - b));
      const names = Object.fromEntries(d.people.map((p: { id: string; name: string }) => [p.id, p.name]));
      assert.equal(names[seeded.customerId], 'Casey Customer');
      assert.equal(names[seeded.agentId], 'Alex Agent');
      assert.equal(names[seeded.supervisorId], 'Sam Supervisor');
      assert.equal(d.onCall, true, 'the call has not ended yet');
    });

    test('once its call ends the interaction is no longer on a call, in the detail and the list', async () => {
      const listed = async () => (await s.api('GET', '/api/interactions?limit=50', { cookie: admin })).body.onCall as string[];
      assert.ok((await listed()).includes(seeded.interactionId));
      await s.ctx.services.get('telephony').calls.markEnded(seeded.callId, 'hangup');
      assert.equal((await s.api('GET', `/api/interactions/${seeded.interactionId}/detail`, { cookie: admin })).body.onCall, false);
      assert.ok(!(await listed()).includes(seeded.interactionId));
    });

    test('agents and customers are refused; an unknown interaction is 404', async () => {
      for (const who of ['agent@acme.test', 'customer@acme.test']) {
        const res = await s.api('GET', `/api/interactions/${seeded.interactionId}/detail`, { cookie: await s.login(who) });
        assert.equal(res.status, 403, who);
      }
      assert.equal((await s.api('GET', `/api/interactions/${newId('int')}/detail`, { cookie: admin })).status, 404);
    });
  });
}
