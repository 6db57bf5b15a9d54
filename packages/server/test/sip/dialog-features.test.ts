/**
 * In-dialog features between two endpoints: UPDATE hold/resume (RFC 3311,
 * 3264), session timers (RFC 4028: 422 → retry with Min-SE, refresh by the
 * refresher, BYE on expiry), attended transfer (REFER with Replaces, RFC
 * 5589; NOTIFY sipfrag progress, RFC 3515), and the UAS's 2xx retransmission
 * and ACK timeout (RFC 3261 13.3.1.4) against a raw UDP peer that never ACKs.
 */
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { after, before, describe, it } from 'node:test';
import type { Dialog, TerminationInfo } from '../../src/sip/dialog/dialog.js';
import { answerDirection, directionOf, withDirection } from '../../src/sip/dialog/hold.js';
import { parseReferTo, parseSipfragStatus } from '../../src/sip/dialog/refer.js';
import type { SipEndpoint } from '../../src/sip/ua/endpoint.js';
import { SipFailure } from '../../src/sip/ua/failure.js';
import type { IncomingInvite } from '../../src/sip/ua/incoming-invite.js';
import { waitFor } from '../helpers/wait.js';
import { delay, sdp, startEndpoint } from './sip-endpoints.js';

let a: SipEndpoint;
let b: SipEndpoint;
let c: SipEndpoint;
before(async () => {
  [a, b, c] = await Promise.all([startEndpoint({ minSessionExpires: 2 }), startEndpoint({ minSessionExpires: 4 }), startEndpoint()]);
});
after(async () => {
  await Promise.all([a.close(), b.close(), c.close()]);
});

const uri = (ep: SipEndpoint, user: string) => `sip:${user}@127.0.0.1:${ep.ports.udp}`;

/** Places a call from `from` to `to`, the callee answering; returns both dialogs. */
async function call(from: SipEndpoint, to: SipEndpoint, extra: { sessionExpires?: number; headers?: Record<string, string> } = {}, onInvite?: (inv: IncomingInvite) => void) {
  const answered = new Promise<Dialog>((resolve, reject) => {
    to.once('invite', (inv) => {
      onInvite?.(inv);
      inv.accept({ sdp: sdp(45000) }).then(resolve, reject);
    });
  });
  const out = from.invite({ target: uri(to, 'callee'), from: { uri: uri(from, 'caller') }, sdp: sdp(44000), ...extra });
  const { dialog } = await out.response;
  return { caller: dialog, callee: await answered };
}

describe('dialog features', () => {
  it('UPDATE puts the call on hold and resumes it', async () => {
    const { caller, callee } = await call(a, b);
    callee.on('request', (req) => {
      const offered = directionOf(req.message.body.toString());
      req.respond(200, { body: withDirection(sdp(45000), answerDirection(offered)), contentType: 'application/sdp' });
    });
    const held = await caller.update(withDirection(sdp(44000), 'inactive'));
    assert.equal(directionOf(held.body.toString()), 'inactive');
    assert.equal(directionOf(callee.remoteSdp ?? ''), 'inactive');
    const resumed = await caller.update(withDirection(sdp(44000), 'sendrecv'));
    assert.equal(directionOf(resumed.body.toString()), 'sendrecv');
    await caller.bye();
  });

  it('session timers: 422 then Min-SE retry; refresher re-INVITEs; expiry without refresh ends with BYE', async () => {
    let refreshes = 0;
    let inv: IncomingInvite | undefined;
    // b wants at least 4 s: our 2 s offer gets 422 and the INVITE is retried with 4.
    const { caller, callee } = await call(a, b, { sessionExpires: 2 }, (i) => (inv = i));
    assert.match(inv?.message.headers.get('session-expires') ?? '', /^4;refresher=uac$/);
    assert.equal(caller.sessionInterval, 4);
    // Listening from the start: on a stalled machine the callee's timer may fire early.
    const calleeEnded = new Promise<TerminationInfo>((r) => callee.once('terminated', r));
    callee.on('request', (req) => {
      if (req.message.method === 'INVITE') refreshes++;
      req.respond(200, { body: sdp(45000), contentType: 'application/sdp' });
    });
    // The refresher (uac) refreshes at half the interval: ~2 s.
    await waitFor(() => refreshes >= 1, 4000, 'a session refresh');
    // Silence the refresher (a crashed peer): the callee must BYE at interval - min(32, interval/3).
    // A refresh may still be in flight; its 200 would arm the timer again, so arming is silenced too.
    const timer = (caller as unknown as { sessionTimer: { stop(): void; arm(): void } }).sessionTimer;
    timer.stop();
    timer.arm = () => {};
    const ended = await Promise.race([calleeEnded, delay(20_000).then(() => Promise.reject(new Error('the callee never ended the expired session')))]);
    assert.equal(ended.by, 'timeout');
    await waitFor(() => caller.state === 'terminated', 2000, 'caller to receive the BYE');
  });

  it('attended transfer: REFER with Replaces, INVITE with Replaces, NOTIFY sipfrag', async () => {
    // a talks to b (d1) and to c (d2); a transfers b to c, replacing d2.
    const d1 = await call(a, b);
    const d2 = await call(a, c);
    const notifies: number[] = [];
    d1.caller.on('request', (req) => {
      assert.equal(req.message.method, 'NOTIFY');
      assert.equal(req.message.headers.get('event'), 'refer');
      notifies.push(parseSipfragStatus(req.message.body.toString()) ?? 0);
      req.respond(200);
    });
    // b executes the REFER: INVITE to the Refer-To target with its Replaces header.
    d1.callee.on('request', (req) => {
      if (req.message.method !== 'REFER') return req.respond(405);
      const referTo = parseReferTo(req.message.headers.get('refer-to') ?? '');
      req.respond(202);
      void (async () => {
        await d1.callee.notifyRefer(100, 'Trying');
        const r = referTo.replaces!;
        const out = b.invite({
          target: referTo.uri, from: { uri: uri(b, 'b') }, sdp: sdp(46000),
          headers: { Replaces: `${r.callId};to-tag=${r.toTag};from-tag=${r.fromTag}` },
        });
        const { response } = await out.response;
        await d1.callee.notifyRefer(response.status, response.reason);
      })();
    });
    // c sees an INVITE that replaces its dialog with a, accepts it and ends the old one.
    const replacedSeen = new Promise<Dialog | undefined>((resolve) => {
      c.once('invite', (inv) => {
        resolve(inv.replacedDialog);
        void inv.accept({ sdp: sdp(47000) }).then(() => inv.replacedDialog?.bye());
      });
    });
    const referRes = await d1.caller.refer(uri(c, 'c'), { replaces: d2.caller });
    assert.equal(referRes.status, 202);
    assert.equal(await replacedSeen, d2.callee);
    await waitFor(() => notifies.includes(200), 3000, 'final NOTIFY');
    assert.deepEqual(notifies, [100, 200]);
    await waitFor(() => d2.caller.state === 'terminated', 2000, 'replaced dialog to end');
    await d1.caller.bye();
  });

  it('UAS retransmits 200 until ACK; without ACK accept() rejects and BYE is sent', async () => {
    const sock = dgram.createSocket('udp4');
    await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
    const port = sock.address().port;
    const got: string[] = [];
    sock.on('message', (m) => got.push(m.toString()));
    const result = new Promise<unknown>((resolve) => b.once('invite', (inv) => inv.accept({ sdp: sdp() }).then(resolve, resolve)));
    const body = sdp(48000);
    const invite = [
      `INVITE sip:callee@127.0.0.1:${b.ports.udp} SIP/2.0`,
      `Via: SIP/2.0/UDP 127.0.0.1:${port};branch=z9hG4bKnoack;rport`,
      'Max-Forwards: 70',
      'From: <sip:raw@127.0.0.1>;tag=raw1',
      `To: <sip:callee@127.0.0.1:${b.ports.udp}>`,
      'Call-ID: no-ack-call',
      'CSeq: 1 INVITE',
      `Contact: <sip:raw@127.0.0.1:${port}>`,
      'Content-Type: application/sdp',
      `Content-Length: ${Buffer.byteLength(body)}`,
      '',
      body,
    ].join('\r\n');
    sock.send(invite, b.ports.udp, '127.0.0.1');
    const err = await result;
    assert.ok(err instanceof SipFailure && err.status === 408, `accept() rejected with 408, got ${String(err)}`);
    const oks = got.filter((m) => m.startsWith('SIP/2.0 200'));
    assert.ok(oks.length >= 4, `200 retransmitted (${oks.length} copies)`);
    await delay(200);
    assert.ok(got.some((m) => m.startsWith('BYE ')), 'BYE after ACK timeout');
    sock.close();
  });
});
