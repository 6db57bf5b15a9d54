import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import WebSocket from 'ws';
import { BACKENDS } from '../helpers/backends.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { waitFor } from '../helpers/wait.js';
import { acme, itemRow, NO_SIP } from './routing-fixtures.js';

for (const backend of BACKENDS) {
  describe(`web chat API on ${backend.name}`, () => {
    let s: TestServer;
    let agentCookie: string;

    before(async () => {
      s = await startTestServer({ backend, config: NO_SIP });
      agentCookie = await s.login('agent@acme.test');
      await s.api('PUT', '/api/routing/me/presence', { cookie: agentCookie, body: { presence: 'available' } });
    });
    after(async () => s?.destroy());

    const visitor = (token: string) => async (method: string, url: string, body?: unknown) => {
      const res = await fetch(s.url + url, { method, headers: { 'x-chat-token': token, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : null };
    };

    test('a visitor chat is an interaction routed as chat; messages and typing are events, live on the visitor socket', async () => {
      const start = await s.api('POST', '/api/chat/visitor/conversations', { body: { tenant: 'acme', name: 'Vic', message: 'Hi there' } });
      assert.equal(start.status, 201);
      const { conversation, token } = start.body;
      assert.equal(start.body.messages[0].text, 'Hi there');
      const v = visitor(token);

      const ws = new WebSocket(`${s.url.replace('http', 'ws')}/api/chat/visitor/ws?token=${encodeURIComponent(token)}`);
      const seen: { type: string; data: Record<string, unknown> }[] = [];
      ws.on('message', (m) => {
        const msg = JSON.parse(m.toString());
        if (msg.kind === 'event') seen.push(msg.event);
      });
      await new Promise((r) => ws.once('open', r));

      await waitFor(async () => (await itemRow(s, conversation.itemId))?.state === 'offered', 5000, 'chat offered');
      assert.equal((await s.api('POST', `/api/chat/conversations/${conversation.id}/messages`, { cookie: agentCookie, body: { text: 'too early' } })).body.code, 'chat_not_yours');
      await s.api('POST', `/api/routing/items/${conversation.itemId}/accept`, { cookie: agentCookie });
      const reply = await s.api('POST', `/api/chat/conversations/${conversation.id}/messages`, { cookie: agentCookie, body: { text: 'Hello Vic' } });
      assert.equal(reply.status, 201);
      assert.equal(reply.body.author, 'agent');
      await s.api('POST', `/api/chat/conversations/${conversation.id}/typing`, { cookie: agentCookie, body: { typing: true } });
      await waitFor(() => seen.some((e) => e.type === 'chat.message' && e.data.text === 'Hello Vic') && seen.some((e) => e.type === 'chat.typing' && e.data.typing === true), 5000, 'events on the visitor socket');

      ws.send(JSON.stringify({ kind: 'typing', typing: true }));
      assert.equal((await v('POST', '/api/chat/visitor/messages', { text: 'Thanks' })).status, 201);
      const history = await v('GET', '/api/chat/visitor/messages');
      assert.deepEqual(history.body.messages.filter((m: { author: string }) => m.author !== 'system').map((m: { text: string }) => m.text), ['Hi there', 'Hello Vic', 'Thanks']);

      await waitFor(async () => (await s.api('GET', `/api/interactions/${conversation.interactionId}/timeline`, { cookie: agentCookie })).body.items.some((e: { type: string; data: { author: string } }) => e.type === 'chat.typing' && e.data.author === 'visitor'));
      const types = (await s.api('GET', `/api/interactions/${conversation.interactionId}/timeline`, { cookie: agentCookie })).body.items.map((e: { type: string }) => e.type);
      assert.ok(types.includes('chat.message') && types.includes('routing.assigned'), types.join());

      assert.equal((await v('POST', '/api/chat/visitor/leave')).status, 204);
      assert.equal((await itemRow(s, conversation.itemId))!.state, 'completed');
      const after = await v('POST', '/api/chat/visitor/messages', { text: 'still there?' });
      assert.equal(after.status, 409);
      assert.equal(after.body.code, 'chat_closed');
      ws.close();
    });

    test('bad tokens and bad input are refused', async () => {
      const forged = await visitor('v1.AAAA.BBBB.CCCC')('POST', '/api/chat/visitor/messages', { text: 'hi' });
      assert.equal(forged.status, 401);
      assert.equal(forged.body.code, 'invalid_visitor_token');
      const noTenant = await s.api('POST', '/api/chat/visitor/conversations', { body: { tenant: 'nope', name: 'X' } });
      assert.equal(noTenant.body.code, 'unknown_tenant');
      const { tenantId } = await acme(s);
      const before = (await s.ctx.interactions.list({ tenantId, limit: 500 })).length;
      const noQueue = await s.api('POST', '/api/chat/visitor/conversations', { body: { tenant: 'acme', name: 'X', queue: 'nope' } });
      assert.equal(noQueue.status, 400);
      assert.equal(noQueue.body.code, 'unknown_queue');
      const notChat = await s.api('POST', '/api/chat/visitor/conversations', { body: { tenant: 'acme', name: 'X', queue: 'sales' } });
      assert.equal(notChat.status, 201, 'sales takes chat too');
      assert.equal((await s.ctx.interactions.list({ tenantId, limit: 500 })).length, before + 1, 'only the valid chat created an interaction');
      const empty = await s.api('POST', '/api/chat/visitor/conversations', { body: { tenant: 'acme', name: '' } });
      assert.equal(empty.status, 400);
      const ws = new WebSocket(`${s.url.replace('http', 'ws')}/api/chat/visitor/ws?token=forged`);
      const code = await new Promise<number>((r) => ws.once('close', (c) => r(c)));
      assert.equal(code, 4401);
    });

    test('a logged-in customer chats through the same widget API and sees their chat on their own event stream', async () => {
      const cookie = await s.login('customer@acme.test');
      const start = await s.api('POST', '/api/chat/conversations', { cookie, body: { message: 'Question about my loan', queue: 'support' } });
      assert.equal(start.status, 201);
      assert.equal(start.body.conversation.customerId, (await s.ctx.users.byEmailWithHash('customer@acme.test'))!.id);
      const sent = await visitor(start.body.token)('POST', '/api/chat/visitor/messages', { text: 'Any news?' });
      assert.equal(sent.body.author, 'customer');
      const timeline = await s.api('GET', `/api/interactions/${start.body.conversation.interactionId}/timeline`, { cookie });
      assert.equal(timeline.status, 200);
      assert.ok(timeline.body.items.some((e: { type: string; data: { text: string } }) => e.type === 'chat.message' && e.data.text === 'Any news?'));
      const other = await s.api('GET', `/api/chat/conversations/${start.body.conversation.id}`, { cookie: await s.login('agent@acme.test') });
      assert.equal(other.status, 200);
      const { tenantId } = await acme(s);
      assert.equal(start.body.conversation.tenantId, tenantId);
    });
  });
}
