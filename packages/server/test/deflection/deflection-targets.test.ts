import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { AnyEvent } from '../../src/bus/event-map.js';
import { gatherFacts } from '../../src/deflection/call-facts.js';
import { rulesSchema } from '../../src/deflection/deflection-rules.js';
import { BACKENDS } from '../helpers/backends.js';
import { requireBinary, run } from '../helpers/processes.js';
import { callScenario, runSipp, startSippUas } from '../helpers/sipp.js';
import { peerPort } from '../helpers/ports.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { waitFor } from '../helpers/wait.js';
import { TestSmsc } from '../sms/smsc.js';

const CALLER = '+33612345678';
const NUMBER = '+15550660';
const mustGetBye = (waitMs: number) => callScenario({ pauseMs: 0, waitMs, fromUser: CALLER }).replace(' ontimeout="hangup"', '');

/** A called party that rings, then refuses the INVITE with `status` (486 busy, 480 no answer…). */
function sippRefusing(status: number, reason: string): { port: number; done: Promise<unknown>; kill(): void } {
  requireBinary('/usr/bin/sipp');
  const dir = mkdtempSync(path.join(tmpdir(), 'callsight-sipp-refuse-'));
  const reply = (code: string) => `<send><![CDATA[
SIP/2.0 ${code}
[last_Via:]
[last_From:]
[last_To:];tag=[pid]SIPpTag01[call_number]
[last_Call-ID:]
[last_CSeq:]
Contact: <sip:[local_ip]:[local_port]>
Content-Length: 0

]]></send>`;
  writeFileSync(
    path.join(dir, 'uas.xml'),
    `<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="refuse">
  <recv request="INVITE"/>
  ${reply('180 Ringing')}
  <pause milliseconds="300"/>
  ${reply(`${status} ${reason}`)}
  <recv request="ACK"/>
</scenario>`,
  );
  const port = peerPort();
  const proc = run('/usr/bin/sipp', ['-sf', 'uas.xml', '-i', '127.0.0.1', '-p', String(port), '-m', '1', '-timeout', '30s', '-nostdin'], 40_000, dir);
  return { port, done: proc.done, kill: proc.kill };
}

const form = (fields: Record<string, string | number>) => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(Object.entries(fields).map(([k, v]) => [k, String(v)])).toString(),
});

for (const backend of BACKENDS) {
  describe(`deflection to a visual menu, a callback, and after unanswered campaign calls (${backend.name})`, () => {
    let smsc: TestSmsc;
    let s: TestServer;
    let admin: string;
    let agent: string;
    let sipPort: number;
    let numberId: string;
    const events: AnyEvent[] = [];
    const of = (type: string, pred: (d: Record<string, unknown>) => boolean = () => true) => events.filter((e) => e.type === type && pred(e.data as Record<string, unknown>));
    const kills: (() => void)[] = [];

    before(async () => {
      smsc = await new TestSmsc().start();
      s = await startTestServer({ backend, config: { smppUrl: smsc.url } });
      admin = await s.login('admin@acme.test');
      agent = await s.login('agent@acme.test');
      sipPort = s.ctx.services.get('telephony').endpoint.ports.udp;
      await s.ctx.bus.subscribe({ types: ['deflect.', 'callback.', 'call.', 'routing.queued'] }, (e) => void events.push(e));
      await waitFor(() => smsc.bound === 1, 5000, 'bound to the SMSC');
      // The number's IVR: the visual menu mirrors its gather (labels given for 1, read from the prompt for 2).
      const flow = await s.api('POST', '/api/flows', {
        cookie: admin,
        body: {
          name: 'ivr',
          verbs: [
            {
              verb: 'gather',
              timeoutSeconds: 3,
              attempts: 1,
              prompt: [{ verb: 'say', text: 'Press 1 for card services, 2 for your balance.' }],
              labels: { '1': 'Lost or stolen card' },
              branches: { '1': [{ verb: 'enqueue', queue: 'support' }], '2': [{ verb: 'hangup' }] },
            },
            { verb: 'hangup' },
          ],
        },
      });
      assert.equal(flow.status, 201, JSON.stringify(flow.body));
      const num = await s.api('POST', '/api/numbers', { cookie: admin, body: { number: NUMBER, flowId: (flow.body as { id: string }).id } });
      assert.equal(num.status, 201, JSON.stringify(num.body));
      numberId = (num.body as { id: string }).id;
    });
    after(async () => {
      for (const k of kills) k();
      await s.destroy();
      await smsc.down();
    });

    const linkIn = async (since: number) => {
      await waitFor(() => smsc.submitted.length > since, 10_000, 'the SMSC received the link');
      const sms = smsc.submitted[since];
      const url = /(http:\/\/\S+\/d\/\S+)/.exec(sms.text)?.[1];
      assert.ok(url, sms.text);
      return { sms, url };
    };

    test('a repeat caller (history from the store) gets the visual menu; picking a choice and leaving a message queues it with the context', async () => {
      const rules = [{ when: { callerNumber: { prefixes: ['+336'] }, history: { callsAtLeast: 1, withinDays: 1 } }, then: 'deflect_menu', options: { timeoutSeconds: 60 } }];
      assert.equal((await s.api('PUT', `/api/numbers/${numberId}/deflection-rules`, { cookie: admin, body: { rules } })).status, 200);

      // First call: no history yet, so the IVR runs (it times out on no input and hangs up).
      const first = await runSipp({ scenario: mustGetBye(60_000), port: sipPort, service: NUMBER, timeoutSec: 70 });
      assert.equal(first.code, 0, first.stdout + first.stderr);
      assert.equal(of('deflect.offered').length, 0, 'no deflection for a first-time caller');

      // Second call: the rule matches, the caller gets the menu link and the call ends when it is opened.
      const sent = smsc.submitted.length;
      const call = runSipp({ scenario: mustGetBye(20_000), port: sipPort, service: NUMBER, timeoutSec: 30 });
      const { sms, url } = await linkIn(sent);
      assert.match(sms.text, /^Choose how we can help: /);
      const page = await fetch(url);
      const html = await page.text();
      assert.equal(page.status, 200, html);
      assert.match(html, /How can we help\?/);
      assert.match(html, /Lost or stolen card/);
      assert.match(html, /Your balance/, 'label read from the prompt');
      assert.equal((await call).code, 0, 'sipp received BYE');
      const callId = (of('deflect.offered')[0].data as { callId: string }).callId;
      await waitFor(() => of('call.ended', (d) => d.callId === callId).length === 1, 5000, 'call ended');
      assert.equal((of('call.ended', (d) => d.callId === callId)[0].data as { cause: string }).cause, 'deflected');
      assert.equal((of('deflect.offered')[0].data as { to: string }).to, 'menu');

      // Bad input: not a choice of the menu, or an empty message → 400 naming the field, nothing changes.
      const bad = await fetch(url, form({ action: 'message', choice: '7', message: 'hi' }));
      assert.equal(bad.status, 400);
      assert.deepEqual(((await bad.json()) as { fields: { path: string }[] }).fields.map((f) => f.path), ['body.choice']);
      const empty = await fetch(url, form({ action: 'message', choice: '1', message: '  ' }));
      assert.equal(empty.status, 400);
      assert.equal(of('deflect.chosen').length, 0);

      const chats = of('routing.queued', (d) => d.channel === 'chat').length;
      const done = await fetch(url, form({ action: 'message', choice: '1', message: 'My card was stolen yesterday' }));
      assert.equal(done.status, 200);
      assert.match(await done.text(), /Message sent/);
      await waitFor(() => of('routing.queued', (d) => d.channel === 'chat').length === chats + 1, 5000, 'message queued to agents');
      const queued = of('routing.queued', (d) => d.channel === 'chat')[chats];
      const item = await s.ctx.services.get('routing').repo.item((queued.data as { itemId: string }).itemId);
      assert.equal(queued.interactionId, of('deflect.offered')[0].interactionId, 'the same contact');
      assert.deepEqual(
        { menuChoice: item!.context.menuChoice, menuLabel: item!.context.menuLabel, callerNumber: item!.context.callerNumber, deflectedCallId: item!.context.deflectedCallId },
        { menuChoice: '1', menuLabel: 'Lost or stolen card', callerNumber: CALLER, deflectedCallId: callId },
      );
      const chosen = of('deflect.chosen')[0].data as { action: string; choice: { digits: string } };
      assert.equal(chosen.action, 'message');
      assert.equal(chosen.choice.digits, '1');

      // Used: the link (and a second choice) has no further effect.
      assert.equal((await fetch(url)).status, 410);
      const again = await fetch(url, form({ action: 'chat', choice: '2' }));
      assert.equal(again.status, 410);
      assert.equal(of('deflect.chosen').length, 1);
    });

    test('callback booking: the page offers slots, a stale slot is refused, booking is listed and can be cancelled once', async () => {
      const rules = [{ when: { callerType: 'mobile' }, then: 'deflect_callback', options: { queue: 'support', timeoutSeconds: 60 } }];
      assert.equal((await s.api('PUT', `/api/numbers/${numberId}/deflection-rules`, { cookie: admin, body: { rules } })).status, 200);
      const sent = smsc.submitted.length;
      const call = runSipp({ scenario: mustGetBye(20_000), port: sipPort, service: NUMBER, timeoutSec: 30 });
      const { sms, url } = await linkIn(sent);
      assert.match(sms.text, /^Book a call back: /);
      const page = await fetch(url);
      const html = await page.text();
      assert.equal(page.status, 200);
      assert.match(html, /Book a call back/);
      const slots = [...html.matchAll(/<option value="(\d+)"/g)].map((m) => Number(m[1]));
      assert.ok(slots.length >= 5, html);
      assert.equal((await call).code, 0, 'the call ended when the page opened');

      const stale = await fetch(url, form({ action: 'callback', slotAt: slots[1] + 7 * 60_000 }));
      assert.equal(stale.status, 400);
      assert.deepEqual(((await stale.json()) as { fields: { path: string }[] }).fields.map((f) => f.path), ['body.slotAt']);

      const booked = await fetch(url, form({ action: 'callback', slotAt: slots[2] }));
      assert.equal(booked.status, 200);
      assert.match(await booked.text(), /Call back booked/);
      const list = await s.api('GET', '/api/callbacks?state=booked', { cookie: agent });
      const cb = (list.body as { items: { id: string; caller: string; slotAt: number; queue: string; fromNumber: string; context: Record<string, unknown> }[] }).items.find((c) => c.slotAt === slots[2]);
      assert.ok(cb, JSON.stringify(list.body));
      assert.deepEqual({ caller: cb.caller, queue: cb.queue, fromNumber: cb.fromNumber }, { caller: CALLER, queue: 'support', fromNumber: NUMBER });
      assert.equal(of('callback.booked', (d) => d.callbackId === cb.id).length, 1);

      assert.equal((await s.api('POST', `/api/callbacks/${cb.id}/cancel`, { cookie: agent })).status, 200);
      const twice = await s.api('POST', `/api/callbacks/${cb.id}/cancel`, { cookie: agent });
      assert.equal(twice.status, 409);
      assert.equal((twice.body as { code: string }).code, 'callback_not_cancellable');
      assert.equal((await s.api('POST', '/api/callbacks/cb_00000000000000000000000000/cancel', { cookie: agent })).status, 404);
    });

    test('campaign calls: rejected (486) → SMS with a callback link, booked “as soon as possible” → callsight calls back through the trunk and queues the answered call; no answer (480) → chat link with the campaign context', async () => {
      const rules = [
        { direction: 'outbound', when: { campaign: ['renewals'] }, then: 'deflect_callback' },
        { direction: 'outbound', when: { campaign: ['winback'] }, then: 'deflect_chat', options: { queue: 'support' } },
      ];
      const saved = await s.api('PUT', `/api/numbers/${numberId}/deflection-rules`, { cookie: admin, body: { rules } });
      assert.equal(saved.status, 200, JSON.stringify(saved.body));
      const inbound = await s.api('PUT', `/api/numbers/${numberId}/deflection-rules`, { cookie: admin, body: { rules: [{ when: { campaign: ['x'] }, then: 'deflect_chat' }] } });
      assert.equal(inbound.status, 400, 'campaign on an inbound rule');
      assert.deepEqual((inbound.body as { fields: { path: string }[] }).fields.map((f) => f.path), ['body.rules.0.when.campaign']);

      // 1. The customer's phone is busy.
      const busy = sippRefusing(486, 'Busy Here');
      kills.push(busy.kill);
      let sent = smsc.submitted.length;
      const placed = await s.api('POST', '/api/calls', { cookie: agent, body: { to: `sip:${CALLER}@127.0.0.1:${busy.port}`, from: NUMBER, campaign: 'renewals' } });
      assert.equal(placed.status, 201, JSON.stringify(placed.body));
      const busyCallId = (placed.body as { id: string }).id;
      let { sms, url } = await linkIn(sent);
      assert.deepEqual({ to: sms.to, from: sms.from }, { to: CALLER.slice(1), from: NUMBER });
      assert.match(sms.text, /^Book a call back: /);
      await busy.done;
      assert.equal((of('call.ended', (d) => d.callId === busyCallId)[0].data as { cause: string }).cause, 'busy');
      const offered = of('deflect.offered', (d) => d.callId === busyCallId)[0].data as { direction: string; campaign: string; to: string };
      assert.deepEqual({ direction: offered.direction, campaign: offered.campaign, to: offered.to }, { direction: 'outbound', campaign: 'renewals', to: 'callback' });

      // The customer books "as soon as possible": callsight calls them through the tenant's trunk and queues the call.
      const phone = startSippUas({ timeoutSec: 40 });
      kills.push(phone.kill);
      assert.equal((await s.api('POST', '/api/sip/trunks', { cookie: admin, body: { name: 'carrier', address: `sip:127.0.0.1:${phone.port}` } })).status, 201);
      const html = await (await fetch(url)).text();
      const asap = Number(/<option value="(\d+)">As soon as possible/.exec(html)?.[1]);
      const booked = await fetch(url, form({ action: 'callback', slotAt: asap }));
      assert.equal(booked.status, 200);
      assert.match(await booked.text(), /We are calling you now/);
      await waitFor(() => of('callback.connected').length === 1, 15_000, 'callback answered').catch((err) => {
        const dialing = events.find((e) => e.type === 'callback.dialing')?.data as { callId: string } | undefined;
        throw new Error(`${err.message}: ${JSON.stringify(events.filter((e) => e.type.startsWith('callback.') || (e.type.startsWith('call.') && (e.data as { callId: string }).callId === dialing?.callId)))} sipp: ${phone.messages()}`);
      });
      const callbackCall = (of('callback.connected')[0].data as { callId: string }).callId;
      await waitFor(() => of('routing.queued', (d) => d.channel === 'voice').some((e) => e.interactionId === of('deflect.offered', (d) => d.callId === busyCallId)[0].interactionId), 15_000, 'callback call queued to agents');
      const cbList = (await s.api('GET', '/api/callbacks', { cookie: agent })).body as { items: { state: string; callId: string; context: Record<string, unknown> }[] };
      const done = cbList.items.find((c) => c.callId === callbackCall)!;
      assert.equal(done.state, 'connected');
      assert.equal(done.context.campaign, 'renewals');
      assert.equal(done.context.callOutcome, 'busy');
      assert.equal((await s.api('POST', `/api/calls/${callbackCall}/hangup`, { cookie: agent, body: {} })).status, 200);

      // 2. Nobody answers: a chat link with the campaign's context.
      const noAnswer = sippRefusing(480, 'Temporarily Unavailable');
      kills.push(noAnswer.kill);
      sent = smsc.submitted.length;
      const second = await s.api('POST', '/api/calls', { cookie: agent, body: { to: `sip:${CALLER}@127.0.0.1:${noAnswer.port}`, from: NUMBER, campaign: 'winback' } });
      assert.equal(second.status, 201);
      ({ sms, url } = await linkIn(sent));
      assert.match(sms.text, /^Continue in chat: /);
      const chats = of('routing.queued', (d) => d.channel === 'chat').length;
      const page = await fetch(url);
      assert.equal(page.status, 200);
      assert.match(await page.text(), /You are now in chat/);
      await waitFor(() => of('routing.queued', (d) => d.channel === 'chat').length === chats + 1, 5000, 'chat queued');
      const item = await s.ctx.services.get('routing').repo.item((of('routing.queued', (d) => d.channel === 'chat')[chats].data as { itemId: string }).itemId);
      assert.deepEqual({ campaign: item!.context.campaign, callOutcome: item!.context.callOutcome }, { campaign: 'winback', callOutcome: 'no_answer' });

      // An answered campaign call, or one without a campaign, sends nothing.
      const answered = startSippUas({ timeoutSec: 20 });
      kills.push(answered.kill);
      sent = smsc.submitted.length;
      const ok = await s.api('POST', '/api/calls', { cookie: agent, body: { to: `sip:${CALLER}@127.0.0.1:${answered.port}`, from: NUMBER, campaign: 'renewals' } });
      await waitFor(() => of('call.answered', (d) => d.callId === (ok.body as { id: string }).id).length === 1, 10_000, 'answered');
      await s.api('POST', `/api/calls/${(ok.body as { id: string }).id}/hangup`, { cookie: agent, body: {} });
      await waitFor(() => of('call.ended', (d) => d.callId === (ok.body as { id: string }).id).length === 1, 10_000, 'ended');
      await new Promise((r) => setTimeout(r, 500));
      assert.equal(smsc.submitted.length, sent, 'no SMS after an answered call');
    });

    test('facts from the store: earlier calls in a window and an open conversation (the chat the campaign link opened)', async () => {
      const rules = rulesSchema.parse([{ when: { history: { callsAtLeast: 1, withinDays: 1, openConversation: true } }, then: 'deflect_chat' }]);
      const tenantId = (await s.ctx.tenants.bySlug('acme'))!.id;
      const of = (otherParty: string) => gatherFacts(s.ctx, rules, { tenantId, direction: 'inbound', otherParty, interactionId: 'int_none' });
      const known = await of(CALLER);
      assert.equal(known.callsWithinDays?.get(1), 3, 'the three inbound calls of the tests above (outbound calls are to them, not from them)');
      assert.equal(known.openConversation, true);
      const stranger = await of('+33700000000');
      assert.deepEqual({ calls: stranger.callsWithinDays?.get(1), open: stranger.openConversation }, { calls: 0, open: false });
      assert.equal(stranger.queueWaitSeconds, 0, 'routing facts not read: no rule needs them');
    });

    test('stats per number and Prometheus counters', async () => {
      const stats = await s.api('GET', '/api/deflection/stats?windowHours=1', { cookie: admin });
      assert.equal(stats.status, 200, JSON.stringify(stats.body));
      const row = (stats.body as { items: { number: string; offered: number; opened: number; completed: number; byTarget: Record<string, number>; rate: number }[] }).items.find((i) => i.number === NUMBER)!;
      assert.deepEqual({ offered: row.offered, opened: row.opened, byTarget: row.byTarget }, { offered: 4, opened: 4, byTarget: { chat: 1, menu: 1, callback: 2 } });
      assert.equal(row.rate, 1);
      assert.equal(row.completed, 3);
      assert.equal((await s.api('GET', '/api/deflection/stats?windowHours=0', { cookie: admin })).status, 400);
      assert.equal((await s.api('GET', '/api/deflection/stats', { cookie: agent })).status, 403);

      const metrics = await (await fetch(`${s.url}/metrics`)).text();
      assert.match(metrics, /callsight_deflection_steps_total\{step="offered",target="menu",direction="inbound"\} 1/);
      assert.match(metrics, /callsight_deflection_steps_total\{step="sms_sent",target="callback",direction="outbound"\} 1/);
      assert.match(metrics, /callsight_callbacks_total\{state="connected"\} 1/);
    });
  });
}
