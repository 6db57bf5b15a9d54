import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { AnyEvent } from '../../src/bus/event-map.js';
import { BACKENDS } from '../helpers/backends.js';
import { callScenario, runSipp, SIPP_PCAPS } from '../helpers/sipp.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { waitFor } from '../helpers/wait.js';
import { TestSmsc } from '../sms/smsc.js';

const CALLER = '+33612345678';
/** The caller must receive BYE from callsight: without `ontimeout` a missing BYE fails sipp. */
const mustGetBye = (waitMs: number) => callScenario({ pauseMs: 0, waitMs, fromUser: CALLER }).replace(' ontimeout="hangup"', '');

for (const backend of BACKENDS) {
  describe(`call deflection to chat (${backend.name})`, () => {
    let smsc: TestSmsc;
    let s: TestServer;
    let admin: string;
    let agent: string;
    let sipPort: number;
    const events: AnyEvent[] = [];
    const of = (type: string, callId?: string) => events.filter((e) => e.type === type && (!callId || (e.data as { callId?: string }).callId === callId));

    before(async () => {
      smsc = await new TestSmsc().start();
      s = await startTestServer({ backend, config: { smppUrl: smsc.url } });
      admin = await s.login('admin@acme.test');
      agent = await s.login('agent@acme.test');
      sipPort = s.ctx.services.get('telephony').endpoint.ports.udp;
      await s.ctx.bus.subscribe({ types: ['deflect.', 'call.ended', 'call.created', 'routing.queued', 'routing.offered', 'sms.'] }, (e) => void events.push(e));
      await waitFor(() => smsc.bound === 1, 5000, 'bound to the SMSC');
      const flow = await s.api('POST', '/api/flows', {
        cookie: admin,
        body: { name: 'deflect-to-chat', verbs: [{ verb: 'deflect', to: 'chat', announcement: 'We texted you a link.', timeoutSeconds: 4 }, { verb: 'say', text: 'Let us continue.' }, { verb: 'hangup' }] },
      });
      assert.equal(flow.status, 201, JSON.stringify(flow.body));
      const num = await s.api('POST', '/api/numbers', { cookie: admin, body: { number: '+15550777', flowId: (flow.body as { id: string }).id } });
      assert.equal(num.status, 201, JSON.stringify(num.body));
    });
    after(async () => {
      await s.destroy();
      await smsc.down();
    });

    const linkIn = async (since: number) => {
      await waitFor(() => smsc.submitted.length > since, 8000, 'the SMSC received the link');
      const sms = smsc.submitted[since];
      assert.equal(sms.to, CALLER.slice(1));
      const url = /(http:\/\/\S+\/d\/\S+)/.exec(sms.text)?.[1];
      assert.ok(url, sms.text);
      return url;
    };

    test('the caller gets an SMS link; opening it ends the call (BYE, cause deflected) and queues a chat with the call’s context', async () => {
      assert.equal((await s.api('PUT', '/api/routing/me/presence', { cookie: agent, body: { presence: 'available' } })).status, 200);
      const sent = smsc.submitted.length;
      const call = runSipp({ scenario: mustGetBye(20_000), port: sipPort, service: '+15550777', timeoutSec: 30 });
      const url = await linkIn(sent);
      await waitFor(() => of('deflect.sms.sent').length === 1, 3000, 'deflect.sms.sent');

      const opened = Date.now();
      const page = await fetch(url);
      const html = await page.text();
      assert.equal(page.status, 200, html);
      assert.match(html, /You are now in chat/);
      assert.match(html, /\/chat\/widget\.js/);
      const r = await call;
      assert.equal(r.code, 0, `sipp must receive BYE: ${r.stdout}${r.stderr}`);
      assert.ok(Date.now() - opened < 8000);

      const callId = (of('call.created')[0].data as { callId: string }).callId;
      await waitFor(() => of('call.ended', callId).length === 1, 3000, 'call ended');
      assert.equal((of('call.ended', callId)[0].data as { cause: string }).cause, 'deflected');
      // Published after the hangup, so over NATS it may arrive just after call.ended.
      await waitFor(() => of('deflect.call.terminated', callId).length > 0, 3000, 'deflect.call.terminated');
      for (const t of ['deflect.offered', 'deflect.sms.sent', 'deflect.link.opened', 'deflect.call.terminated']) assert.equal(of(t, callId).length, 1, t);
      assert.equal(of('deflect.resumed', callId).length, 0);

      // The chat is the same contact: same interaction, queued with the call's context, offered to the agent.
      const interactionId = of('call.created')[0].interactionId;
      const queued = of('routing.queued').find((e) => (e.data as { channel: string }).channel === 'chat')!;
      assert.equal(queued.interactionId, interactionId);
      const item = await s.ctx.services.get('routing').repo.item((queued.data as { itemId: string }).itemId);
      assert.deepEqual(
        { callerNumber: item!.context.callerNumber, deflectedCallId: item!.context.deflectedCallId, interactionId: item!.context.interactionId },
        { callerNumber: CALLER, deflectedCallId: callId, interactionId },
      );
      await waitFor(() => of('routing.offered').some((e) => (e.data as { channel: string }).channel === 'chat'), 5000, 'chat offered to the agent');

      // The link worked once: again, or forged, it has no effect.
      const again = await fetch(url);
      assert.equal(again.status, 410);
      assert.match(await again.text(), /already used/);
      const forged = await fetch(url.slice(0, -3) + (url.endsWith('AAA') ? 'BBB' : 'AAA'));
      assert.equal(forged.status, 404);
      assert.match(await forged.text(), /not valid/);
      assert.equal(of('routing.queued').filter((e) => (e.data as { channel: string }).channel === 'chat').length, 1, 'no second chat');
      assert.equal(of('deflect.link.opened').length, 1);
    });

    test('not opened in time: the flow resumes with its next verbs, and the late link is expired', async () => {
      const sent = smsc.submitted.length;
      const before = of('call.created').length;
      const r = await runSipp({ scenario: mustGetBye(25_000), port: sipPort, service: '+15550777', timeoutSec: 35 });
      assert.equal(r.code, 0, r.stdout + r.stderr);
      const callId = (of('call.created')[before].data as { callId: string }).callId;
      await waitFor(() => of('call.ended', callId).length === 1, 3000, 'call ended');
      assert.equal((of('call.ended', callId)[0].data as { cause: string }).cause, 'flow_hangup', 'the flow went on to its hangup');
      assert.deepEqual(of('deflect.resumed', callId).map((e) => (e.data as { reason: string }).reason), ['timeout']);
      const late = await fetch(await linkIn(sent));
      assert.equal(late.status, 410);
      assert.match(await late.text(), /expired/);
      assert.equal(of('deflect.link.opened', callId).length, 0);
    });

    test('number rules: bad definitions are a 400 with paths and change nothing; a matching rule deflects before the flow', async () => {
      const numberId = ((await s.api('GET', '/api/numbers', { cookie: admin })).body as { items: { id: string; number: string }[] }).items.find((n) => n.number === '+15550777')!.id;
      const bad = await s.api('PUT', `/api/numbers/${numberId}/deflection-rules`, { cookie: admin, body: { rules: [{ when: { callerType: 'fax' }, then: 'deflect_chat' }] } });
      assert.equal(bad.status, 400);
      assert.deepEqual((bad.body as { fields: { path: string }[] }).fields.map((f) => f.path), ['body.rules.0.when.callerType']);
      assert.deepEqual((await s.api('GET', `/api/numbers/${numberId}/deflection-rules`, { cookie: admin })).body, { rules: [] });
      assert.equal((await s.api('PUT', `/api/numbers/num_00000000000000000000000000/deflection-rules`, { cookie: admin, body: { rules: [] } })).status, 404);
      assert.equal((await s.api('PUT', `/api/numbers/${numberId}/deflection-rules`, { cookie: agent, body: { rules: [] } })).status, 403);

      // A plain flow behind the number: only the rule can deflect.
      const plain = await s.api('POST', '/api/flows', { cookie: admin, body: { name: 'plain', verbs: [{ verb: 'pause', seconds: 20 }, { verb: 'hangup' }] } });
      await s.api('PATCH', `/api/numbers/${numberId}`, { cookie: admin, body: { flowId: (plain.body as { id: string }).id } });
      const rules = [{ when: { callerType: 'landline' }, then: 'continue' }, { when: { callerType: 'mobile', noAgentsAvailable: false }, then: 'deflect_chat' }];
      const ok = await s.api('PUT', `/api/numbers/${numberId}/deflection-rules`, { cookie: admin, body: { rules } });
      assert.equal(ok.status, 200, JSON.stringify(ok.body));

      const sent = smsc.submitted.length;
      const before = of('call.created').length;
      const call = runSipp({ scenario: mustGetBye(15_000), port: sipPort, service: '+15550777', timeoutSec: 25 });
      const page = await fetch(await linkIn(sent));
      assert.equal(page.status, 200);
      const r = await call;
      assert.equal(r.code, 0, r.stdout + r.stderr);
      const callId = (of('call.created')[before].data as { callId: string }).callId;
      await waitFor(() => of('call.ended', callId).length === 1, 3000, 'call ended');
      assert.equal((of('call.ended', callId)[0].data as { cause: string }).cause, 'deflected');
    });

    test('digits the caller pressed before the deflection reach the agent with the chat', async () => {
      const flow = await s.api('POST', '/api/flows', {
        cookie: admin,
        body: { name: 'menu-then-deflect', verbs: [{ verb: 'gather', numDigits: 1, timeoutSeconds: 8, branches: { '1': [{ verb: 'deflect', to: 'chat', timeoutSeconds: 30 }] } }, { verb: 'hangup' }] },
      });
      assert.equal((await s.api('POST', '/api/numbers', { cookie: admin, body: { number: '+15550778', flowId: (flow.body as { id: string }).id } })).status, 201);
      const sent = smsc.submitted.length;
      const chats = of('routing.queued').filter((e) => (e.data as { channel: string }).channel === 'chat').length;
      const scenario = callScenario({ pcap: `${SIPP_PCAPS}/dtmf_2833_1.pcap`, pauseMs: 300, waitMs: 20_000, fromUser: CALLER }).replace(' ontimeout="hangup"', '');
      const call = runSipp({ scenario, port: sipPort, service: '+15550778', timeoutSec: 30 });
      assert.equal((await fetch(await linkIn(sent))).status, 200);
      assert.equal((await call).code, 0);
      const queued = of('routing.queued').filter((e) => (e.data as { channel: string }).channel === 'chat')[chats];
      const item = await s.ctx.services.get('routing').repo.item((queued.data as { itemId: string }).itemId);
      assert.equal(item!.context.digits, '1');
    });

    test('SMSC down: the offer fails as an event and the call continues on its normal path', async () => {
      const numberId = ((await s.api('GET', '/api/numbers', { cookie: admin })).body as { items: { id: string; number: string }[] }).items.find((n) => n.number === '+15550777')!.id;
      await s.api('PUT', `/api/numbers/${numberId}/deflection-rules`, { cookie: admin, body: { rules: [] } });
      const flowId = ((await s.api('GET', '/api/flows', { cookie: admin })).body as { items: { id: string; name: string }[] }).items.find((f) => f.name === 'deflect-to-chat')!.id;
      await s.api('PATCH', `/api/numbers/${numberId}`, { cookie: admin, body: { flowId } });
      await smsc.down();
      const before = of('call.created').length;
      const r = await runSipp({ scenario: mustGetBye(15_000), port: sipPort, service: '+15550777', timeoutSec: 25 });
      assert.equal(r.code, 0, r.stdout + r.stderr);
      const callId = (of('call.created')[before].data as { callId: string }).callId;
      await waitFor(() => of('call.ended', callId).length === 1, 3000, 'call ended');
      assert.equal((of('call.ended', callId)[0].data as { cause: string }).cause, 'flow_hangup');
      assert.equal((of('deflect.sms.failed', callId)[0]?.data as { code: string }).code, 'sms_unavailable');
      assert.deepEqual(of('deflect.resumed', callId).map((e) => (e.data as { reason: string }).reason), ['sms_failed']);
    });
  });
}
