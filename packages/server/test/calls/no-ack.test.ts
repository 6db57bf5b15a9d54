import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { AnyEvent } from '../../src/bus/event-map.js';
import { startBaresip, type Baresip } from '../helpers/baresip.js';
import { callScenario, noAckScenario, runSipp } from '../helpers/sipp.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { waitFor } from '../helpers/wait.js';

/**
 * A caller whose ACK for our 200 OK never arrives (RFC 3261 13.3.1.4): after Timer H
 * (64*T1: 6.4 s with the LAN-sized T1 of 100 ms set here, 32 s by default) we give up on it. That must end the call cleanly — BYE to the
 * caller, the other party hung up, the RTP ports and the live call released — and
 * the process goes on serving SIP and HTTP.
 */
describe('a caller that never ACKs', () => {
  let s: TestServer;
  let port: number;
  let phone: Baresip;
  const events: AnyEvent[] = [];

  before(async () => {
    s = await startTestServer({ config: { sipT1Ms: 100 } });
    port = s.ctx.services.get('telephony').endpoint.ports.udp;
    await s.ctx.bus.subscribe({ types: ['call.'] }, (e) => void events.push(e));
    // The customer's desk phone answers at once, so our 200 OK goes to the caller.
    phone = startBaresip({ account: `<sip:customer@127.0.0.1:${port}>;auth_pass=demo;regint=60;answermode=auto`, seconds: 120 });
    const registrations = s.ctx.services.get('telephony').registrations;
    await waitFor(async () => (await registrations.reachable('customer')).length > 0, 8000, 'baresip registered as customer');
  });
  after(async () => {
    phone?.kill();
    await s.destroy();
  });

  const endedCause = (callId: string) => (events.find((e) => e.type === 'call.ended' && (e.data as { callId: string }).callId === callId)?.data as { cause: string } | undefined)?.cause;

  async function assertServing(): Promise<void> {
    assert.equal((await s.api('GET', '/healthz')).status, 200);
    const echo = await runSipp({ scenario: callScenario({ pauseMs: 300, waitMs: 100 }), port, service: 'echo', timeoutSec: 15 });
    assert.equal(echo.code, 0, echo.stdout + echo.stderr);
  }

  async function assertReleased(): Promise<void> {
    const tel = s.ctx.services.get('telephony');
    await waitFor(() => tel.manager.size === 0, 10_000, 'no live calls');
    await waitFor(() => tel.media.ports.allocated === 0, 5000, 'every RTP port released');
    await waitFor(() => tel.endpoint.stats.dialogs === 0, 5000, 'no dialogs left');
  }

  test('a call to a registered phone: BYE after Timer H, both parties released, the server keeps serving', async () => {
    const from = events.length;
    const r = await runSipp({ scenario: noAckScenario({ waitMs: 20_000 }), port, service: 'customer', timeoutSec: 30 });
    assert.equal(r.code, 0, `sipp never got our BYE: ${r.stdout}${r.stderr}`);
    const created = events.slice(from).filter((e) => e.type === 'call.created').map((e) => (e.data as { callId: string }).callId);
    assert.equal(created.length, 2, 'the inbound call and the call to the phone');
    await waitFor(() => created.every((id) => endedCause(id) !== undefined), 10_000, 'both calls ended');
    const inbound = created.find((id) => events.some((e) => e.type === 'call.created' && (e.data as { callId: string; direction: string }).callId === id && (e.data as { direction: string }).direction === 'inbound'))!;
    assert.equal(endedCause(inbound), 'no_ack');
    await assertReleased();
    const admin = await s.login('admin@acme.test');
    for (const id of created) assert.equal((await s.api('GET', `/api/calls/${id}`, { cookie: admin })).body.state, 'ended');
    await assertServing();
    await assertReleased();
  });

  test('a call into a flow (echo): BYE after Timer H, released, still serving', async () => {
    const from = events.length;
    const r = await runSipp({ scenario: noAckScenario({ waitMs: 20_000 }), port, service: 'echo', timeoutSec: 30 });
    assert.equal(r.code, 0, `sipp never got our BYE: ${r.stdout}${r.stderr}`);
    const id = (events.slice(from).find((e) => e.type === 'call.created')!.data as { callId: string }).callId;
    await waitFor(() => endedCause(id) !== undefined, 10_000, 'the call ended');
    assert.equal(endedCause(id), 'no_ack');
    await assertReleased();
    await assertServing();
  });
});
