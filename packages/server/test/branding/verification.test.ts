import assert from 'node:assert/strict';
import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { verifyCallMetadata } from '@callsight/sdk';
import { BoundedFetcher } from '../../src/branding/bounded-fetcher.js';
import { encodeCallMetadata } from '../../src/branding/call-metadata.js';
import { parseIdentityHeader } from '../../src/branding/identity-header.js';
import { canonicalJson, parseJws } from '../../src/branding/jws.js';
import { makeIdentityHeader } from '../../src/branding/make-identity-header.js';
import { readPassport } from '../../src/branding/passport.js';
import { rcdDigest } from '../../src/branding/rcd-integrity.js';
import { applyVerstat, brandCallInfo, withDisplayName } from '../../src/branding/sip-verstat.js';
import { issueCertificate, createRoot } from '../../src/branding/sti-ca.js';
import { TrustStore } from '../../src/branding/trust-store.js';
import { PassportVerifier } from '../../src/branding/verifier.js';
import { makePki, PNG, serve, startContentServer } from './sti-fixtures.js';

describe('RFC example PASSporTs', () => {
  test('RFC 8225 §9 / RFC 8224 §4.1: the example header serializes to the RFC bytes, and the example token decodes as the RFC says', () => {
    // The RFC's header part is the deterministic serialization of these claims.
    const header = { alg: 'ES256', typ: 'passport', x5u: 'https://cert.example.org/passport.cer' };
    const h = Buffer.from(canonicalJson(header)).toString('base64url');
    assert.equal(h, 'eyJhbGciOiJFUzI1NiIsInR5cCI6InBhc3Nwb3J0IiwieDV1IjoiaHR0cHM6Ly9jZXJ0LmV4YW1wbGUub3JnL3Bhc3Nwb3J0LmNlciJ9');
    const rfcToken =
      `${h}.eyJkZXN0Ijp7InVyaSI6WyJzaXA6YWxpY2VAZXhhbXBsZS5jb20iXX0sImlhdCI6IjE0NDMyMDgzNDUiLCJvcmlnIjp7InRuIjoiMTIxNTU1NTEyMTIifX0.` +
      'rq3pjT1hoRwakEGjHCnWSwUnshd0-zJ6F1VOgFWSjHBr8Qjpjlk-cpFYpFYsojNCpTzO3QfPOlckGaS6hEck7w';
    const parsed = parseIdentityHeader(`${rfcToken};info=<https://biloxi.example.org/biloxi.cert>;alg=ES256`);
    assert.equal(parsed.info, 'https://biloxi.example.org/biloxi.cert');
    const jws = parseJws(parsed.token);
    assert.deepEqual(jws.header, header);
    // The RFC 8224 example carries iat as a string (a known erratum) and a SIP URI destination.
    assert.deepEqual(jws.payload, { dest: { uri: ['sip:alice@example.com'] }, iat: '1443208345', orig: { tn: '12155551212' } });
    // Not a SHAKEN PASSporT: a SHAKEN verifier refuses it with a reason rather than crashing.
    assert.throws(() => readPassport(jws), /ppt undefined is not shaken or rcd/);
  });

  test('RFC 8588 §5 SHAKEN example: claims and header serialize in RFC order', () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const value = makeIdentityHeader({
      signingKey: privateKey,
      x5u: 'https://cert.example.org/passport.cer',
      claims: { attest: 'A', dest: { tn: ['12125551213'] }, iat: 1443208345, orig: { tn: '12155551212' }, origid: '123e4567-e89b-12d3-a456-426655440000' },
    });
    const jws = parseJws(parseIdentityHeader(value).token);
    const [h, p] = jws.signingInput.split('.') as [string, string];
    assert.equal(Buffer.from(h, 'base64url').toString(), '{"alg":"ES256","ppt":"shaken","typ":"passport","x5u":"https://cert.example.org/passport.cer"}');
    assert.equal(
      Buffer.from(p, 'base64url').toString(),
      '{"attest":"A","dest":{"tn":["12125551213"]},"iat":1443208345,"orig":{"tn":"12155551212"},"origid":"123e4567-e89b-12d3-a456-426655440000"}',
    );
    assert.match(value, /;info=<https:\/\/cert\.example\.org\/passport\.cer>;alg=ES256;ppt="shaken"$/);
    assert.equal(readPassport(jws).claims.attest, 'A');
  });

  test('RFC 9795 rcd example (nam, icn, jcl, crn, rcdi) reads as Rich Call Data', () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const value = makeIdentityHeader({
      signingKey: privateKey,
      x5u: 'https://www.example.org/cert.cer',
      claims: {
        crn: 'Rendezvous for Little Nellie',
        dest: { tn: ['12125551213'] },
        iat: 1443208345,
        orig: { tn: '12025551000' },
        rcd: { nam: 'James Bond', icn: 'https://example.org/james_bond.png', jcl: 'https://example.org/james_bond.json' },
        rcdi: { '/icn': rcdDigest(PNG), '/jcl': rcdDigest(Buffer.from('[]')) },
      },
    });
    const { claims } = readPassport(parseJws(parseIdentityHeader(value).token));
    assert.equal(claims.rcd?.nam, 'James Bond');
    assert.equal(claims.crn, 'Rendezvous for Little Nellie');
    assert.match(claims.rcdi!['/icn']!, /^sha256-[A-Za-z0-9+/]{43}=$/);
  });
});

describe('verification service', () => {
  let pki: Awaited<ReturnType<typeof makePki>>;
  let content: Awaited<ReturnType<typeof startContentServer>>;
  let trust: TrustStore;
  const jcard = Buffer.from(JSON.stringify(['vcard', [['fn', {}, 'text', 'Acme Bank']]]));
  const from = '+15550101';
  const to = '+15550177';

  before(async () => {
    pki = await makePki();
    const stranger = await createRoot('CN=stranger root');
    const strangerLeaf = await issueCertificate({ subject: 'CN=stranger', issuer: stranger, ca: false, tnAuthList: [{ spc: '9999' }] });
    const expired = await issueCertificate({ subject: 'CN=expired', issuer: pki.intermediate, ca: false, tnAuthList: [{ spc: '1' }], notBefore: new Date(Date.now() - 10 * 86400e3), notAfter: new Date(Date.now() - 86400e3) });
    content = await startContentServer({
      '/cert.pem': serve(pki.chain(pki.leaf, pki.intermediate)),
      '/stranger.pem': serve(pki.chain(strangerLeaf, stranger)),
      '/expired.pem': serve(pki.chain(expired, pki.intermediate)),
      '/logo.png': serve(PNG, 'image/png'),
      '/card.json': serve(jcard, 'application/json'),
      '/slow.pem': (_req, res) => setTimeout(() => res.writeHead(200).end(pki.chain(pki.leaf, pki.intermediate)), 1500),
      '/big.pem': (_req, res) => res.writeHead(200).end(Buffer.alloc(300 * 1024, 65)),
      '/loop-a.pem': (_req, res) => res.writeHead(302, { location: '/loop-b.pem' }).end(),
      '/loop-b.pem': (_req, res) => res.writeHead(302, { location: '/loop-a.pem' }).end(),
    });
    trust = new TrustStore();
    trust.add(pki.root.cert);
  });
  after(() => content.close());

  const verifier = () => new PassportVerifier({ trust, fetcher: new BoundedFetcher({ timeoutMs: 500, maxBytes: 64 * 1024, maxRedirects: 3 }) });
  const header = (o: { x5u?: string; key?: string; claims?: Record<string, unknown> } = {}) =>
    makeIdentityHeader({
      signingKey: createPrivateKey(o.key ?? pki.leaf.privateKeyPem),
      x5u: `${content.base}${o.x5u ?? '/cert.pem'}`,
      claims: {
        dest: { tn: ['15550177'] },
        orig: { tn: '15550101' },
        rcd: { nam: 'Acme Bank', icn: `${content.base}/logo.png`, jcl: `${content.base}/card.json` },
        rcdi: { '/icn': rcdDigest(PNG), '/jcl': rcdDigest(jcard) },
        crn: 'Your card delivery',
        ...o.claims,
      },
    });

  test('sign → verify passes with brand, inline logo and jCard; the chain is fetched once', async () => {
    const v = verifier();
    const r = await v.verifyIncoming({ identityHeaders: [header()], from, to });
    assert.deepEqual(r.reasons, []);
    assert.equal(r.verstat, 'TN-Validation-Passed');
    assert.equal(r.attest, 'A');
    assert.equal(r.brand?.name, 'Acme Bank');
    assert.equal(r.brand?.reason, 'Your card delivery');
    assert.equal(r.brand?.logoDataUri, `data:image/png;base64,${PNG.toString('base64')}`);
    assert.deepEqual(r.brand?.jcard, JSON.parse(jcard.toString()));
    const again = await v.verifyIncoming({ identityHeaders: [header({ claims: { origid: 'second' } })], from, to });
    assert.equal(again.verstat, 'TN-Validation-Passed');
    assert.equal(v.fetcher.fetches, 3, 'x5u, icn and jcl fetched once each');
  });

  test('no Identity header → No-TN-Validation', async () => {
    const r = await verifier().verifyIncoming({ identityHeaders: [], from, to });
    assert.equal(r.verstat, 'No-TN-Validation');
    assert.deepEqual([r.reasons, r.codes, r.brand], [[], [], undefined]);
    assert.deepEqual(r.caller, { uri: from, source: 'From', tn: '15550101' });
  });

  const failsWith = async (identityHeaders: string[], code: string, input: { from?: string; to?: string; now?: number } = {}, v = verifier()) => {
    const r = await v.verifyIncoming({ identityHeaders, from: input.from ?? from, to: input.to ?? to, now: input.now });
    assert.equal(r.verstat, 'TN-Validation-Failed');
    assert.equal(r.brand, undefined, 'no brand is shown for a failed call');
    assert.deepEqual(r.codes, [code], r.reasons.join('; '));
    return r;
  };

  test('tampered payload → signature_invalid', async () => {
    const [t, rest] = header().split(';info=') as [string, string];
    const [h, p, s] = t.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString());
    claims.rcd.nam = 'Evil Corp';
    await failsWith([`${h}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${s};info=${rest}`], 'signature_invalid');
  });

  test('stale iat → iat_stale (and a future one too)', async () => {
    await failsWith([header({ claims: { iat: Math.floor(Date.now() / 1000) - 61 } })], 'iat_stale');
    await failsWith([header({ claims: { iat: Math.floor(Date.now() / 1000) + 120 } })], 'iat_stale');
  });

  test('originating number outside the TNAuthList → tn_not_authorized', async () => {
    await failsWith([header({ claims: { orig: { tn: '15550200' } } })], 'tn_not_authorized', { from: '+15550200' });
  });

  test('From differs from orig → orig_mismatch; destination not in dest → dest_mismatch', async () => {
    await failsWith([header()], 'orig_mismatch', { from: '+15550102' });
    await failsWith([header()], 'dest_mismatch', { to: '+15550999' });
  });

  test('certificate from an unknown CA → certificate_untrusted; expired → certificate_expired', async () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    await failsWith([header({ x5u: '/stranger.pem', key: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString() })], 'certificate_untrusted');
    await failsWith([header({ x5u: '/expired.pem' })], 'certificate_expired');
  });

  test('rcdi digest that does not match the logo → rcdi_mismatch; missing digest too', async () => {
    await failsWith([header({ claims: { rcdi: { '/icn': rcdDigest(Buffer.from('other')), '/jcl': rcdDigest(jcard) } } })], 'rcdi_mismatch');
    await failsWith([header({ claims: { rcdi: { '/jcl': rcdDigest(jcard) } } })], 'rcdi_mismatch');
  });

  test('the same PASSporT twice inside the window → replayed', async () => {
    const v = verifier();
    const h = header();
    assert.equal((await v.verifyIncoming({ identityHeaders: [h], from, to })).verstat, 'TN-Validation-Passed');
    await failsWith([h], 'replayed', {}, v);
  });

  test('malformed headers and bad base64 fail cleanly', async () => {
    const good = header();
    for (const bad of ['garbage', 'a.b.c;info=<http://x/>', good.replace(/;info=<[^>]*>/, ''), good.replace(/^ey/, '!!'), `${good.split('.')[0]}..${'A'.repeat(86)};info=<http://x/>`]) {
      const r = await verifier().verifyIncoming({ identityHeaders: [bad], from, to });
      assert.equal(r.verstat, 'TN-Validation-Failed', bad);
      assert.ok(r.codes[0] === 'identity_malformed' || r.codes[0] === 'identity_unsupported', `${bad}: ${r.reasons}`);
    }
  });

  test('slow, oversized and looping x5u → certificate_fetch_failed with the cause', async () => {
    const slow = await failsWith([header({ x5u: '/slow.pem' })], 'certificate_fetch_failed');
    assert.match(slow.reasons[0]!, /timed out after 500 ms/);
    const big = await failsWith([header({ x5u: '/big.pem' })], 'certificate_fetch_failed');
    assert.match(big.reasons[0]!, /more than 65536 bytes/);
    const loop = await failsWith([header({ x5u: '/loop-a.pem' })], 'certificate_fetch_failed');
    assert.match(loop.reasons[0]!, /redirect loop/);
  });

  test('one good header among bad ones passes', async () => {
    const r = await verifier().verifyIncoming({ identityHeaders: ['garbage', header()], from, to });
    assert.equal(r.verstat, 'TN-Validation-Passed');
  });
});

describe('SIP helpers', () => {
  test('applyVerstat puts verstat on tel URIs and in the user part of SIP URIs, replacing any upstream value', () => {
    assert.equal(applyVerstat('<tel:+15550100>', 'TN-Validation-Passed'), '<tel:+15550100;verstat=TN-Validation-Passed>');
    assert.equal(
      applyVerstat('"Acme" <sip:+15550100;verstat=TN-Validation-Passed@example.com;user=phone>;tag=1', 'TN-Validation-Failed'),
      '"Acme" <sip:+15550100;verstat=TN-Validation-Failed@example.com;user=phone>;tag=1',
    );
    assert.equal(applyVerstat('tel:+15550100', 'No-TN-Validation'), 'tel:+15550100;verstat=No-TN-Validation');
  });

  test('display name and Call-Info for desk phones', () => {
    assert.equal(withDisplayName('<sip:+15550100@example.com>;tag=9', 'Acme "Bank"'), '"Acme \\"Bank\\"" <sip:+15550100@example.com>;tag=9');
    assert.equal(brandCallInfo({ logoUrl: 'https://x/logo.png', jcardUrl: 'https://x/card.json' }), '<https://x/logo.png>;purpose=icon, <https://x/card.json>;purpose=jcard');
    assert.equal(brandCallInfo({}), undefined);
  });
});

describe('call metadata token', () => {
  test('round trips through the SDK verifier; a tampered, foreign-signed or expired token is refused', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const token = encodeCallMetadata(
      { callId: 'c1', callerNumber: '+15550101', verification: { verstat: 'TN-Validation-Passed', attest: 'A', brand: { name: 'Acme', logoUrl: 'https://x/l.png', reason: 'Delivery' }, reasons: [], codes: [] }, link: 'https://x/b/t' },
      privateKey,
    );
    assert.match(token, /^v1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{86}$/);
    // Verified with the SDK's WebCrypto code, exactly as the apps do.
    const jwk = publicKey.export({ format: 'jwk' });
    const meta = await verifyCallMetadata(token, jwk);
    assert.deepEqual(meta?.b, { n: 'Acme', logo: 'https://x/l.png', r: 'Delivery' });
    assert.equal(meta?.link, 'https://x/b/t');
    const [v, , s] = token.split('.') as [string, string, string];
    const forged = Buffer.from(JSON.stringify({ ...meta, b: { n: 'Evil' } })).toString('base64url');
    assert.equal(await verifyCallMetadata(`${v}.${forged}.${s}`, jwk), undefined);
    assert.equal(await verifyCallMetadata(token, generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'jwk' })), undefined);
    assert.equal(await verifyCallMetadata(token, jwk, Date.now() + 3600e3), undefined, 'expired');
  });
});

describe('replay detection is not fooled by re-spelled signatures', () => {
  test('the high-s twin of a valid ECDSA signature verifies but is still a replay', async () => {
    const pki = await makePki();
    const trust = new TrustStore();
    trust.add(pki.root.cert);
    const content = await startContentServer({ '/cert.pem': serve(pki.chain(pki.leaf, pki.intermediate)) });
    try {
      const v = new PassportVerifier({ trust });
      const h = makeIdentityHeader({ signingKey: pki.leaf.privateKeyPem, x5u: `${content.base}/cert.pem`, claims: { orig: { tn: '15550101' }, dest: { tn: ['15550177'] } } });
      const [token, params] = [h.slice(0, h.indexOf(';')), h.slice(h.indexOf(';'))];
      const [hh, pp, ss] = token.split('.') as [string, string, string];
      const sig = Buffer.from(ss, 'base64url');
      const n = BigInt('0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551');
      const s2 = (n - BigInt('0x' + sig.subarray(32).toString('hex'))).toString(16).padStart(64, '0');
      const twin = `${hh}.${pp}.${Buffer.concat([sig.subarray(0, 32), Buffer.from(s2, 'hex')]).toString('base64url')}${params}`;
      const input = { from: '+15550101', to: '+15550177' };
      assert.equal((await v.verifyIncoming({ ...input, identityHeaders: [h] })).verstat, 'TN-Validation-Passed');
      const again = await v.verifyIncoming({ ...input, identityHeaders: [twin] });
      assert.deepEqual(again.codes, ['replayed']);
    } finally {
      await content.close();
    }
  });
});

describe('bounded fetcher and trust anchors', () => {
  test('with private addresses blocked, loopback URLs are refused before any connection', async () => {
    const f = new BoundedFetcher({ blockPrivateAddresses: true });
    for (const url of ['http://127.0.0.1:9/x.pem', 'http://[::1]:9/x.pem', 'http://localhost:9/x.pem', 'http://10.1.2.3/x.pem']) {
      await assert.rejects(f.fetch(url), (err: Error & { reason?: string }) => err.reason === 'private_address', url);
    }
    await assert.rejects(f.fetch('file:///etc/passwd'), (err: Error & { reason?: string }) => err.reason === 'scheme');
  });

  test('caches by URL for its TTL and refetches after it', async () => {
    let now = 1_000_000;
    const content = await startContentServer({ '/a': serve('A') });
    try {
      const f = new BoundedFetcher({ ttlMs: 1000, now: () => now });
      await f.fetch(`${content.base}/a`);
      await f.fetch(`${content.base}/a`);
      assert.equal(f.fetches, 1);
      now += 1001;
      await f.fetch(`${content.base}/a`);
      assert.equal(f.fetches, 2);
    } finally {
      await content.close();
    }
  });

  test('extra roots from a trust directory make their chains verify', async () => {
    const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const path = await import('node:path');
    const pki = await makePki();
    const dir = mkdtempSync(path.join(tmpdir(), 'sti-trust-'));
    const content = await startContentServer({ '/cert.pem': serve(pki.chain(pki.leaf, pki.intermediate)) });
    try {
      writeFileSync(path.join(dir, 'carrier-root.pem'), pki.root.cert.toString('pem'));
      writeFileSync(path.join(dir, 'README.txt'), 'not a certificate');
      const trust = new TrustStore();
      assert.equal(trust.addDirectory(dir), 1);
      const h = makeIdentityHeader({ signingKey: pki.leaf.privateKeyPem, x5u: `${content.base}/cert.pem`, claims: { orig: { tn: '15550101' }, dest: { tn: ['15550177'] } } });
      const r = await new PassportVerifier({ trust }).verifyIncoming({ identityHeaders: [h], from: '+15550101', to: '+15550177' });
      assert.equal(r.verstat, 'TN-Validation-Passed', r.reasons.join());
    } finally {
      await content.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
