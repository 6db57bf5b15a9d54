import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { BoundedFetcher } from '../../src/branding/bounded-fetcher.js';
import { applyBrandingPolicy, DEFAULT_BRANDING_POLICY } from '../../src/branding/branding-policy.js';
import { privacyWithholds } from '../../src/branding/caller-identity.js';
import { makeIdentityHeader } from '../../src/branding/make-identity-header.js';
import type { PassportClaims, PassportType } from '../../src/branding/passport.js';
import { rcdDigest } from '../../src/branding/rcd-integrity.js';
import { deskPhoneHeaders } from '../../src/branding/sip-verstat.js';
import { createRoot, issueCertificate, type IssuedCertificate } from '../../src/branding/sti-ca.js';
import { TrustStore } from '../../src/branding/trust-store.js';
import { PassportVerifier, type VerificationResult } from '../../src/branding/verifier.js';
import { makePki, PNG, serve, startContentServer } from './sti-fixtures.js';

/**
 * Several Identity headers per call, separate RFC 9795 ppt "rcd" PASSporTs, the
 * calling identity from PAI, number forms, and the tenant policy. Two independent
 * PKIs: the originating carrier's (SHAKEN) and a brand vetting party's (rcd),
 * each with its own root, and each leaf's TNAuthList covering the numbers.
 */
describe('combining Identity headers (RFC 8224 / 8588 / 9795)', () => {
  const ORIG = '12025550123';
  const DEST = '12025550199';
  let carrier: Awaited<ReturnType<typeof makePki>>;
  let vetter: { root: IssuedCertificate; leaf: IssuedCertificate; narrow: IssuedCertificate };
  let content: Awaited<ReturnType<typeof startContentServer>>;
  let trust: TrustStore;

  before(async () => {
    carrier = await makePki([{ range: { start: '12025550100', count: 100 } }]);
    const root = await createRoot('CN=brand vetting root');
    const leaf = await issueCertificate({ subject: 'CN=brand vetting delegate', issuer: root, ca: false, tnAuthList: [{ one: ORIG }] });
    const narrow = await issueCertificate({ subject: 'CN=other brand delegate', issuer: root, ca: false, tnAuthList: [{ one: '12025550999' }] });
    vetter = { root, leaf, narrow };
    content = await startContentServer({
      '/carrier.pem': serve(carrier.chain(carrier.leaf, carrier.intermediate)),
      '/vetter.pem': serve(leaf.cert.toString('pem')),
      '/narrow.pem': serve(narrow.cert.toString('pem')),
      '/logo.png': serve(PNG, 'image/png'),
    });
    trust = new TrustStore();
    trust.add(carrier.root.cert);
    trust.add(root.cert);
  });
  after(() => content.close());

  const verifier = () => new PassportVerifier({ trust, fetcher: new BoundedFetcher({ timeoutMs: 2000 }) });
  const rcd = (nam: string) => ({ rcd: { nam, icn: `${content.base}/logo.png` }, rcdi: { '/icn': rcdDigest(PNG) }, crn: 'Claim update' });
  const shaken = (claims: Partial<PassportClaims> = {}) =>
    makeIdentityHeader({ signingKey: carrier.leaf.privateKeyPem, x5u: `${content.base}/carrier.pem`, claims: { orig: { tn: ORIG }, dest: { tn: [DEST] }, ...claims } });
  const rcdPassport = (claims: Partial<PassportClaims> = {}, signer: 'leaf' | 'narrow' = 'leaf', ppt: PassportType = 'rcd') =>
    makeIdentityHeader({ ppt, signingKey: vetter[signer].privateKeyPem, x5u: `${content.base}/${signer === 'leaf' ? 'vetter' : 'narrow'}.pem`, claims: { orig: { tn: ORIG }, dest: { tn: [DEST] }, ...rcd('Globex Insurance'), ...claims } });
  const verify = (identityHeaders: string[], o: { from?: string; pai?: string[]; to?: string } = {}) =>
    verifier().verifyIncoming({ identityHeaders, from: o.from ?? `<sip:+${ORIG}@gw.example>`, pai: o.pai, to: o.to ?? `+${DEST}` });

  test('an rcd PASSporT alone is verified with its own certificate and gives the brand; it has no attestation', async () => {
    const r = await verify([rcdPassport()]);
    assert.equal(r.verstat, 'TN-Validation-Passed', r.reasons.join('; '));
    assert.equal(r.attest, undefined);
    assert.equal(r.brand?.name, 'Globex Insurance');
    assert.equal(r.brand?.reason, 'Claim update');
    assert.equal(r.brand?.logoDataUri, `data:image/png;base64,${PNG.toString('base64')}`);
    assert.deepEqual(r.passports?.map((p) => p.ppt), ['rcd']);
  });

  test('shaken (attestation) + rcd (brand) in two headers: brand and attestation A, in either order', async () => {
    for (const headers of [[shaken(), rcdPassport()], [rcdPassport(), shaken()]]) {
      const r = await verify(headers);
      assert.equal(r.verstat, 'TN-Validation-Passed', r.reasons.join('; '));
      assert.equal(r.attest, 'A');
      assert.equal(r.brand?.name, 'Globex Insurance');
      assert.deepEqual(r.reasons, []);
    }
  });

  test('a brand in the second valid header is not lost behind a first valid one without rcd', async () => {
    const r = await verify([shaken({ attest: 'A' }), shaken({ ...rcd('Globex Insurance'), origid: 'second' })]);
    assert.equal(r.brand?.name, 'Globex Insurance');
    assert.equal(r.attest, 'A');
  });

  test('the strongest attestation among valid SHAKEN PASSporTs counts; a failed header is reported but does not fail the call', async () => {
    const r = await verify([shaken({ attest: 'C' }), 'garbage', shaken({ attest: 'B', origid: 'b' })]);
    assert.equal(r.verstat, 'TN-Validation-Passed');
    assert.equal(r.attest, 'B');
    assert.deepEqual(r.codes, ['identity_malformed']);
  });

  test("an rcd PASSporT whose certificate does not cover the number gives no brand; the SHAKEN one still verifies", async () => {
    const r = await verify([shaken(), rcdPassport({}, 'narrow')]);
    assert.equal(r.verstat, 'TN-Validation-Passed');
    assert.equal(r.attest, 'A');
    assert.equal(r.brand, undefined);
    assert.deepEqual(r.codes, ['tn_not_authorized']);
    assert.match(r.reasons[0]!, /rcd PASSporT's certificate \(TNAuthList\) does not cover 12025550123/);
  });

  test('valid PASSporTs naming different brands: verified, but no brand is shown (rcd_conflict)', async () => {
    const r = await verify([shaken(rcd('Globex Insurance')), rcdPassport(rcd('Initech Bank'))]);
    assert.equal(r.verstat, 'TN-Validation-Passed');
    assert.equal(r.attest, 'A');
    assert.equal(r.brand, undefined);
    assert.deepEqual(r.codes, ['rcd_conflict']);
    assert.match(r.reasons[0]!, /Globex Insurance \/ Initech Bank/);
    const same = await verify([shaken(rcd('Globex Insurance')), rcdPassport(rcd('globex insurance'))]);
    assert.equal(same.brand?.name, 'Globex Insurance', 'the same name in other case is no conflict');
  });

  test('an rcd PASSporT follows its own rules: rcd required, rcdi checked when present, ppt parameter must match', async () => {
    const noRcd = makeIdentityHeader({ ppt: 'rcd', signingKey: vetter.leaf.privateKeyPem, x5u: `${content.base}/vetter.pem`, claims: { orig: { tn: ORIG }, dest: { tn: [DEST] } } });
    assert.match((await verify([noRcd])).reasons[0]!, /^identity_malformed: a ppt "rcd" PASSporT must carry the rcd claim/);
    const badDigest = await verify([rcdPassport({ rcdi: { '/icn': rcdDigest(Buffer.from('other')) } })]);
    assert.deepEqual(badDigest.codes, ['rcdi_mismatch']);
    const relabelled = rcdPassport().replace('ppt="rcd"', 'ppt="shaken"');
    assert.match((await verify([relabelled])).reasons[0]!, /ppt="shaken" differs from the PASSporT's ppt "rcd"/);
    const withoutRcdi = await verify([rcdPassport({ rcdi: undefined })]);
    assert.equal(withoutRcdi.brand?.name, 'Globex Insurance', 'without rcdi the signed name still shows');
    assert.equal(withoutRcdi.brand?.logoUrl, undefined, '…but not a logo nothing vouches for');
    assert.equal(withoutRcdi.brand?.logoDataUri, undefined);
  });

  test("a vetting party's delegate certificate constrained to one rcd (RFC 9118): that brand verifies, another is refused", async () => {
    const permitted = { nam: 'Globex Insurance', icn: `${content.base}/logo.png` };
    const constrained = await issueCertificate({
      subject: 'CN=Globex only',
      issuer: vetter.root,
      ca: false,
      tnAuthList: [{ one: ORIG }],
      claimConstraints: { mustInclude: ['rcd'], permittedValues: { rcd: [JSON.stringify(permitted)] } },
    });
    content.routes['/constrained.pem'] = serve(constrained.cert.toString('pem'));
    const signed = (nam: string) =>
      makeIdentityHeader({ ppt: 'rcd', signingKey: constrained.privateKeyPem, x5u: `${content.base}/constrained.pem`, claims: { orig: { tn: ORIG }, dest: { tn: [DEST] }, ...rcd(nam) } });
    const ok = await verify([signed('Globex Insurance')]);
    assert.equal(ok.brand?.name, 'Globex Insurance', ok.reasons.join('; '));
    const other = await verify([signed('Initech Bank')]);
    assert.equal(other.verstat, 'TN-Validation-Failed');
    assert.deepEqual(other.codes, ['claims_not_permitted']);
    assert.match(other.reasons[0]!, /does not permit this value of rcd/);
  });

  test('an attest claim inside an rcd PASSporT is not the call\'s attestation', async () => {
    const r = await verify([rcdPassport({ attest: 'A' })]);
    assert.equal(r.verstat, 'TN-Validation-Passed');
    assert.equal(r.attest, undefined);
  });

  test('orig is compared with P-Asserted-Identity when present, not with From', async () => {
    const viaPai = await verify([shaken()], { from: '"Anonymous" <sip:anonymous@anonymous.invalid>', pai: [`<sip:+${ORIG}@carrier.example;user=phone>`] });
    assert.equal(viaPai.verstat, 'TN-Validation-Passed', viaPai.reasons.join('; '));
    assert.equal(viaPai.caller?.source, 'P-Asserted-Identity');
    const mismatch = await verify([shaken()], { from: `<sip:+${ORIG}@gw.example>`, pai: ['<sip:+12025550124@carrier.example;user=phone>'] });
    assert.deepEqual(mismatch.codes, ['orig_mismatch']);
    assert.match(mismatch.reasons[0]!, /orig\.tn 12025550123 is not the calling number 12025550124 \(P-Asserted-Identity sip:\+12025550124@carrier\.example;user=phone\)/);
  });

  test('number forms: a 10-digit national From, a "+" in orig, a tel URI with separators; clear reasons otherwise', async () => {
    assert.equal((await verify([shaken()], { from: '<sip:2025550123@gw.example>' })).verstat, 'TN-Validation-Passed');
    assert.equal((await verify([shaken({ orig: { tn: `+${ORIG}` }, dest: { tn: [`+${DEST}`] } })])).verstat, 'TN-Validation-Passed');
    assert.equal((await verify([shaken()], { from: '<tel:+1-202-555-0123>', to: '(202) 555-0199' })).verstat, 'TN-Validation-Passed');
    const notTn = await verify([shaken()], { from: '<sip:alice@example.com>' });
    assert.match(notTn.reasons[0]!, /^orig_mismatch: the calling identity \(From sip:alice@example\.com\) is not a telephone number/);
    const badOrig = await verify([shaken({ orig: { tn: 'alice' } })]);
    assert.match(badOrig.reasons[0]!, /^identity_malformed: orig\.tn: "alice" is not a telephone number/);
  });
});

describe('caller privacy (RFC 3323 / RFC 3325)', () => {
  test('Privacy: id (or header, user) withholds the caller from the callee; none and session do not', () => {
    assert.equal(privacyWithholds(['id']), true);
    assert.equal(privacyWithholds(['header;user']), true);
    assert.equal(privacyWithholds(['ID; critical']), true);
    assert.equal(privacyWithholds(['none']), false);
    assert.equal(privacyWithholds(['session']), false);
    assert.equal(privacyWithholds([]), false);
  });

  test('a withheld caller is verified but reaches the desk phone as Anonymous, with no brand and no carrier name', () => {
    const verified: VerificationResult = {
      verstat: 'TN-Validation-Passed',
      attest: 'A',
      brand: { name: 'Globex Insurance', logoUrl: 'https://x/logo.png' },
      reasons: [],
      codes: [],
      caller: { uri: 'sip:+12025550123@carrier', source: 'P-Asserted-Identity', tn: '12025550123', displayName: 'GLOBEX INS', withheld: true },
    };
    const r = applyBrandingPolicy(verified, DEFAULT_BRANDING_POLICY);
    assert.equal(r.verstat, 'TN-Validation-Passed');
    assert.equal(r.brand, undefined);
    assert.equal(r.callerName, undefined);
    assert.match(r.brandWithheld!, /privacy/);
    assert.deepEqual(deskPhoneHeaders(r, 'sip:anonymous@anonymous.invalid'), { 'P-Asserted-Identity': '"Anonymous" <sip:anonymous@anonymous.invalid>' });
  });
});

describe('tenant branding policy', () => {
  const passed = (attest: 'A' | 'B' | 'C' | undefined): VerificationResult => ({
    verstat: 'TN-Validation-Passed',
    attest,
    brand: { name: 'Globex Insurance', logoUrl: 'https://x/logo.png' },
    reasons: [],
    codes: [],
    caller: { uri: 'sip:+12025550123@gw', source: 'From', tn: '12025550123', displayName: 'GLOBEX INS' },
  });

  test('by default only A-attested (or rcd-only) calls keep their brand; B and C are withheld with a reason', () => {
    assert.equal(applyBrandingPolicy(passed('A'), DEFAULT_BRANDING_POLICY).brand?.name, 'Globex Insurance');
    assert.equal(applyBrandingPolicy(passed(undefined), DEFAULT_BRANDING_POLICY).brand?.name, 'Globex Insurance');
    for (const attest of ['B', 'C'] as const) {
      const r = applyBrandingPolicy(passed(attest), DEFAULT_BRANDING_POLICY);
      assert.equal(r.brand, undefined);
      assert.match(r.brandWithheld!, new RegExp(`attestation ${attest}: this tenant shows brands on A-attested calls only`));
      assert.equal(r.callerName, 'GLOBEX INS', 'the carrier name still passes, as unverified');
    }
    assert.equal(applyBrandingPolicy(passed('B'), { brandAttestations: ['A', 'B'], unverifiedNames: true }).brand?.name, 'Globex Insurance');
  });

  test('an unverified carrier name reaches the desk phone marked, only without a brand, only for numbers, only when allowed', () => {
    const unverified: VerificationResult = { verstat: 'No-TN-Validation', reasons: [], codes: [], caller: { uri: 'sip:+12025550123@gw', source: 'From', tn: '12025550123', displayName: 'GLOBEX\u202e INS\u0007' } };
    const r = applyBrandingPolicy(unverified, DEFAULT_BRANDING_POLICY);
    assert.equal(r.callerName, 'GLOBEX INS', 'control and bidi characters removed');
    assert.deepEqual(deskPhoneHeaders(r, 'sip:ignored@x'), { 'P-Asserted-Identity': '"Unverified: GLOBEX INS" <sip:+12025550123;verstat=No-TN-Validation@gw>' });
    assert.equal(applyBrandingPolicy(unverified, { ...DEFAULT_BRANDING_POLICY, unverifiedNames: false }).callerName, undefined);
    assert.equal(applyBrandingPolicy({ ...unverified, verstat: 'TN-Validation-Failed' }, DEFAULT_BRANDING_POLICY).callerName, undefined, 'a failed call passes no name');
    assert.equal(applyBrandingPolicy(passed('A'), DEFAULT_BRANDING_POLICY).callerName, undefined, 'a brand replaces the carrier name');
    const sipCaller = applyBrandingPolicy({ ...unverified, caller: { uri: 'sip:alice@pbx', source: 'From', problem: 'x', displayName: 'Alice' } }, DEFAULT_BRANDING_POLICY);
    assert.equal(sipCaller.callerName, undefined);
    const branded = applyBrandingPolicy(passed('A'), DEFAULT_BRANDING_POLICY);
    assert.deepEqual(deskPhoneHeaders(branded, 'sip:ignored@x'), { 'P-Asserted-Identity': '"Globex Insurance" <sip:+12025550123;verstat=TN-Validation-Passed@gw>', 'Call-Info': '<https://x/logo.png>;purpose=icon' });
  });
});
