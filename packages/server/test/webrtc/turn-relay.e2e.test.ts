import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import type { IceConfig } from '@callsight/protocol';
import type { AnyEvent } from '../../src/bus/event-map.js';
import { startBrowserRig, type BrowserRig } from '../helpers/browser-rig.js';
import { startCoturn, type Coturn } from '../helpers/coturn.js';
import { pageAudio } from '../helpers/page-audio.js';
import { openSipJsPage, phoneCall } from '../helpers/sipjs-page.js';
import type { TestServer } from '../helpers/test-server.js';
import { waitFor } from '../helpers/wait.js';

/** Bytes coturn relayed for `username`'s sessions so far, from its -v usage lines (rb = received, sb = sent). */
function relayedBytes(log: string, username: string): { received: number; sent: number } {
  let received = 0;
  let sent = 0;
  for (const line of log.split('\n')) {
    if (!line.includes(`username=<${username}>`)) continue;
    received = Math.max(received, Number(/\brb=(\d+)/.exec(line)?.[1] ?? 0));
    sent = Math.max(sent, Number(/\bsb=(\d+)/.exec(line)?.[1] ?? 0));
  }
  return { received, sent };
}

/**
 * Browsers off the LAN reach callsight's media through TURN: the server hands out the
 * configured ICE servers with TURN REST API credentials (HMAC of `expiry:user` with the
 * shared secret coturn also has), and with `iceTransportPolicy: relay` Chromium may only
 * use Debian's coturn on 127.0.0.1, so a call that is heard proves the media went through
 * the relay. Tried with SIP.js (a SIP-WebRTC leg, credentials from `GET /api/rtc/ice`) and
 * with /phone (the SDK asks `rtc.ice` over its socket). The secret is in no answer, event
 * or log line.
 */
describe('ICE servers and TURN (coturn) for SIP.js and /phone', () => {
  const secret = randomBytes(24).toString('hex');
  const logs: string[] = [];
  const events: AnyEvent[] = [];
  let coturn: Coturn;
  let rig: BrowserRig;
  let s: TestServer;
  let cookie: string;
  let userId: string;
  let turnUrl: string;

  before(async () => {
    coturn = await startCoturn(secret);
    turnUrl = `turn:127.0.0.1:${coturn.port}?transport=udp`;
    rig = await startBrowserRig({
      apps: ['phone/index.html'],
      microphone: { hz: 600, seconds: 60 },
      events: { types: ['call.', 'rtc.'], into: events },
      server: { captureLogs: logs, config: { sipWsPort: 0, iceServers: `stun:127.0.0.1:${coturn.port},${turnUrl}`, turnSecret: secret, turnTtlSeconds: 600, iceTransportPolicy: 'relay' } },
    });
    s = rig.s;
    cookie = await s.login('customer@acme.test');
    userId = (await s.api('GET', '/api/me', { cookie })).body.user.id;
  });
  after(async () => {
    await rig?.close();
    await coturn?.stop();
  });

  test('GET /api/rtc/ice: the STUN and TURN servers, TURN credentials made for the user (TURN REST API) that expire; none without signing in', async () => {
    const res = await s.api('GET', '/api/rtc/ice', { cookie });
    assert.equal(res.status, 200);
    const ice = res.body as IceConfig;
    assert.equal(ice.iceTransportPolicy, 'relay');
    assert.deepEqual(ice.iceServers[0], { urls: [`stun:127.0.0.1:${coturn.port}`] });
    const turn = ice.iceServers[1]!;
    assert.deepEqual(turn.urls, [turnUrl]);
    const [expiry, who] = turn.username!.split(':');
    assert.equal(who, userId);
    assert.equal(Number(expiry) * 1000, ice.expiresAt);
    const ttl = (ice.expiresAt! - Date.now()) / 1000;
    assert.ok(ttl > 590 && ttl <= 600, `valid for the configured 600 s (${ttl})`);
    assert.equal(turn.credential, createHmac('sha1', secret).update(turn.username!).digest('base64'));
    assert.ok(!JSON.stringify(res.body).includes(secret), 'the shared secret is not in the answer');
    assert.equal(res.headers.get('cache-control'), 'no-store');
    assert.equal((await s.api('GET', '/api/rtc/ice')).status, 401);
  });

  let sipjs: Page;
  test('SIP.js with relay-only ICE calls echo through coturn and hears its tone; coturn counts the relayed bytes', async () => {
    const ice = (await s.api('GET', '/api/rtc/ice', { cookie })).body as IceConfig;
    sipjs = await openSipJsPage(rig.browser, s.url);
    const ws = s.ctx.services.get('telephony').endpoint.ports.ws;
    await phoneCall(sipjs, 'register', `ws://127.0.0.1:${ws}`, 'customer', 'demo', { iceServers: ice.iceServers, iceTransportPolicy: ice.iceTransportPolicy });
    await phoneCall(sipjs, 'call', 'sip:echo@127.0.0.1');
    await waitFor(async () => (await phoneCall<{ packets: number }>(sipjs, 'inbound')).packets > 50, 10_000, 'echoed audio through the relay');
    const heard = await pageAudio(sipjs, '#remote', { ms: 1000 });
    assert.ok(Math.abs(heard.hz - 600) < 30, `heard ${heard.hz} Hz`);
    assert.deepEqual(await phoneCall(sipjs, 'pair'), { type: 'relay', relayProtocol: 'udp' }, 'the selected candidate pair is relayed');
    await phoneCall(sipjs, 'hangup');
    await waitFor(() => s.ctx.services.get('telephony').manager.size === 0, 8000, 'the call ended');
    const username = ice.iceServers[1]!.username!;
    await waitFor(() => relayedBytes(coturn.log(), username).received > 10_000, 10_000, `coturn's usage lines for ${username}: ${JSON.stringify(relayedBytes(coturn.log(), username))}`);
    const bytes = relayedBytes(coturn.log(), username);
    assert.ok(bytes.sent > 10_000, `coturn relayed audio both ways (${JSON.stringify(bytes)})`);
  });

  test('with a TURN credential made from another secret, coturn refuses the allocation and no audio flows', async () => {
    const username = `${Math.floor(Date.now() / 1000) + 600}:${userId}`;
    const forged = { urls: [turnUrl], username, credential: createHmac('sha1', 'not-the-secret').update(username).digest('base64') };
    const page = await openSipJsPage(rig.browser, s.url);
    const ws = s.ctx.services.get('telephony').endpoint.ports.ws;
    await phoneCall(page, 'register', `ws://127.0.0.1:${ws}`, 'customer', 'demo', { iceServers: [forged], iceTransportPolicy: 'relay' });
    const outcome = await page.evaluate(() => (window as any).phone.call('sip:echo@127.0.0.1').then(() => 'established', (e: Error) => `failed: ${e.message}`));
    if (outcome === 'established') {
      await new Promise((r) => setTimeout(r, 3000));
      assert.equal((await phoneCall<{ packets: number }>(page, 'inbound')).packets, 0, 'no audio without a relay');
      assert.equal(await phoneCall(page, 'pair'), null, 'no candidate pair succeeded');
      await phoneCall(page, 'hangup');
    }
    assert.equal(relayedBytes(coturn.log(), username).received, 0);
    await page.context().close();
    await waitFor(() => s.ctx.services.get('telephony').manager.size === 0, 10_000, 'the call ended');
  });

  test('/phone gets the ICE servers over its socket and calls echo through the relay only', async () => {
    await sipjs.context().close();
    const page = await rig.open('/phone/', {
      as: 'customer@acme.test',
      softphone: true,
      timeout: 10_000,
      // Keeps the app's peer connections reachable for getStats.
      beforeLoad: (p) => p.addInitScript(() => {
        const Native = window.RTCPeerConnection;
        (window as any).pcs = [];
        (window as any).RTCPeerConnection = function (config: RTCConfiguration) {
          const pc = new Native(config);
          (window as any).pcs.push({ pc, config });
          return pc;
        } as unknown as typeof RTCPeerConnection;
        (window as any).RTCPeerConnection.prototype = Native.prototype;
      }),
    });
    await page.getByTestId('dial-input').fill('echo');
    await page.getByTestId('dial').click();
    await waitFor(async () => (await page.getByTestId('softphone').getAttribute('data-state')) === 'answered', 10_000, 'echo answered');
    const seen = await page.evaluate(async () => {
      const { pc, config } = (window as any).pcs.at(-1) as { pc: RTCPeerConnection; config: RTCConfiguration };
      const deadline = Date.now() + 8000;
      while (Date.now() < deadline) {
        const stats = await pc.getStats();
        const byId = new Map<string, any>();
        stats.forEach((r) => byId.set(r.id, r));
        let local: any;
        let packets = 0;
        stats.forEach((r) => {
          if (r.type === 'candidate-pair' && r.nominated && r.state === 'succeeded') local = byId.get(r.localCandidateId);
          if (r.type === 'inbound-rtp' && r.kind === 'audio') packets = r.packetsReceived;
        });
        if (local && packets > 50) return { policy: config.iceTransportPolicy, turnUser: config.iceServers?.find((s) => s.username)?.username, type: local.candidateType, packets };
        await new Promise((r) => setTimeout(r, 200));
      }
      return null;
    });
    assert.ok(seen, 'the /phone call got audio on a nominated pair');
    assert.equal(seen.policy, 'relay');
    assert.equal(seen.type, 'relay');
    assert.match(seen.turnUser!, new RegExp(`^\\d+:${userId}$`));
    await page.getByTestId('hangup').click();
    await waitFor(() => s.ctx.services.get('telephony').manager.size === 0 && s.ctx.services.get('rtc').size === 0, 8000, 'the call ended');
  });

  test('the TURN secret is in no log line and no event', () => {
    assert.ok(logs.length > 0, 'logs were captured');
    assert.ok(!logs.some((l) => l.includes(secret)), 'not in the server log');
    assert.ok(!events.some((e) => JSON.stringify(e).includes(secret)), 'not in an event');
  });
});
