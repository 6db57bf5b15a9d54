/**
 * Registrar helper and outbound registration: our Registration client against
 * our Registrar over UDP (SHA-256 chosen, 423 → retry with Min-Expires, wrong
 * password → 'failed', unregister removes the binding), and the pure logic:
 * stale nonces (stale=true), wildcard removal, Call-ID/CSeq ordering, expiry
 * clamping, and the brute-force brake answering 403.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createAuthorization } from '../../src/sip/digest.js';
import { parseMessage } from '../../src/sip/parser.js';
import type { SipRequest } from '../../src/sip/message.js';
import type { SipEndpoint } from '../../src/sip/ua/endpoint.js';
import { Registrar, type RegistrarResult } from '../../src/sip/ua/registrar.js';
import { InMemoryRegistrationStore } from '../../src/sip/ua/registration-store.js';
import { oneFlowPerInstance } from '../../src/calls/registration-repo.js';
import type { SipFailure } from '../../src/sip/ua/failure.js';
import { startEndpoint } from './sip-endpoints.js';

const source = { transport: 'udp' as const, address: '192.0.2.7', port: 5060 };

function register(o: { cseq: number; callId?: string; contact?: string; expires?: number; auth?: string; user?: string }): SipRequest {
  const lines = [
    'REGISTER sip:reg.test SIP/2.0',
    'Via: SIP/2.0/UDP 192.0.2.7:5060;branch=z9hG4bKr' + o.cseq,
    'Max-Forwards: 70',
    `From: <sip:${o.user ?? 'alice'}@reg.test>;tag=f1`,
    `To: <sip:${o.user ?? 'alice'}@reg.test>`,
    `Call-ID: ${o.callId ?? 'reg-call-1'}`,
    `CSeq: ${o.cseq} REGISTER`,
    `Contact: ${o.contact ?? '<sip:alice@192.0.2.7:5060>'}`,
  ];
  if (o.expires !== undefined) lines.push(`Expires: ${o.expires}`);
  if (o.auth) lines.push(`Authorization: ${o.auth}`);
  lines.push('Content-Length: 0', '', '');
  return parseMessage(Buffer.from(lines.join('\r\n'))) as SipRequest;
}

function challengeOf(r: RegistrarResult, algorithm = 'SHA-256'): string {
  const list = r.headers?.['WWW-Authenticate'] as string[];
  const c = list.find((v) => v.includes(`algorithm=${algorithm}`));
  assert.ok(c, `challenge with ${algorithm}`);
  return c;
}

describe('registrar logic', () => {
  let now = 1_000_000_000_000;
  const store = new InMemoryRegistrationStore(() => now);
  const reg = new Registrar({
    realm: 'reg.test', secret: 'k', store, now: () => now, nonceMaxAgeSeconds: 30,
    credentials: async (_r, u) => (u === 'alice' || u === 'bob' ? { password: 'pw' } : null),
    brake: { maxFailures: 3, windowMs: 60_000 },
  });
  const authed = async (o: Parameters<typeof register>[0], password = 'pw', algorithm = 'SHA-256') => {
    const first = await reg.process(register(o), source);
    assert.equal(first.status, 401);
    const auth = createAuthorization(challengeOf(first, algorithm), { method: 'REGISTER', uri: 'sip:reg.test', username: o.user ?? 'alice', password });
    return reg.process(register({ ...o, cseq: o.cseq + 1, auth }), source);
  };

  it('challenges with SHA-256 first, then MD5 (RFC 8760)', async () => {
    const r = await reg.process(register({ cseq: 1 }), source);
    const list = r.headers?.['WWW-Authenticate'] as string[];
    assert.match(list[0], /algorithm=SHA-256/);
    assert.match(list[1], /algorithm=MD5/);
  });

  it('stores a binding with the right credentials (either algorithm) and lists it in the 200', async () => {
    const ok = await authed({ cseq: 2, expires: 600 });
    assert.equal(ok.status, 200);
    assert.deepEqual(ok.headers?.Contact, ['<sip:alice@192.0.2.7:5060>;expires=600']);
    const md5 = await authed({ cseq: 4, expires: 600 }, 'pw', 'MD5');
    assert.equal(md5.status, 200);
    const [b] = await store.lookup('sip:alice@reg.test');
    assert.equal(b.cseq, 5);
    assert.deepEqual(b.source, source);
  });

  it('answers a correct response on an old nonce with stale=true', async () => {
    const first = await reg.process(register({ cseq: 10 }), source);
    const auth = createAuthorization(challengeOf(first), { method: 'REGISTER', uri: 'sip:reg.test', username: 'alice', password: 'pw' });
    now += 31_000;
    const r = await reg.process(register({ cseq: 11, auth }), source);
    assert.equal(r.status, 401);
    assert.match(challengeOf(r), /stale=true/);
  });

  it('423 below Min-Expires, clamps above the maximum, drops out-of-order CSeq', async () => {
    const brief = await authed({ cseq: 20, expires: 30 });
    assert.equal(brief.status, 423);
    assert.equal(brief.headers?.['Min-Expires'], '60');
    const long = await authed({ cseq: 22, expires: 99_999 });
    assert.deepEqual(long.headers?.Contact, ['<sip:alice@192.0.2.7:5060>;expires=3600']);
    const stale = await authed({ cseq: 1, expires: 600 });
    assert.equal(stale.status, 500);
    const otherCall = await authed({ cseq: 1, callId: 'another', contact: '<sip:alice@192.0.2.8>;expires=120' });
    assert.equal(otherCall.status, 200);
    assert.equal((await store.lookup('sip:alice@reg.test')).length, 2);
  });

  it('"*" needs Expires: 0 and removes every binding', async () => {
    const bad = await authed({ cseq: 30, contact: '*', expires: 10 });
    assert.equal(bad.status, 400);
    const ok = await authed({ cseq: 32, contact: '*', expires: 0 });
    assert.equal(ok.status, 200);
    assert.deepEqual(await store.lookup('sip:alice@reg.test'), []);
  });

  it('RFC 5626: a binding is its instance\'s flow (instance + reg-id); a new Contact on it replaces the old, other reg-ids stay, one flow rings', async () => {
    const inst = '"<urn:uuid:00000000-0000-4000-8000-00000000000a>"';
    await authed({ cseq: 70, callId: 'o-1', contact: '*', expires: 0 });
    assert.equal((await authed({ cseq: 72, callId: 'o-1', contact: `<sip:x1@192.0.2.7:5060>;reg-id=1;+sip.instance=${inst}`, expires: 600 })).status, 200);
    assert.equal((await authed({ cseq: 74, callId: 'plain', contact: '<sip:desk@192.0.2.9:5060>', expires: 600 })).status, 200);
    // The same instance and reg-id reconnects with a new contact and Call-ID: it replaces x1.
    const again = await authed({ cseq: 1, callId: 'o-2', contact: `<sip:x2@192.0.2.7:5070>;reg-id=1;+sip.instance=${inst}`, expires: 600 });
    assert.equal(again.status, 200);
    let bindings = await store.lookup('sip:alice@reg.test');
    assert.deepEqual(bindings.map((b) => b.contact).sort(), ['sip:desk@192.0.2.9:5060', 'sip:x2@192.0.2.7:5070']);
    assert.equal(bindings.find((b) => b.contact.includes('x2'))!.regId, 1);
    // A second flow of that instance (reg-id 2) is kept beside the first; only the newest rings.
    now += 1000;
    await authed({ cseq: 1, callId: 'o-3', contact: `<sip:x3@192.0.2.7:5080>;reg-id=2;+sip.instance=${inst}`, expires: 600 });
    bindings = await store.lookup('sip:alice@reg.test');
    assert.equal(bindings.length, 3);
    assert.deepEqual(oneFlowPerInstance(bindings).map((b) => b.contact).sort(), ['sip:desk@192.0.2.9:5060', 'sip:x3@192.0.2.7:5080']);
    // A reg-id that is not a positive number is refused and changes nothing.
    assert.equal((await authed({ cseq: 3, callId: 'o-3', contact: `<sip:x4@192.0.2.7:5090>;reg-id=zero;+sip.instance=${inst}`, expires: 600 })).status, 400);
    assert.equal((await store.lookup('sip:alice@reg.test')).length, 3);
    await authed({ cseq: 80, callId: 'o-1', contact: '*', expires: 0 });
  });

  it('refuses another user\'s AOR', async () => {
    const first = await reg.process(register({ cseq: 40 }), source);
    const auth = createAuthorization(challengeOf(first), { method: 'REGISTER', uri: 'sip:reg.test', username: 'bob', password: 'pw' });
    assert.equal((await reg.process(register({ cseq: 41, auth }), source)).status, 403);
  });

  it('brute-force brake: after 3 failed digests the source gets 403', async () => {
    for (let i = 0; i < 3; i++) assert.equal((await authed({ cseq: 50 + i * 2 }, 'wrong')).status, 401);
    const blocked = await reg.process(register({ cseq: 60 }), source);
    assert.equal(blocked.status, 403);
    assert.ok(reg.stats.blocked >= 1);
    // Another source is unaffected; the brake lifts after the window.
    assert.equal((await reg.process(register({ cseq: 61 }), { ...source, address: '192.0.2.99' })).status, 401);
    now += 61_000;
    assert.equal((await authed({ cseq: 62, expires: 600 })).status, 200);
  });
});

describe('outbound registration against our registrar', () => {
  let server: SipEndpoint;
  let client: SipEndpoint;
  const store = new InMemoryRegistrationStore();
  const registrar = new Registrar({ realm: 'callsight.test', secret: 's', store, credentials: async (_r, u) => (u === 'carol' ? { password: 'pw' } : null) });

  before(async () => {
    server = await startEndpoint();
    client = await startEndpoint();
    server.on('request', (req) => void registrar.handle(req));
  });
  after(async () => {
    await client.close();
    await server.close();
  });

  it('registers (SHA-256), retries 423 with Min-Expires, and unregisters', async () => {
    const r = client.register({ registrar: `sip:127.0.0.1:${server.ports.udp}`, aor: 'sip:carol@callsight.test', username: 'carol', password: 'pw', expires: 30 });
    const info = await new Promise<{ expires: number }>((resolve, reject) => {
      r.on('registered', resolve);
      r.on('failed', reject);
    });
    assert.equal(info.expires, 60); // asked 30, got 423 Min-Expires 60
    const [b] = await store.lookup('sip:carol@callsight.test');
    assert.match(b.contact, new RegExp(`^sip:carol@127\\.0\\.0\\.1:${client.ports.udp}$`));
    await r.unregister();
    assert.deepEqual(await store.lookup('sip:carol@callsight.test'), []);
  });

  it('a wrong password ends in a failed event with 401', async () => {
    const r = client.register({ registrar: `sip:127.0.0.1:${server.ports.udp}`, aor: 'sip:carol@callsight.test', username: 'carol', password: 'nope', expires: 600 });
    const err = await new Promise<SipFailure>((resolve) => r.on('failed', resolve));
    assert.equal(err.status, 401);
    await r.unregister();
  });

  it('request() answers a challenge once with auth', async () => {
    const res = await client.request({ method: 'REGISTER', target: `sip:127.0.0.1:${server.ports.udp}`, from: { uri: 'sip:carol@callsight.test' }, to: { uri: 'sip:carol@callsight.test' }, headers: { Expires: '0', Contact: '*' }, auth: { username: 'carol', password: 'pw' } });
    assert.equal(res.status, 200);
  });
});
