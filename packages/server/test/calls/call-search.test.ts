import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { newId } from '../../src/core/ids.js';
import { BACKENDS } from '../helpers/backends.js';
import { startWithAdmin, type TestServer } from '../helpers/test-server.js';

type Row = { id: string; from: string; to: string };

/** GET /api/calls as a search: text (numbers, SIP names, user names), direction, outcome, time; cursor pages that never skip or repeat. */
for (const backend of BACKENDS) {
  describe(`calls are searched and paged (${backend.name})`, () => {
    let s: TestServer;
    let admin: string;
    let tenantId: string;
    let agentId: string;
    const made: Row[] = [];
    const T0 = 1_800_000_000_000;
    const list = async (query: string, cookie = admin) => s.api('GET', `/api/calls?${query}`, { cookie });
    const ids = async (query: string) => {
      const res = await list(query);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return (res.body.items as Row[]).map((c) => c.id);
    };
    /** A call record as the telephony layer writes it; `minute` sets when it started. */
    async function call(minute: number, direction: 'inbound' | 'outbound', from: string, to: string, outcome: 'answered' | 'unanswered' | 'in_progress') {
      const calls = s.ctx.services.get('telephony').calls;
      const c = await calls.create({ id: newId('call'), tenantId, interactionId: newId('int'), direction, from, to, flowId: null });
      if (outcome === 'answered') await calls.markAnswered(c.id);
      if (outcome !== 'in_progress') await calls.markEnded(c.id, outcome === 'answered' ? 'hangup' : 'no_answer');
      await s.ctx.store.db.updateTable('calls').set({ created_at: T0 + minute * 60_000 }).where('id', '=', c.id).execute();
      made.unshift({ id: c.id, from, to });
      return c.id;
    }

    before(async () => {
      ({ s, admin } = await startWithAdmin({ backend }));
      const users = (await s.api('GET', '/api/users', { cookie: admin })).body.items as { id: string; email: string }[];
      agentId = users.find((u) => u.email === 'agent@acme.test')!.id;
      tenantId = (await s.ctx.users.byEmailWithHash('admin@acme.test'))!.tenantId;
      await s.ctx.services.get('telephony').sipAccounts.create({ tenantId, username: 'desk-77', password: 'desk-password', userId: agentId });
      await call(0, 'inbound', 'sip:+15550111@carrier.example', '+15550100', 'answered');
      await call(1, 'inbound', 'sip:+15550122@carrier.example', '+15550100', 'unanswered');
      await call(2, 'outbound', `user:${agentId}`, 'sip:+447700900123@carrier.example', 'answered');
      await call(3, 'inbound', 'sip:desk-77@10.0.0.7:5060', 'sip:echo@callsight', 'unanswered');
      await call(4, 'outbound', '+15550199', 'sip:+15550133@carrier.example', 'in_progress');
    });
    after(() => s?.destroy());

    test('text finds a number, a SIP name, and a user by name through the app and their desk phone', async () => {
      assert.deepEqual(await ids('q=5550122'), [made[3]!.id]);
      assert.deepEqual(await ids('q=ECHO'), [made[1]!.id], 'case-insensitive');
      const agentName = (await s.api('GET', `/api/users/${agentId}`, { cookie: admin })).body.name as string;
      assert.deepEqual(await ids(`q=${encodeURIComponent(agentName.split(' ')[0]!.toLowerCase())}`), [made[1]!.id, made[2]!.id], 'their desk phone and their app');
      assert.deepEqual(await ids('q=%25'), [], 'LIKE wildcards are literal');
      assert.deepEqual(await ids('q=nobody-here'), []);
    });

    test('direction, outcome and a time range narrow it, alone and together', async () => {
      assert.deepEqual(await ids('direction=outbound'), [made[0]!.id, made[2]!.id]);
      assert.deepEqual(await ids('outcome=answered'), [made[2]!.id, made[4]!.id]);
      assert.deepEqual(await ids('outcome=unanswered'), [made[1]!.id, made[3]!.id]);
      assert.deepEqual(await ids('outcome=in_progress'), [made[0]!.id]);
      assert.deepEqual(await ids(`since=${T0 + 60_000}&until=${T0 + 3 * 60_000}`), [made[2]!.id, made[3]!.id], 'since inclusive, until exclusive');
      assert.deepEqual(await ids(`direction=inbound&outcome=unanswered&since=${T0 + 2 * 60_000}`), [made[1]!.id]);
    });

    test('cursor pages walk every call once in a stable order, even as new calls arrive', async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const res = await list(`limit=2${cursor ? `&cursor=${cursor}` : ''}`);
        assert.equal(res.status, 200, JSON.stringify(res.body));
        seen.push(...res.body.items.map((c: Row) => c.id));
        cursor = res.body.nextCursor;
        // A call that starts mid-walk belongs before the first page, never inside a later one.
        if (pages++ === 0) await call(5, 'inbound', 'sip:+15550144@carrier.example', '+15550100', 'in_progress');
      } while (cursor);
      assert.equal(pages, 3, 'five calls at two a page: the last page says there is no next');
      assert.deepEqual(seen, made.slice(1).map((c) => c.id));
      assert.deepEqual(await ids('limit=6'), made.map((c) => c.id));
      // Filters page the same way.
      const first = await list('outcome=unanswered&limit=1');
      assert.deepEqual([first.body.items.length, typeof first.body.nextCursor], [1, 'string']);
      const second = await list(`outcome=unanswered&limit=1&cursor=${first.body.nextCursor}`);
      assert.deepEqual(second.body.items.map((c: Row) => c.id), [made[4]!.id]);
      assert.equal(second.body.nextCursor, null);
    });

    test('bad searches are problems naming the field', async () => {
      for (const [query, field] of [
        ['cursor=page-2', 'querystring.cursor'],
        [`since=${T0 + 60_000}&until=${T0}`, 'querystring.until'],
        ['outcome=busy', 'querystring.outcome'],
        ['direction=sideways', 'querystring.direction'],
        ['limit=0', 'querystring.limit'],
        ['since=yesterday', 'querystring.since'],
        ['colour=red', 'querystring.colour'],
      ] as const) {
        const res = await list(query);
        assert.equal(res.status, 400, query);
        assert.match(res.headers.get('content-type') ?? '', /application\/problem\+json/);
        assert.equal(res.body.code, 'validation_failed');
        assert.ok(res.body.fields.some((f: { path: string }) => f.path === field), `${query}: ${JSON.stringify(res.body.fields)}`);
      }
    });

    test('staff search the tenant’s calls; a customer or a stranger may not', async () => {
      const agent = await s.login('agent@acme.test');
      assert.equal((await list('q=5550122', agent)).status, 200);
      const customer = await s.login('customer@acme.test');
      assert.equal((await list('q=5550122', customer)).status, 403);
      assert.equal((await s.api('GET', '/api/calls?q=5550122')).status, 401);
    });
  });
}
