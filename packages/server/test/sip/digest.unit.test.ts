import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseAuthHeader } from '../../src/sip/auth-header.js';
import {
  checkNonce,
  computeHa1,
  createAuthorization,
  createChallenge,
  createNonce,
  digestResponse,
  parseDigestCredentials,
  verifyDigest,
} from '../../src/sip/digest.js';

test('RFC 2617 3.5 example (MD5, qop=auth)', () => {
  const response = digestResponse({
    algorithm: 'MD5', username: 'Mufasa', realm: 'testrealm@host.com', secret: { password: 'Circle Of Life' }, method: 'GET',
    uri: '/dir/index.html', nonce: 'dcd98b7102dd2f0e8b11d0f600bfb0c093', qop: 'auth', nc: '00000001', cnonce: '0a4f113b',
  });
  assert.equal(response, '6629fae49393a05397450978507c4ef1');
});

test('RFC 7616 3.9.1 examples (MD5 and SHA-256), from the challenge text', () => {
  const challenge = 'Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=SHA-256, nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"';
  const creds = { method: 'GET', uri: '/dir/index.html', username: 'Mufasa', password: 'Circle of Life', cnonce: 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ', nc: 1 };
  const sha = parseAuthHeader(createAuthorization(challenge, creds));
  assert.equal(sha.params.get('response'), '753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1');
  assert.equal(sha.params.get('opaque'), 'FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS');
  assert.equal(sha.params.get('nc'), '00000001');
  const md5 = parseAuthHeader(createAuthorization(challenge.replace('SHA-256', 'MD5'), creds));
  assert.equal(md5.params.get('response'), '8ca523f5e9506fed4657c9700eebdbec');
});

const SECRET = 'server-secret';
const REALM = 'callsight.example';
const T0 = Date.UTC(2026, 0, 1);

function register(opts: { algorithm?: 'MD5' | 'SHA-256'; now?: number; password?: string } = {}) {
  const challenge = createChallenge({ realm: REALM, secret: SECRET, algorithm: opts.algorithm, now: T0 });
  const value = createAuthorization(challenge, { method: 'REGISTER', uri: 'sip:callsight.example', username: 'alice', password: opts.password ?? 'pw' });
  const creds = parseDigestCredentials(parseAuthHeader(value));
  assert.ok(creds);
  return creds;
}

test('server verifies a client response for both algorithms, with password or stored HA1', () => {
  for (const algorithm of ['MD5', 'SHA-256'] as const) {
    const creds = register({ algorithm });
    assert.equal(creds.algorithm, algorithm);
    const base = { realm: REALM, secret: SECRET, method: 'REGISTER', now: T0 + 1000, requestUri: 'sip:callsight.example' };
    assert.deepEqual(verifyDigest(creds, { ...base, secretFor: { password: 'pw' } }), { ok: true });
    assert.deepEqual(verifyDigest(creds, { ...base, secretFor: { ha1: computeHa1(algorithm, 'alice', REALM, 'pw') } }), { ok: true });
    assert.deepEqual(verifyDigest(creds, { ...base, secretFor: { password: 'wrong' } }), { ok: false, reason: 'bad-response' });
    assert.deepEqual(verifyDigest(creds, { ...base, method: 'INVITE', secretFor: { password: 'pw' } }), { ok: false, reason: 'bad-response' });
    assert.deepEqual(verifyDigest(creds, { ...base, requestUri: 'sip:other', secretFor: { password: 'pw' } }), { ok: false, reason: 'uri' });
  }
});

test('expired nonces are stale, forged or foreign ones rejected', () => {
  const ctx = { realm: REALM, secret: SECRET, now: T0 };
  const nonce = createNonce(ctx);
  assert.equal(checkNonce(nonce, { ...ctx, maxAgeSeconds: 60, now: T0 + 59_000 }), 'valid');
  assert.equal(checkNonce(nonce, { ...ctx, maxAgeSeconds: 60, now: T0 + 61_000 }), 'stale');
  assert.equal(checkNonce(nonce, { ...ctx, secret: 'other', maxAgeSeconds: 60 }), 'forged');
  assert.equal(checkNonce(nonce, { ...ctx, realm: 'other', maxAgeSeconds: 60 }), 'forged');
  assert.equal(checkNonce(nonce, { ...ctx, maxAgeSeconds: 60, now: T0 - 60_000 }), 'forged');
  const raw = Buffer.from(nonce, 'base64url');
  raw.writeBigUInt64BE(BigInt(T0 + 3_600_000), 0); // extend its life without the secret
  assert.equal(checkNonce(raw.toString('base64url'), { ...ctx, maxAgeSeconds: 60 }), 'forged');
  assert.equal(checkNonce('dcd98b7102dd2f0e8b11d0f600bfb0c093', { ...ctx, maxAgeSeconds: 60 }), 'forged');

  const creds = register();
  const base = { realm: REALM, secret: SECRET, method: 'REGISTER', secretFor: { password: 'pw' } };
  assert.deepEqual(verifyDigest(creds, { ...base, now: T0 + 301_000 }), { ok: false, reason: 'stale-nonce' });
  assert.deepEqual(verifyDigest(creds, { ...base, now: T0, maxNonceAgeSeconds: 600, secret: 'rotated' }), { ok: false, reason: 'forged-nonce' });
});

test('the nc hook rejects replays', () => {
  const creds = register();
  const seen = new Map<string, number>();
  const acceptNonceCount = (nonce: string, nc: number) => {
    if ((seen.get(nonce) ?? 0) >= nc) return false;
    seen.set(nonce, nc);
    return true;
  };
  const opts = { realm: REALM, secret: SECRET, method: 'REGISTER', secretFor: { password: 'pw' }, now: T0, acceptNonceCount };
  assert.deepEqual(verifyDigest(creds, opts), { ok: true });
  assert.deepEqual(verifyDigest(creds, opts), { ok: false, reason: 'replay' });
});

test('challenge header shape', () => {
  const c = parseAuthHeader(createChallenge({ realm: REALM, secret: SECRET, stale: true, opaque: 'o' }));
  assert.equal(c.scheme, 'Digest');
  assert.equal(c.params.get('algorithm'), 'SHA-256');
  assert.equal(c.params.get('qop'), 'auth');
  assert.equal(c.params.get('stale'), 'true');
  assert.equal(c.params.get('realm'), REALM);
  assert.equal(parseDigestCredentials(parseAuthHeader('Basic dXNlcjpwdw==')), undefined);
  assert.equal(parseAuthHeader('Basic dXNlcjpwdw==').token68, 'dXNlcjpwdw==');
});
