import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startBaresip, type Baresip } from '../helpers/baresip.js';
import { callScenario, runSipp, startSippUas } from '../helpers/sipp.js';
import { removeSeededBrands, startTestServer, type TestServer } from '../helpers/test-server.js';
import { waitFor } from '../helpers/wait.js';

const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000 1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082'.replace(/ /g, ''), 'hex');

/** The header block of every INVITE in a SIP trace (baresip -s, sipp -trace_msg), in order. */
function invitesIn(trace: string): string[] {
  return [...trace.matchAll(/^INVITE sip:[\s\S]*?(?=\r?\n\r?\n)/gm)].map((m) => m[0]);
}
const header = (invite: string, name: string) => new RegExp(`^${name}:\\s*(.*?)\\r?$`, 'im').exec(invite)?.[1];

/**
 * STIR/SHAKEN with real SIP peers on both sides of callsight:
 * - inbound: a carrier (sipp) calls the customer's number with an Identity header and
 *   the customer's desk phone (baresip) gets the verified result the way desk phones
 *   read it — verstat on P-Asserted-Identity, the brand as display name, the logo in Call-Info;
 * - outbound: a call callsight places from the brand's number carries an Identity
 *   header that a verifier accepts.
 */
describe('branded calls with SIP desk phones (sipp carrier, baresip, sipp UAS)', () => {
  let s: TestServer;
  let port: number;
  let admin: string;

  before(async () => {
    s = await startTestServer();
    port = s.ctx.services.get('telephony').endpoint.ports.udp;
    admin = await s.login('admin@acme.test');
    await removeSeededBrands(s);
    const brand = await s.api('POST', '/api/branding/brands', {
      cookie: admin,
      body: { name: 'Acme Bank', logo: { dataBase64: PNG.toString('base64'), mime: 'image/png' }, reasons: ['Card delivery'], numbers: ['+15550101'], content: { kind: 'order', title: 'Card delivery' } },
    });
    assert.equal(brand.status, 201, JSON.stringify(brand.body));
  });
  after(async () => {
    await s.destroy();
  });

  const sign = async () => {
    const signed = await s.api('POST', '/api/branding/sign', { cookie: admin, body: { from: '+15550101', to: '+15550100' } });
    assert.equal(signed.status, 200, JSON.stringify(signed.body));
    return signed.body.identityHeader as string;
  };

  describe('inbound to a desk phone', () => {
    /**
     * Carrier calls (sipp) to +15550100 that the customer's only phone, baresip, answers
     * automatically; the carrier hangs up after a second. Resolves with the INVITEs the
     * phone received, one per call (retransmissions share a Call-ID).
     */
    async function deskPhoneReceives(calls: { identity?: string; fromUser?: string; fromName?: string; headers?: string[] }[]): Promise<string[]> {
      const phone = startBaresip({ account: `<sip:customer@127.0.0.1:${port}>;auth_pass=demo;regint=60;answermode=auto`, seconds: 25, sipTrace: true });
      try {
        const registrations = s.ctx.services.get('telephony').registrations;
        await waitFor(async () => (await registrations.reachable('customer')).length > 0, 8000, 'baresip registered as customer');
        for (const c of calls) {
          const headers = [...(c.identity ? [`Identity: ${c.identity}`] : []), ...(c.headers ?? [])];
          const r = await runSipp({ scenario: callScenario({ pauseMs: 1000, waitMs: 100, fromUser: c.fromUser ?? '+15550101', fromName: c.fromName, headers }), port, service: '+15550100', timeoutSec: 15 });
          assert.equal(r.code, 0, r.stdout + r.stderr);
        }
      } finally {
        phone.kill();
      }
      const { stdout } = await phone.done;
      const invites = [...new Map(invitesIn(stdout).map((inv) => [header(inv, 'Call-ID'), inv])).values()];
      assert.equal(invites.length, calls.length, `baresip received ${calls.length} INVITEs:\n${stdout.slice(-3000)}`);
      return invites;
    }

    test('a verified call shows the brand name, verstat and logo; a tampered one shows neither brand nor logo', async () => {
      const signed = await sign();
      const [jws, ...params] = signed.split(';');
      const [h, payload, sig] = jws.split('.');
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
      claims.orig.tn = '15550101';
      claims.iat -= 1;
      const tampered = [[h, Buffer.from(JSON.stringify(claims)).toString('base64url'), sig].join('.'), ...params].join(';');
      const [verified, failed] = await deskPhoneReceives([{ identity: await sign() }, { identity: tampered, fromName: 'Acme Bank' }]);

      const pai = header(verified, 'P-Asserted-Identity') ?? '';
      assert.match(pai, /^"Acme Bank" <sip:\+15550101;verstat=TN-Validation-Passed@/, pai);
      const callInfo = header(verified, 'Call-Info') ?? '';
      const logo = /<(https?:\/\/[^>]+)>;purpose=icon(?:,|$)/.exec(callInfo)?.[1];
      assert.ok(logo, `Call-Info points at the logo: ${callInfo}`);
      const fetched = await fetch(logo);
      assert.equal(fetched.headers.get('content-type'), 'image/png');
      assert.deepEqual(Buffer.from(await fetched.arrayBuffer()), PNG, 'the Call-Info icon is the brand logo');

      // A call that failed verification passes on neither the brand nor the spoofer's own display name.
      const failedPai = header(failed, 'P-Asserted-Identity') ?? '';
      assert.match(failedPai, /^<sip:\+15550101;verstat=TN-Validation-Failed@/, failedPai);
      assert.equal(header(failed, 'Call-Info'), undefined);
      assert.doesNotMatch(failed, /Acme Bank/);
    });

    test("an unsigned carrier call's CNAM reaches the phone marked unverified; with the policy off, only the number", async () => {
      const [marked] = await deskPhoneReceives([{ fromName: 'GLOBEX INS' }]);
      assert.match(header(marked, 'P-Asserted-Identity') ?? '', /^"Unverified: GLOBEX INS" <sip:\+15550101;verstat=No-TN-Validation@/, marked);
      const put = await s.api('PUT', '/api/branding/policy', { cookie: admin, body: { brandAttestations: ['A'], unverifiedNames: false } });
      assert.equal(put.status, 200, JSON.stringify(put.body));
      try {
        const [plain] = await deskPhoneReceives([{ fromName: 'GLOBEX INS' }]);
        assert.match(header(plain, 'P-Asserted-Identity') ?? '', /^<sip:\+15550101;verstat=No-TN-Validation@/, plain);
        assert.doesNotMatch(header(plain, 'P-Asserted-Identity') ?? '', /GLOBEX/);
      } finally {
        await s.api('PUT', '/api/branding/policy', { cookie: admin, body: { brandAttestations: ['A'], unverifiedNames: true } });
      }
    });

    test("the phone's P-Asserted-Identity is the identity that was verified: the carrier's PAI, not an anonymous From; with Privacy: id, neither", async () => {
      const pai = 'P-Asserted-Identity: <sip:+15550101@carrier.example;user=phone>';
      const [invite, privateCall] = await deskPhoneReceives([
        { identity: await sign(), fromUser: 'anonymous', fromName: 'Anonymous', headers: [pai] },
        { identity: await sign(), fromUser: 'anonymous', fromName: 'Anonymous', headers: [pai, 'Privacy: id'] },
      ]);
      assert.match(header(invite, 'P-Asserted-Identity') ?? '', /^"Acme Bank" <sip:\+15550101;verstat=TN-Validation-Passed@carrier\.example;user=phone>$/, invite);
      // The caller asked to be withheld (RFC 3325): the phone learns neither the number nor the brand.
      assert.equal(header(privateCall, 'P-Asserted-Identity'), '"Anonymous" <sip:anonymous@anonymous.invalid>', privateCall);
      assert.doesNotMatch(privateCall, /15550101|Acme Bank/);
      const verified = (await s.api('GET', '/api/events?types=branding.verified', { cookie: admin })).body.items.at(-1).data;
      assert.equal(verified.verstat, 'TN-Validation-Passed', 'still verified and audited');
      assert.match(verified.brandWithheld, /privacy/);
    });
  });

  test('a call placed from the brand number to a SIP URI with a telephone number carries a valid Identity header', async () => {
    const uas = startSippUas({ timeoutSec: 20 });
    try {
      await new Promise((r) => setTimeout(r, 300)); // sipp binds its port
      const placed = await s.api('POST', '/api/calls', { cookie: admin, body: { to: `sip:+15550100@127.0.0.1:${uas.port}`, from: '+15550101' } });
      assert.equal(placed.status, 201, JSON.stringify(placed.body));
      const callId = placed.body.id as string;
      await waitFor(async () => (await s.api('GET', `/api/calls/${callId}`, { cookie: admin })).body.state === 'answered', 8000, 'sipp answered');
      assert.equal((await s.api('POST', `/api/calls/${callId}/hangup`, { cookie: admin, body: {} })).status < 300, true);
      const r = await uas.done;
      assert.equal(r.code, 0, r.stdout + r.stderr);

      const [invite] = invitesIn(uas.messages());
      assert.ok(invite, 'sipp logged the INVITE');
      const identity = header(invite, 'Identity');
      assert.ok(identity, `the INVITE is signed:\n${invite}`);
      const result = await s.ctx.services.get('branding').verifyIncoming({ tenantId: (await s.api('GET', '/api/me', { cookie: admin })).body.tenant.id, identityHeaders: [identity], from: '+15550101', to: '+15550100' });
      assert.equal(result.verstat, 'TN-Validation-Passed', JSON.stringify(result));
      assert.equal(result.brand?.name, 'Acme Bank');
    } finally {
      uas.kill();
    }
  });

  test('a call from a number no brand owns goes unsigned', async () => {
    const uas = startSippUas({ timeoutSec: 20 });
    try {
      await new Promise((r) => setTimeout(r, 300));
      const placed = await s.api('POST', '/api/calls', { cookie: admin, body: { to: `sip:+15550100@127.0.0.1:${uas.port}`, from: '+15550199' } });
      assert.equal(placed.status, 201, JSON.stringify(placed.body));
      const callId = placed.body.id as string;
      await waitFor(async () => (await s.api('GET', `/api/calls/${callId}`, { cookie: admin })).body.state === 'answered', 8000, 'sipp answered');
      await s.api('POST', `/api/calls/${callId}/hangup`, { cookie: admin, body: {} });
      assert.equal((await uas.done).code, 0);
      const [invite] = invitesIn(uas.messages());
      assert.ok(invite, 'sipp logged the INVITE');
      assert.equal(header(invite, 'Identity'), undefined);
    } finally {
      uas.kill();
    }
  });
});
