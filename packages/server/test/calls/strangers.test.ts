import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { after, before, describe, test } from 'node:test';
import type { AnyEvent } from '../../src/bus/event-map.js';
import { createAuthorization } from '../../src/sip/digest.js';
import { authenticatedCallScenario, runSipp } from '../helpers/sipp.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { waitFor } from '../helpers/wait.js';

/** One INVITE from a raw UDP socket (a stranger's scanner), the final response as text; the challenge is ACKed. */
async function invite(port: number, user: string, opts: { fromUser?: string; auth?: { username: string; password: string; challenge: string } } = {}): Promise<string> {
  const sock = dgram.createSocket('udp4');
  await new Promise<void>((r) => sock.bind(0, '127.0.0.1', r));
  const local = sock.address().port;
  const id = Math.random().toString(36).slice(2);
  const uri = `sip:${user}@127.0.0.1:${port}`;
  const auth = opts.auth ? [`Proxy-Authorization: ${createAuthorization(opts.auth.challenge, { ...opts.auth, method: 'INVITE', uri })}`] : [];
  const body = 'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 40000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n';
  const msg = [
    `INVITE ${uri} SIP/2.0`,
    `Via: SIP/2.0/UDP 127.0.0.1:${local};branch=z9hG4bK${id};rport`,
    'Max-Forwards: 70',
    `From: <sip:${opts.fromUser ?? 'scanner'}@127.0.0.1>;tag=${id}`,
    `To: <${uri}>`,
    `Call-ID: ${id}@scanner`,
    'CSeq: 1 INVITE',
    `Contact: <sip:scanner@127.0.0.1:${local}>`,
    ...auth,
    'Content-Type: application/sdp',
    `Content-Length: ${body.length}`,
    '',
    body,
  ].join('\r\n');
  const final = new Promise<string>((resolve) => {
    sock.on('message', (m) => {
      const text = m.toString();
      if (!/^SIP\/2\.0 1\d\d /.test(text)) resolve(text);
    });
  });
  sock.send(msg, port, '127.0.0.1');
  const res = await final;
  const toHeader = /^To: .*$/im.exec(res)?.[0] ?? `To: <${uri}>`;
  sock.send([`ACK ${uri} SIP/2.0`, `Via: SIP/2.0/UDP 127.0.0.1:${local};branch=z9hG4bK${id};rport`, 'Max-Forwards: 70', `From: <sip:scanner@127.0.0.1>;tag=${id}`, toHeader, `Call-ID: ${id}@scanner`, 'CSeq: 1 ACK', 'Content-Length: 0', '', ''].join('\r\n'), port, '127.0.0.1');
  await new Promise((r) => setTimeout(r, 50));
  sock.close();
  return res;
}

/** What a response tells: status line and header names with the values that do not vary per request. */
function shape(res: string): { status: string; headers: string[]; challenge?: string } {
  const lines = res.split('\r\n');
  const headers = lines.slice(1, lines.indexOf('')).map((l) => l.split(':')[0].toLowerCase());
  const challenge = /^Proxy-Authenticate: (.*)$/im.exec(res)?.[1].replace(/nonce="[^"]+"/, 'nonce="…"');
  return { status: lines[0], headers: headers.sort(), challenge };
}

const challengeOf = (res: string) => /^Proxy-Authenticate: (.*)$/im.exec(res)![1];

/**
 * Strangers on the SIP port: with no configured peers (CALLSIGHT_SIP_TRUSTED_PEERS empty,
 * no trunk at 127.0.0.1), every INVITE must authenticate as a SIP account. The answer a
 * stranger gets does not depend on whether the user it dials exists, and a phone that
 * authenticates calls as its account — a forged From, even with a valid Identity header
 * for the brand's number, never shows as the brand.
 */
describe('INVITEs from sources that are not configured peers', () => {
  let s: TestServer;
  let port: number;
  let admin: string;
  const events: AnyEvent[] = [];

  before(async () => {
    s = await startTestServer({ config: { sipTrustedPeers: '' } });
    port = s.ctx.services.get('telephony').endpoint.ports.udp;
    admin = await s.login('admin@acme.test');
    await s.ctx.bus.subscribe({ types: ['call.', 'branding.'] }, (e) => void events.push(e));
  });
  after(() => s.destroy());

  test('an unauthenticated INVITE gets the same 407 whether the user, number or flow exists or not, and nothing rings', async () => {
    const from = events.length;
    const answers = await Promise.all(['customer', 'nobody-here', '+15550100', '+15559999', '100'].map((u) => invite(port, u)));
    const shapes = answers.map(shape);
    assert.match(shapes[0].status, /^SIP\/2\.0 407 /);
    for (const sh of shapes.slice(1)) assert.deepEqual(sh, shapes[0]);
    assert.ok(shapes[0].challenge?.includes('realm="callsight"'));
    assert.deepEqual(events.slice(from).filter((e) => e.type === 'call.created'), []);
  });

  test('a wrong password gets the same 403 for an existing and a missing user', async () => {
    const challenge = challengeOf(await invite(port, 'customer'));
    const existing = await invite(port, 'customer', { auth: { username: 'agent', password: 'wrong', challenge } });
    const missing = await invite(port, 'nobody-here', { auth: { username: 'agent', password: 'wrong', challenge } });
    const unknownAccount = await invite(port, 'customer', { auth: { username: 'no-such-account', password: 'x', challenge } });
    assert.match(existing, /^SIP\/2\.0 403 /);
    assert.deepEqual(shape(missing), shape(existing));
    assert.deepEqual(shape(unknownAccount), shape(existing));
  });

  test('a phone that authenticates calls as its account: the call goes through, its From is the account', async () => {
    const from = events.length;
    const r = await runSipp({ scenario: authenticatedCallScenario({ username: 'agent', password: 'demo', pauseMs: 500, fromUser: 'spoofed' }), port, service: 'echo', timeoutSec: 15 });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const created = events.slice(from).find((e) => e.type === 'call.created');
    assert.ok(created, 'call.created');
    assert.equal((created.data as { from: string }).from, 'sip:agent@127.0.0.1');
    const callId = (created.data as { callId: string }).callId;
    await waitFor(() => events.some((e) => e.type === 'call.ended' && (e.data as { callId: string }).callId === callId), 5000, 'call ended');
  });

  test("a phone forging the brand's number with a valid Identity header is not shown as the brand", async () => {
    const brands = (await s.api('GET', '/api/branding/brands', { cookie: admin })).body.items as { numbers: string[] }[];
    const brandNumber = brands.flatMap((b) => b.numbers)[0];
    assert.ok(brandNumber, 'the demo tenant has a branded number');
    const signed = await s.api('POST', '/api/branding/sign', { cookie: admin, body: { from: brandNumber, to: '+15550100' } });
    assert.equal(signed.status, 200, JSON.stringify(signed.body));
    const from = events.length;
    const r = await runSipp({
      scenario: authenticatedCallScenario({ username: 'agent', password: 'demo', pauseMs: 500, fromUser: brandNumber, headers: [`Identity: ${signed.body.identityHeader}`] }),
      port,
      service: 'echo',
      timeoutSec: 15,
    });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const mine = events.slice(from);
    const created = mine.find((e) => e.type === 'call.created')!;
    assert.equal((created.data as { from: string }).from, 'sip:agent@127.0.0.1');
    assert.deepEqual(mine.filter((e) => e.type === 'branding.verified' && (e.data as { brandName: string | null }).brandName !== null), []);
  });

  test('a trunk at the source address makes it a peer of its tenant: no challenge', async () => {
    const trunk = await s.api('POST', '/api/sip/trunks', { cookie: admin, body: { name: 'loopback carrier', address: 'sip:127.0.0.1:5999' } });
    assert.equal(trunk.status, 201, JSON.stringify(trunk.body));
    const res = await invite(port, 'nobody-here');
    assert.match(res, /^SIP\/2\.0 404 /, 'a configured peer is told what does not exist');
    const ok = await invite(port, 'echo');
    assert.match(ok, /^SIP\/2\.0 200 /);
  });
});
