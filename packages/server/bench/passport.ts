/**
 * STIR/SHAKEN PASSporT throughput on one core: signs/s (full Identity header
 * with SHAKEN + RCD claims) and verifies/s (header parse, claim checks, ES256
 * verify against the cached x5u chain, TNAuthList, rcdi via the cached fetcher,
 * replay cache), calls/s with two Identity headers (SHAKEN + a separate RFC 9795
 * rcd PASSporT, combined), next to `openssl speed ecdsap256` run before and after in
 * the same run, and Node's raw one-shot verify of the same token. Goal:
 * verification ≥ 50% of openssl's raw ECDSA verify rate.
 *
 *   node --import tsx bench/passport.ts [seconds]
 */
import { execFileSync } from 'node:child_process';
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { BoundedFetcher } from '../src/branding/bounded-fetcher.js';
import { parseIdentityHeader } from '../src/branding/identity-header.js';
import { parseJws, verifyJwsSignature } from '../src/branding/jws.js';
import { makeIdentityHeader } from '../src/branding/make-identity-header.js';
import { rcdDigest } from '../src/branding/rcd-integrity.js';
import { TrustStore } from '../src/branding/trust-store.js';
import { PassportVerifier } from '../src/branding/verifier.js';
import { makePki, PNG, serve, startContentServer } from '../test/branding/sti-fixtures.js';
import { round } from './_stats.js';

const seconds = Number(process.argv[2] ?? 3);

function opensslSpeed(): { signsPerSec: number; verifiesPerSec: number } {
  // -elapsed: per wall-clock second, as everything else here is measured. Without it openssl divides by its
  // own CPU time, which on a loaded shared machine inflates its rate several times over ours.
  const out = execFileSync('openssl', ['speed', '-elapsed', '-seconds', String(seconds), 'ecdsap256'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  // "256 bits ecdsa (nistp256)   0.0000s   0.0001s  45000.1  15000.2"
  const m = /256 bits ecdsa \(nistp256\)\s+\S+\s+\S+\s+([\d.]+)\s+([\d.]+)/.exec(out);
  if (!m) throw new Error(`cannot read openssl speed output:\n${out}`);
  return { signsPerSec: Number(m[1]), verifiesPerSec: Number(m[2]) };
}

const opensslBefore = opensslSpeed();

const pki = await makePki();
const jcard = Buffer.from('["vcard",[["fn",{},"text","Acme Bank"]]]');
const content = await startContentServer({
  '/cert.pem': serve(pki.chain(pki.leaf, pki.intermediate)),
  '/logo.png': serve(PNG, 'image/png'),
  '/card.json': serve(jcard, 'application/json'),
});
const trust = new TrustStore();
trust.add(pki.root.cert);
const verifier = new PassportVerifier({ trust, fetcher: new BoundedFetcher() });
const key = createPrivateKey(pki.leaf.privateKeyPem);
const rcdi = { '/icn': rcdDigest(PNG), '/jcl': rcdDigest(jcard) };

let n = 0;
const sign = () =>
  makeIdentityHeader({
    signingKey: key,
    x5u: `${content.base}/cert.pem`,
    claims: {
      orig: { tn: '15550101' },
      dest: { tn: ['15550177'] },
      origid: `00000000-0000-4000-8000-${String(n++).padStart(12, '0')}`,
      rcd: { nam: 'Acme Bank', icn: `${content.base}/logo.png`, jcl: `${content.base}/card.json` },
      rcdi,
      crn: 'Your card delivery',
    },
  });
const input = { from: '+15550101', to: '+15550177' };

// Warm-up: fills the chain and content caches, as on a live trunk.
const warm = await verifier.verifyIncoming({ ...input, identityHeaders: [sign()] });
if (warm.verstat !== 'TN-Validation-Passed') throw new Error(`warm-up failed: ${warm.reasons.join('; ')}`);

const headers: string[] = [];
let t0 = performance.now();
while (performance.now() - t0 < seconds * 1000) headers.push(sign());
const signsPerSec = headers.length / ((performance.now() - t0) / 1000);

let verified = 0;
t0 = performance.now();
for (const h of headers) {
  const r = await verifier.verifyIncoming({ ...input, identityHeaders: [h] });
  if (r.verstat !== 'TN-Validation-Passed') throw new Error(`verification failed: ${r.reasons.join('; ')}`);
  verified++;
  if (performance.now() - t0 > seconds * 1000) break;
}
const verifiesPerSec = verified / ((performance.now() - t0) / 1000);

// A call as carriers send it with a vetted brand: a SHAKEN PASSporT (attestation) and a separate
// RFC 9795 ppt "rcd" one (the brand) in two Identity headers, both verified and combined.
const pairs: string[][] = [];
for (let i = 0; i < Math.min(headers.length, 20_000); i++) {
  const shaken = makeIdentityHeader({ signingKey: key, x5u: `${content.base}/cert.pem`, claims: { orig: { tn: '15550101' }, dest: { tn: ['15550177'] }, origid: `10000000-0000-4000-8000-${String(i).padStart(12, '0')}` } });
  const rcd = makeIdentityHeader({
    ppt: 'rcd',
    signingKey: key,
    x5u: `${content.base}/cert.pem`,
    claims: { orig: { tn: '15550101' }, dest: { tn: ['15550177'] }, iat: Math.floor(Date.now() / 1000) - (i % 30), rcd: { nam: 'Acme Bank', icn: `${content.base}/logo.png`, jcl: `${content.base}/card.json`, jcd: i }, rcdi, crn: 'Your card delivery' },
  });
  pairs.push([shaken, rcd]);
}
let calls = 0;
t0 = performance.now();
for (const identityHeaders of pairs) {
  const r = await verifier.verifyIncoming({ ...input, identityHeaders });
  if (r.verstat !== 'TN-Validation-Passed' || r.attest !== 'A' || !r.brand) throw new Error(`two-header verification failed: ${r.reasons.join('; ')}`);
  calls++;
  if (performance.now() - t0 > seconds * 1000) break;
}
const twoHeaderCallsPerSec = calls / ((performance.now() - t0) / 1000);
await content.close();

// Node's own one-shot ES256 verify of the same bytes: separates our pipeline's cost from the machine's load.
const jws = parseJws(parseIdentityHeader(headers[0]!).token);
const leafKey = createPublicKey(key);
let raw = 0;
t0 = performance.now();
while (performance.now() - t0 < seconds * 1000) {
  verifyJwsSignature(jws, leafKey);
  raw++;
}
const nodeRawVerifiesPerSec = raw / ((performance.now() - t0) / 1000);
// openssl again after: the machine is shared, so its load drifts; compare against the mean.
const opensslAfter = opensslSpeed();
const openssl = {
  signsPerSec: (opensslBefore.signsPerSec + opensslAfter.signsPerSec) / 2,
  verifiesPerSec: (opensslBefore.verifiesPerSec + opensslAfter.verifiesPerSec) / 2,
};

console.log(
  JSON.stringify({
    bench: 'passport',
    seconds,
    signsPerSec: Math.round(signsPerSec),
    verifiesPerSec: Math.round(verifiesPerSec),
    twoHeaderCallsPerSec: Math.round(twoHeaderCallsPerSec),
    openssl: { signsPerSec: Math.round(openssl.signsPerSec), verifiesPerSec: Math.round(openssl.verifiesPerSec), verifiesBefore: Math.round(opensslBefore.verifiesPerSec), verifiesAfter: Math.round(opensslAfter.verifiesPerSec) },
    nodeRawVerifiesPerSec: Math.round(nodeRawVerifiesPerSec),
    pipelineShareOfRawVerify: round(verifiesPerSec / nodeRawVerifiesPerSec),
    signRatio: round(signsPerSec / openssl.signsPerSec),
    verifyRatio: round(verifiesPerSec / openssl.verifiesPerSec),
    goalVerifyRatio: 0.5,
  }),
);
