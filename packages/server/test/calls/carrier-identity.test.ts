import assert from 'node:assert/strict';
import { createPrivateKey } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import WebSocket from 'ws';
import { makeIdentityHeader } from '../../src/branding/make-identity-header.js';
import { rcdDigest } from '../../src/branding/rcd-integrity.js';
import { createRoot, issueCertificate } from '../../src/branding/sti-ca.js';
import { makePki, PNG, serve, startContentServer } from '../branding/sti-fixtures.js';
import { callScenario, runSipp } from '../helpers/sipp.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { waitFor } from '../helpers/wait.js';

/**
 * Another carrier's STI-CA (loaded as a trust anchor from CALLSIGHT_STI_TRUST_DIR)
 * signs calls that sipp sends to the demo customer: a good one is verified with its
 * brand; an expired `iat` and a certificate from a CA nobody trusts ring unbranded.
 */
describe('carrier Identity headers from another STI-CA (sipp)', () => {
  let s: TestServer;
  let port: number;
  let trustDir: string;
  let content: Awaited<ReturnType<typeof startContentServer>>;
  let pki: Awaited<ReturnType<typeof makePki>>;
  let strangerKey: string;
  let ws: WebSocket;
  const incoming: { metadataToken?: string }[] = [];

  before(async () => {
    pki = await makePki([{ range: { start: '15550300', count: 10 } }]);
    const stranger = await createRoot('CN=stranger root');
    const strangerLeaf = await issueCertificate({ subject: 'CN=stranger', issuer: stranger, ca: false, tnAuthList: [{ range: { start: '15550300', count: 10 } }] });
    strangerKey = strangerLeaf.privateKeyPem;
    content = await startContentServer({
      '/cert.pem': serve(pki.chain(pki.leaf, pki.intermediate)),
      '/stranger.pem': serve(pki.chain(strangerLeaf, stranger)),
      '/logo.png': serve(PNG, 'image/png'),
    });
    trustDir = mkdtempSync(path.join(tmpdir(), 'cs-trust-'));
    writeFileSync(path.join(trustDir, 'carrier-root.pem'), pki.root.cert.toString('pem'));
    s = await startTestServer({ config: { stiTrustDir: trustDir } });
    port = s.ctx.services.get('telephony').endpoint.ports.udp;
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

  const identity = (o: { x5u?: string; key?: string; iat?: number } = {}) =>
    makeIdentityHeader({
      signingKey: createPrivateKey(o.key ?? pki.leaf.privateKeyPem),
      x5u: `${content.base}${o.x5u ?? '/cert.pem'}`,
      claims: {
        orig: { tn: '15550301' },
        dest: { tn: ['15550100'] },
        rcd: { nam: 'Globex Insurance', icn: `${content.base}/logo.png` },
        rcdi: { '/icn': rcdDigest(PNG) },
        crn: 'Claim update',
        ...(o.iat ? { iat: o.iat } : {}),
      },
    });

  async function carrierCall(header: string): Promise<Record<string, any>> {
    const before = incoming.length;
    const r = await runSipp({
      scenario: callScenario({ pauseMs: 0, waitMs: 0, expectStatus: 480, fromUser: '+15550301', headers: [`Identity: ${header}`] }),
      port,
      service: '+15550100',
      timeoutSec: 15,
    });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    await waitFor(() => incoming.length > before, 5000, 'the incoming call on the app');
    return JSON.parse(Buffer.from(incoming.at(-1)!.metadataToken!.split('.')[1], 'base64url').toString());
  }

  const lastReasons = async () =>
    JSON.stringify((await s.api('GET', '/api/events?types=branding.verified', { cookie: await s.login('admin@acme.test') })).body.items.at(-1).data);

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
});
