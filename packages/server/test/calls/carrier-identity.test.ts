import assert from 'node:assert/strict';
import { createPrivateKey, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import WebSocket from 'ws';
import { makeIdentityHeader } from '../../src/branding/make-identity-header.js';
import type { PassportClaims } from '../../src/branding/passport.js';
import { rcdDigest } from '../../src/branding/rcd-integrity.js';
import { createRoot, issueCertificate } from '../../src/branding/sti-ca.js';
import { makePki, PNG, serve, startContentServer } from '../branding/sti-fixtures.js';
import { callScenario, runSipp } from '../helpers/sipp.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { waitFor } from '../helpers/wait.js';

/**
 * Other carriers' STI-CAs (loaded as trust anchors from CALLSIGHT_STI_TRUST_DIR)
 * sign calls that sipp sends to the demo customer: the originating carrier's
 * SHAKEN PASSporTs, and a brand vetting party's separate RFC 9795 ppt "rcd"
 * PASSporTs under its own root. Good ones are verified with their brand; an
 * expired `iat` and a certificate from a CA nobody trusts ring unbranded.
 */
describe('carrier Identity headers from another STI-CA (sipp)', () => {
  let s: TestServer;
  let port: number;
  let trustDir: string;
  let content: Awaited<ReturnType<typeof startContentServer>>;
  let pki: Awaited<ReturnType<typeof makePki>>;
  let vetterKey: string;
  let strangerKey: string;
  let ws: WebSocket;
  let admin: string;
  const incoming: { metadataToken?: string }[] = [];
  // Every PASSporT differs: the same one twice would rightly be refused as a replay. iat = now - 30 s + n
  // grows strictly from call to call (and stays inside the 60 s window); SHAKEN ones get their own origid too.
  let n = 0;
  const iat = () => Math.floor(Date.now() / 1000) - 30 + n++;

  before(async () => {
    // The carrier's numbers: test numbers 1555030x, and a North American range for 10-digit national From.
    pki = await makePki([{ range: { start: '15550300', count: 10 } }, { range: { start: '12025550100', count: 10 } }]);
    const vetterRoot = await createRoot('CN=brand vetting root');
    const stranger = await createRoot('CN=stranger root');
    const strangerLeaf = await issueCertificate({ subject: 'CN=stranger', issuer: stranger, ca: false, tnAuthList: [{ range: { start: '15550300', count: 10 } }] });
    strangerKey = strangerLeaf.privateKeyPem;
    content = await startContentServer({
      '/cert.pem': serve(pki.chain(pki.leaf, pki.intermediate)),
      '/stranger.pem': serve(pki.chain(strangerLeaf, stranger)),
      '/logo.png': serve(PNG, 'image/png'),
    });
    // The vetting party vouches for Globex on 15550301 and nothing else: its delegate certificate
    // fixes the rcd it may sign (RFC 9118 claim constraints, as RFC 9795 uses them).
    const vetter = await issueCertificate({
      subject: 'CN=Globex vetted delegate',
      issuer: vetterRoot,
      ca: false,
      tnAuthList: [{ one: '15550301' }],
      claimConstraints: { mustInclude: ['rcd'], permittedValues: { rcd: [JSON.stringify(brand().rcd)] } },
    });
    vetterKey = vetter.privateKeyPem;
    content.routes['/vetter.pem'] = serve(vetter.cert.toString('pem'));
    trustDir = mkdtempSync(path.join(tmpdir(), 'cs-trust-'));
    writeFileSync(path.join(trustDir, 'carrier-root.pem'), pki.root.cert.toString('pem'));
    writeFileSync(path.join(trustDir, 'vetting-root.pem'), vetterRoot.cert.toString('pem'));
    s = await startTestServer({ config: { stiTrustDir: trustDir } });
    port = s.ctx.services.get('telephony').endpoint.ports.udp;
    admin = await s.login('admin@acme.test');
    ws = new WebSocket(s.url.replace('http', 'ws') + '/api/ws', { headers: { cookie: await s.login('customer@acme.test') } });
    ws.on('message', (d) => {
      const m = JSON.parse(d.toString());
      if (m.kind !== 'call.incoming') return;
      incoming.push(m);
      ws.send(JSON.stringify({ kind: 'call.reject', callId: m.callId }));
    });
    await new Promise((r) => ws.once('open', r));
  });
  after(async () => {
    ws.close();
    await s.destroy();
    await content.close();
    rmSync(trustDir, { recursive: true, force: true });
  });

  const brand = () => ({ rcd: { nam: 'Globex Insurance', icn: `${content.base}/logo.png` }, rcdi: { '/icn': rcdDigest(PNG) }, crn: 'Claim update' });
  const identity = (o: { x5u?: string; key?: string; iat?: number; claims?: Partial<PassportClaims>; rcd?: boolean } = {}) =>
    makeIdentityHeader({
      signingKey: createPrivateKey(o.key ?? pki.leaf.privateKeyPem),
      x5u: `${content.base}${o.x5u ?? '/cert.pem'}`,
      claims: { orig: { tn: '15550301' }, dest: { tn: ['15550100'] }, ...(o.rcd === false ? {} : brand()), origid: randomUUID(), iat: o.iat ?? iat(), ...o.claims },
    });
  /** The brand vetting party's separate RFC 9795 PASSporT, under its own certificate. */
  const rcdIdentity = (claims: Partial<PassportClaims> = {}) =>
    makeIdentityHeader({
      ppt: 'rcd',
      signingKey: vetterKey,
      x5u: `${content.base}/vetter.pem`,
      claims: { orig: { tn: '15550301' }, dest: { tn: ['15550100'] }, ...brand(), iat: iat(), ...claims },
    });

  async function carrierCall(identities: string | string[], o: { fromUser?: string; headers?: string[] } = {}): Promise<Record<string, any>> {
    const before = incoming.length;
    const headers = [...[identities].flat().map((h) => `Identity: ${h}`), ...(o.headers ?? [])];
    const r = await runSipp({
      scenario: callScenario({ pauseMs: 0, waitMs: 0, expectStatus: 480, fromUser: o.fromUser ?? '+15550301', headers }),
      port,
      service: '+15550100',
      timeoutSec: 15,
    });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    await waitFor(() => incoming.length > before, 5000, 'the incoming call on the app');
    return JSON.parse(Buffer.from(incoming.at(-1)!.metadataToken!.split('.')[1], 'base64url').toString());
  }

  const lastVerified = async () => (await s.api('GET', '/api/events?types=branding.verified', { cookie: admin })).body.items.at(-1).data;
  const lastReasons = async () => JSON.stringify(await lastVerified());

  test("a call signed by a trusted carrier's CA is verified, with its brand", async () => {
    const meta = await carrierCall(identity());
    assert.equal(meta.vs, 'TN-Validation-Passed', JSON.stringify(meta));
    assert.equal(meta.b.n, 'Globex Insurance');
    assert.equal(meta.b.r, 'Claim update');
  });

  test('an expired iat fails verification: unbranded', async () => {
    const meta = await carrierCall(identity({ iat: Math.floor(Date.now() / 1000) - 3600 }));
    assert.equal(meta.vs, 'TN-Validation-Failed');
    assert.equal(meta.b, undefined);
    assert.match(await lastReasons(), /iat_stale/);
  });

  test('a certificate from a CA nobody trusts fails verification: unbranded', async () => {
    const meta = await carrierCall(identity({ x5u: '/stranger.pem', key: strangerKey }));
    assert.equal(meta.vs, 'TN-Validation-Failed');
    assert.equal(meta.b, undefined);
    assert.match(await lastReasons(), /certificate_untrusted/);
  });

  test('a separate RFC 9795 ppt "rcd" PASSporT alone, under its own CA, brands the call', async () => {
    const meta = await carrierCall(rcdIdentity());
    assert.equal(meta.vs, 'TN-Validation-Passed', JSON.stringify(meta) + (await lastReasons()));
    assert.equal(meta.b?.n, 'Globex Insurance');
    assert.equal(meta.b?.r, 'Claim update');
    assert.match(meta.b?.logo ?? '', /^data:image\/png;base64,/);
    assert.deepEqual((await lastVerified()).passports, ['rcd']);
  });

  test("an rcd PASSporT naming a brand its certificate's claim constraints do not permit is refused", async () => {
    const meta = await carrierCall(rcdIdentity({ rcd: { nam: 'Initech Bank', icn: `${content.base}/logo.png` } }));
    assert.equal(meta.vs, 'TN-Validation-Failed');
    assert.equal(meta.b, undefined);
    assert.match(await lastReasons(), /claims_not_permitted: the certificate does not permit this value of rcd/);
  });

  test('SHAKEN (no rcd) + rcd in two Identity headers: brand from one, attestation A from the other', async () => {
    const meta = await carrierCall([identity({ rcd: false }), rcdIdentity()]);
    assert.equal(meta.vs, 'TN-Validation-Passed', JSON.stringify(meta));
    assert.equal(meta.at, 'A');
    assert.equal(meta.b?.n, 'Globex Insurance');
    assert.deepEqual((await lastVerified()).passports, ['shaken', 'rcd']);
  });

  test('a brand in the second of two valid SHAKEN headers is not lost', async () => {
    const meta = await carrierCall([identity({ rcd: false }), identity()]);
    assert.equal(meta.vs, 'TN-Validation-Passed');
    assert.equal(meta.b?.n, 'Globex Insurance');
  });

  test('orig is checked against P-Asserted-Identity when the carrier sends one', async () => {
    const meta = await carrierCall(identity(), { fromUser: 'anonymous', headers: ['P-Asserted-Identity: <sip:+15550301@carrier.example;user=phone>'] });
    assert.equal(meta.vs, 'TN-Validation-Passed', await lastReasons());
    assert.equal(meta.tn, '+15550301', 'the app is told the verified number');
    assert.equal((await lastVerified()).identity, 'P-Asserted-Identity');
    // …and a PAI naming another number fails, though From matches orig.
    const spoofed = await carrierCall(identity(), { headers: ['P-Asserted-Identity: <sip:+15550302@carrier.example;user=phone>'] });
    assert.equal(spoofed.vs, 'TN-Validation-Failed');
    assert.match(await lastReasons(), /orig_mismatch: orig\.tn 15550301 is not the calling number 15550302 \(P-Asserted-Identity/);
  });

  test('a 10-digit national From matches orig 1NXXNXXXXXX', async () => {
    const meta = await carrierCall(identity({ claims: { orig: { tn: '12025550101' } } }), { fromUser: '2025550101' });
    assert.equal(meta.vs, 'TN-Validation-Passed', await lastReasons());
    assert.equal(meta.tn, '+12025550101');
    assert.equal(meta.b?.n, 'Globex Insurance');
  });

  test('a "+" in orig (and dest) is canonicalized, not refused', async () => {
    const meta = await carrierCall(identity({ claims: { orig: { tn: '+15550301' }, dest: { tn: ['+15550100'] } } }));
    assert.equal(meta.vs, 'TN-Validation-Passed', await lastReasons());
    assert.equal(meta.b?.n, 'Globex Insurance');
  });

  test('a B-attested call is not branded by default, and is once the tenant allows B', async () => {
    const meta = await carrierCall(identity({ claims: { attest: 'B' } }));
    assert.equal(meta.vs, 'TN-Validation-Passed');
    assert.equal(meta.at, 'B');
    assert.equal(meta.b, undefined);
    assert.match((await lastVerified()).brandWithheld, /attestation B: this tenant shows brands on A-attested calls only/);
    assert.deepEqual((await s.api('GET', '/api/branding/policy', { cookie: admin })).body, { brandAttestations: ['A'], unverifiedNames: true });

    const put = await s.api('PUT', '/api/branding/policy', { cookie: admin, body: { brandAttestations: ['A', 'B'], unverifiedNames: true } });
    assert.equal(put.status, 200, JSON.stringify(put.body));
    try {
      const allowed = await carrierCall(identity({ claims: { attest: 'B' } }));
      assert.equal(allowed.at, 'B');
      assert.equal(allowed.b?.n, 'Globex Insurance');
      const c = await carrierCall(identity({ claims: { attest: 'C' } }));
      assert.equal(c.b, undefined, 'C is still not allowed');
    } finally {
      await s.api('PUT', '/api/branding/policy', { cookie: admin, body: { brandAttestations: ['A'], unverifiedNames: true } });
    }
  });

  test('the policy is an admin setting: a supervisor reads it, cannot change it; bad values are refused', async () => {
    const supervisor = await s.login('supervisor@acme.test');
    assert.equal((await s.api('GET', '/api/branding/policy', { cookie: supervisor })).status, 200);
    assert.equal((await s.api('PUT', '/api/branding/policy', { cookie: supervisor, body: { brandAttestations: ['A', 'B', 'C'], unverifiedNames: true } })).status, 403);
    const bad = await s.api('PUT', '/api/branding/policy', { cookie: admin, body: { brandAttestations: ['D'], unverifiedNames: true } });
    assert.equal(bad.status, 400);
    assert.deepEqual((await s.api('GET', '/api/branding/policy', { cookie: admin })).body.brandAttestations, ['A']);
    const events = (await s.api('GET', '/api/events?types=branding.policy.updated', { cookie: admin })).body.items;
    assert.ok(events.length >= 2, 'every change is an audit event');
  });
});
