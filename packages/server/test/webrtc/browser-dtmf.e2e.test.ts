import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import type { AnyEvent } from '../../src/bus/event-map.js';
import { startBrowserRig, type BrowserRig } from '../helpers/browser-rig.js';
import { callScenario, runSipp, SIPP_PCAPS } from '../helpers/sipp.js';
import type { TestServer } from '../helpers/test-server.js';
import { waitFor } from '../helpers/wait.js';

type CallEvent = AnyEvent & { data: { callId: string; to?: string; direction?: string; digit?: string; cause?: string } };

/**
 * Keys in both directions with the /phone app in Chromium: the keypad's RFC 4733 events
 * (Chrome's RTCDTMFSender) drive a flow's `gather`; keys pressed by a SIP phone bridged to
 * the browser, and digits sent by the API, show on the softphone (`call.dtmf` messages,
 * since werift cannot send telephone-event towards the browser).
 */
describe('DTMF between the /phone app and the call (Chromium, sipp)', () => {
  let rig: BrowserRig;
  let s: TestServer;
  let page: Page;
  let port: number;
  let admin: string;
  const events: CallEvent[] = [];

  before(async () => {
    rig = await startBrowserRig({ apps: ['phone/index.html'], events: { types: ['call.'], into: events }, microphone: true });
    s = rig.s;
    port = rig.sipPort();
    admin = await s.login('admin@acme.test');
    const flow = await s.api('POST', '/api/flows', {
      cookie: admin,
      body: {
        name: 'pin',
        verbs: [
          { verb: 'gather', numDigits: 2, timeoutSeconds: 20, attempts: 1, branches: { '42': [{ verb: 'hangup', reason: 'pin_42_entered' }], default: [{ verb: 'hangup', reason: 'wrong_pin' }] } },
        ],
      },
    });
    assert.equal(flow.status, 201, JSON.stringify(flow.body));
    assert.equal((await s.api('POST', '/api/numbers', { cookie: admin, body: { number: '4242', flowId: flow.body.id } })).status, 201);

    page = await rig.open('/phone/', { as: 'customer@acme.test', softphone: true, timeout: 10_000 });
  });
  after(() => rig?.close());

  test("the keypad's RFC 4733 digits reach the flow: gather takes 42 and its branch ends the call", async () => {
    await page.getByTestId('dial-input').fill('4242');
    await page.getByTestId('dial').click();
    await waitFor(async () => (await page.getByTestId('softphone').getAttribute('data-state')) === 'answered', 10_000, 'answered');
    await page.getByTestId('keypad').click();
    await page.getByTestId('key-4').click();
    await new Promise((r) => setTimeout(r, 300)); // two presses, not one held key
    await page.getByTestId('key-2').click();
    const created = events.find((e) => e.type === 'call.created' && e.data.to === '4242')!;
    await waitFor(() => events.some((e) => e.type === 'call.ended' && e.data.callId === created.data.callId), 10_000, 'the flow ended the call');
    const digits = events.filter((e) => e.type === 'call.dtmf' && e.data.callId === created.data.callId).map((e) => e.data.digit);
    assert.deepEqual(digits, ['4', '2'], 'each press once');
    assert.equal(events.find((e) => e.type === 'call.ended' && e.data.callId === created.data.callId)!.data.cause, 'pin_42_entered');
    await waitFor(async () => (await page.getByTestId('softphone').getAttribute('data-state')) === 'ended', 5000, 'the app saw the end');
  });

  test('a SIP caller bridged to the browser presses 1 (RFC 4733) and the API sends #9: the softphone shows 1#9', async () => {
    const from = events.length;
    const sipp = runSipp({ scenario: callScenario({ pcap: `${SIPP_PCAPS}/dtmf_2833_1.pcap`, pauseMs: 1500, waitMs: 10_000 }), port, service: '+15550100', timeoutSec: 30 });
    await page.getByTestId('lockscreen-accept').click({ timeout: 10_000 });
    await waitFor(async () => (await page.getByTestId('softphone').getAttribute('data-state')) === 'answered', 8000, 'answered');
    await page.getByTestId('received-digits').filter({ hasText: 'Keys pressed: 1' }).waitFor({ timeout: 10_000 });

    // The browser's own call (the leg ringing the customer's app) takes digits from the API.
    const browserCall = events.slice(from).find((e) => e.type === 'call.created' && e.data.direction === 'outbound')!;
    const sent = await s.api('POST', `/api/calls/${browserCall.data.callId}/dtmf`, { cookie: admin, body: { digits: '#9' } });
    assert.equal(sent.status, 200, JSON.stringify(sent.body));
    await page.getByTestId('received-digits').filter({ hasText: 'Keys pressed: 1#9' }).waitFor();
    const bad = await s.api('POST', `/api/calls/${browserCall.data.callId}/dtmf`, { cookie: admin, body: { digits: 'x' } });
    assert.equal(bad.status, 400);
    assert.deepEqual(bad.body.fields.map((f: { path: string }) => f.path), ['body.digits']);

    await page.getByTestId('hangup').click();
    const r = await sipp;
    assert.equal(r.code, 0, r.stdout + r.stderr);
  });
});
