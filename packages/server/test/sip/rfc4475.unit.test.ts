import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SipParseError } from '../../src/sip/errors.js';
import * as h from '../../src/sip/message.js';
import type { SipMessage, SipRequest, SipResponse } from '../../src/sip/message.js';
import { parseMessage } from '../../src/sip/parser.js';
import { parseDigestCredentials } from '../../src/sip/digest.js';
import { validateRequest, validateResponse } from '../../src/sip/validate.js';
import { loadTortureMessages, readVerdicts } from './torture-messages.js';

const messages = loadTortureMessages();
const verdicts = readVerdicts();

type Expectation =
  | { verdict: 'valid'; facts?: (m: SipMessage) => void }
  /** Rejected: parse throws SipParseError, or validation answers 400 (requests) / discards (responses). */
  | { verdict: 'invalid'; status?: number }
  /** Parses, and validation answers this status. */
  | { verdict: 'status'; status: number; facts?: (m: SipMessage) => void };

const req = (m: SipMessage) => {
  assert.equal(m.kind, 'request');
  return m as SipRequest;
};
const res = (m: SipMessage) => {
  assert.equal(m.kind, 'response');
  return m as SipResponse;
};
const sipUser = (u: ReturnType<typeof h.getTo>) => {
  assert.ok(u && u.uri.kind === 'sip');
  return u.uri.kind === 'sip' ? u.uri.user : undefined;
};

const EXPECTED: Record<string, Expectation> = {
  'wsinv.dat': {
    verdict: 'valid',
    facts: (m) => {
      assert.equal(h.getCallId(m), 'wsinv.ndaksdj@192.0.2.1');
      assert.equal(h.getTo(m)?.tag, '1918181833n');
      assert.equal(h.getFrom(m)?.displayName, 'J Rosenberg \\"');
      assert.equal(h.getFrom(m)?.tag, '98asjd8');
      assert.equal(h.getMaxForwards(m), 68);
      assert.deepEqual(h.getCSeq(m), { seq: 9, method: 'INVITE' });
      assert.deepEqual(h.getVias(m).map((v) => [v.transport, v.host, v.branch]), [
        ['UDP', '192.0.2.2', '390skdjuw'],
        ['TCP', 'spindle.example.com', 'z9hG4bK9ikj8'],
        ['UDP', '192.168.255.111', 'z9hG4bK30239'],
      ]);
      const contacts = h.getContacts(m);
      assert.ok(contacts !== '*');
      assert.equal(contacts[0].displayName, 'Quoted string ""');
      assert.equal(contacts[0].q, 0.33);
      assert.equal(contacts[0].params.get('newparam'), 'newvalue');
      assert.equal(h.getHeader(m, 'NewFangledHeader'), 'newfangled value continued newfangled value');
      assert.equal(h.getHeader(m, 'Subject'), '');
      const route = h.getRoutes(m)[0].uri;
      assert.ok(route.kind === 'sip' && route.params.has('lr'));
      assert.equal(m.body.length, 150);
    },
  },
  'intmeth.dat': {
    verdict: 'valid',
    facts: (m) => {
      const r = req(m);
      assert.equal(r.method, "!interesting-Method0123456789_*+`.%indeed'~");
      assert.ok(r.uri.kind === 'sip');
      assert.equal(r.uri.user, "1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*");
      assert.equal(r.uri.password, "&it+has=1,weird!*pas$wo~d_too.(doesn't-it)");
      assert.equal(h.getTo(m)?.displayName, 'BEL:\x07 NUL:\x00 DEL:\x7f');
      assert.equal(h.getFrom(m)?.displayName, "token1~` token2'+_ token3*%!.-");
      assert.equal(h.getFrom(m)?.tag, "_token~1'+`*%!-.");
      assert.equal(h.getCallId(m), 'intmeth.word%ZK-!.*_+\'@word`~)(><:\\/"][?}{');
      assert.equal(h.getMaxForwards(m), 255);
      assert.equal(h.getHeader(m, "extensionHeader-!.%*+_`'~"), '\uFEFF大停電');
    },
  },
  'esc01.dat': {
    verdict: 'valid',
    facts: (m) => {
      const r = req(m);
      assert.ok(r.uri.kind === 'sip' && r.uri.user === 'sips:user@example.com');
      assert.equal(sipUser(h.getTo(m)), 'user');
      assert.equal(sipUser(h.getFrom(m)), 'I have spaces');
      const contacts = h.getContacts(m);
      assert.ok(contacts !== '*' && contacts[0].uri.kind === 'sip');
      assert.equal(contacts[0].uri.user, 'caller');
      assert.deepEqual([...contacts[0].uri.params], [['lr', null], ['name', 'value%41']]);
    },
  },
  'escnull.dat': {
    verdict: 'valid',
    facts: (m) => {
      assert.equal(sipUser(h.getTo(m)), 'null-\0-null');
      const contacts = h.getContacts(m);
      assert.ok(contacts !== '*');
      assert.deepEqual(contacts.map((c) => (c.uri.kind === 'sip' ? c.uri.user : '')), ['\0', '\0\0']);
    },
  },
  'esc02.dat': {
    verdict: 'valid',
    facts: (m) => {
      assert.equal(req(m).method, 'RE%47IST%45R');
      assert.equal(h.getTo(m)?.displayName, '%Z%45');
      // "C%6Fntact" is an extension header, not a Contact (RFC 4475 3.1.1.5).
      const contacts = h.getContacts(m);
      assert.ok(contacts !== '*');
      assert.equal(contacts.length, 2);
      assert.equal(h.getHeader(m, 'C%6Fntact'), '<sip:alias2@host2.example.com>');
      assert.equal(h.getVias(m)[0].branch, 'z9hG4bK209%fzsnel234');
    },
  },
  'lwsdisp.dat': {
    verdict: 'valid',
    facts: (m) => {
      assert.equal(h.getFrom(m)?.displayName, 'caller');
      assert.equal(h.getFrom(m)?.tag, '323');
    },
  },
  'longreq.dat': {
    verdict: 'valid',
    facts: (m) => {
      const to = h.getTo(m);
      assert.match(to?.displayName ?? '', /^I have a user name of (extreme){10} proportion$/);
      assert.ok(to?.uri.kind === 'sip' && to.uri.port === 6000 && to.uri.params.get('longparamnamenamenamenamenamenamenamenamenamenamenamenamenamenamenamenamenamenamenamenamenamenamenamenamename') === 'shortvalue');
      assert.equal(h.getFrom(m)?.tag?.length, 155);
      assert.match(h.getCallId(m) ?? '', /^longreq\.one(really){20}longcallid$/);
      const long = [...m.headers].find((f) => /^unknown-(long)+-name$/.test(f.key))?.value;
      assert.match(long ?? '', /^unknown-(long){20}-value; unknown-(long){20}-parameter-name = unknown-(long){20}-parameter-value$/);
      const vias = h.getVias(m);
      assert.equal(vias.length, 34);
      assert.equal(vias[33].received, '192.0.2.5');
      assert.match(vias[33].branch ?? '', /^very(long){50}branchvalue$/);
      assert.equal(m.body.length, 150);
    },
  },
  'dblreq.dat': {
    verdict: 'valid',
    facts: (m) => {
      assert.equal(req(m).method, 'REGISTER');
      assert.equal(m.body.length, 0);
      assert.equal(h.getCallId(m), 'dblreq.0ha0isndaksdj99sdfafnl3lk233412');
    },
  },
  'semiuri.dat': {
    verdict: 'valid',
    facts: (m) => {
      const r = req(m);
      assert.ok(r.uri.kind === 'sip');
      assert.equal(r.uri.user, 'user;par=u@example.net');
      assert.equal(r.uri.host, 'example.com');
      assert.equal(r.uri.params.size, 0);
      assert.equal(h.getAccept(m).length, 6);
    },
  },
  'transports.dat': {
    verdict: 'valid',
    facts: (m) => assert.deepEqual(h.getVias(m).map((v) => v.transport), ['UDP', 'SCTP', 'TLS', 'UNKNOWN', 'TCP']),
  },
  'mpart01.dat': {
    verdict: 'valid',
    facts: (m) => {
      assert.equal(m.body.length, 553);
      assert.equal(h.getContentType(m), 'multipart/mixed');
      assert.equal(h.getVias(m)[0].rport, true);
    },
  },
  'unreason.dat': {
    verdict: 'valid',
    facts: (m) => {
      assert.equal(res(m).status, 200);
      assert.ok(res(m).reason.startsWith('= 2**3 * 5**2 но сто девяносто'));
    },
  },
  'noreason.dat': {
    verdict: 'valid',
    facts: (m) => {
      assert.equal(res(m).status, 100);
      assert.equal(res(m).reason, '');
    },
  },
  'badbranch.dat': {
    verdict: 'valid',
    facts: (m) => {
      assert.equal(h.getVias(m)[0].branch, 'z9hG4bK');
      assert.equal(h.getVias(m)[0].isRfc3261Branch, false);
    },
  },
  'insuf.dat': { verdict: 'status', status: 400 },
  'unkscm.dat': { verdict: 'status', status: 416 },
  'novelsc.dat': { verdict: 'status', status: 416, facts: (m) => assert.deepEqual(req(m).uri, { kind: 'absolute', scheme: 'soap.beep', opaque: '//192.0.2.103:3002' }) },
  'unksm2.dat': {
    verdict: 'valid',
    facts: (m) => {
      assert.deepEqual(h.getTo(m)?.uri, { kind: 'absolute', scheme: 'isbn', opaque: '2983792873' });
      assert.deepEqual(h.getFrom(m)?.uri, { kind: 'absolute', scheme: 'http', opaque: '//www.example.com' });
      const contacts = h.getContacts(m);
      assert.ok(contacts !== '*' && contacts[0].uri.kind === 'absolute' && contacts[0].uri.scheme === 'name');
    },
  },
  'bext01.dat': {
    verdict: 'status',
    status: 420,
    facts: (m) => assert.deepEqual(validateRequest(req(m))?.headers, [['Unsupported', 'nothingSupportsThis, nothingSupportsThisEither']]),
  },
  'invut.dat': { verdict: 'status', status: 415 },
  'regaut01.dat': {
    // 401 is the registrar's decision; the message layer must see a non-Digest scheme.
    verdict: 'valid',
    facts: (m) => {
      const auth = h.getAuthorization(m);
      assert.equal(auth[0].scheme, 'NoOneKnowsThisScheme');
      assert.equal(auth[0].params.get('opaque-data'), 'here');
      assert.equal(parseDigestCredentials(auth[0]), undefined);
    },
  },
  'multi01.dat': { verdict: 'status', status: 400 },
  'mcl01.dat': { verdict: 'invalid', status: 400 },
  'bcast.dat': { verdict: 'valid', facts: (m) => assert.equal(h.getVias(m)[1].host, '255.255.255.255') },
  'zeromf.dat': { verdict: 'status', status: 483 },
  'cparam01.dat': {
    verdict: 'valid',
    facts: (m) => {
      const c = h.getContacts(m);
      assert.ok(c !== '*' && c[0].uri.kind === 'sip');
      assert.equal(c[0].uri.params.size, 0);
      assert.ok(c[0].params.has('unknownparam'));
    },
  },
  'cparam02.dat': {
    verdict: 'valid',
    facts: (m) => {
      const c = h.getContacts(m);
      assert.ok(c !== '*' && c[0].uri.kind === 'sip');
      assert.ok(c[0].uri.params.has('unknownparam'));
      assert.equal(c[0].params.size, 0);
    },
  },
  'regescrt.dat': {
    verdict: 'valid',
    facts: (m) => {
      const c = h.getContacts(m);
      assert.ok(c !== '*' && c[0].uri.kind === 'sip');
      assert.deepEqual(c[0].uri.headers, [['Route', '<sip:sip.example.com>']]);
    },
  },
  // RFC 4475 3.3.15 allows 406 or 400; we answer 406 since Accept lacks application/sdp.
  'sdp01.dat': { verdict: 'status', status: 406 },
  'inv2543.dat': {
    verdict: 'valid',
    facts: (m) => {
      assert.equal(h.getMaxForwards(m), undefined);
      assert.equal(h.getVias(m)[0].branch, undefined);
      assert.equal(m.body.length, 105);
    },
  },
};
for (const f of ['badinv01', 'clerr', 'ncl', 'scalar02', 'scalarlg', 'quotbal', 'ltgtruri', 'lwsruri', 'lwsstart', 'trws', 'escruri', 'baddate', 'regbadct', 'badaspec', 'baddn', 'mismatch01', 'mismatch02', 'bigcode']) {
  EXPECTED[`${f}.dat`] = { verdict: 'invalid' };
}
EXPECTED['badvers.dat'] = { verdict: 'invalid', status: 505 };

test('the README lists exactly the 49 torture messages present, each with an expectation here', () => {
  assert.equal(messages.size, 49);
  assert.deepEqual([...verdicts.keys()].sort(), [...messages.keys()].sort());
  assert.deepEqual(Object.keys(EXPECTED).sort(), [...messages.keys()].sort());
  for (const [file, verdict] of verdicts) {
    const mine = EXPECTED[file].verdict;
    if (verdict.startsWith('invalid')) assert.equal(mine, 'invalid', file);
    if (verdict === 'valid') assert.equal(mine, 'valid', file);
  }
});

function judge(m: SipMessage): number | string | null {
  return m.kind === 'request' ? (validateRequest(m)?.status ?? null) : validateResponse(m);
}

for (const [file, expected] of Object.entries(EXPECTED)) {
  test(`RFC 4475 ${file}: ${verdicts.get(file)}`, () => {
    const buf = messages.get(file);
    assert.ok(buf, `${file} missing`);
    let m: SipMessage;
    try {
      m = parseMessage(buf);
    } catch (e) {
      assert.ok(e instanceof SipParseError, `${file} threw ${String(e)}`);
      assert.equal(expected.verdict, 'invalid', `${file} should parse but threw ${e.code}: ${e.message}`);
      return;
    }
    const verdict = judge(m);
    if (expected.verdict === 'valid') {
      assert.equal(verdict, null, `${file}: unexpected verdict ${JSON.stringify(verdict)}`);
    } else if (expected.verdict === 'status') {
      assert.equal(verdict, expected.status);
    } else if (m.kind === 'request') {
      assert.equal(verdict, expected.status ?? 400);
    } else {
      assert.equal(typeof verdict, 'string', `${file}: response should be discarded`);
    }
    if ('facts' in expected && expected.facts) expected.facts(m);
  });
}

test('RFC 4475 parse errors of requests say whether a 400 can be sent', () => {
  const codeOf = (file: string) => {
    try {
      parseMessage(messages.get(file) as Buffer);
    } catch (e) {
      assert.ok(e instanceof SipParseError);
      return { code: e.code, respondable: e.respondable, hasPartial: e.partial !== undefined };
    }
    assert.fail(`${file} parsed`);
  };
  assert.deepEqual(codeOf('clerr.dat'), { code: 'sip_truncated', respondable: true, hasPartial: true });
  assert.deepEqual(codeOf('ncl.dat'), { code: 'sip_bad_content_length', respondable: true, hasPartial: true });
  assert.deepEqual(codeOf('lwsstart.dat'), { code: 'sip_bad_start_line', respondable: true, hasPartial: true });
  assert.deepEqual(codeOf('escruri.dat'), { code: 'sip_bad_uri', respondable: true, hasPartial: true });
  // Responses are never answered.
  assert.deepEqual(codeOf('bigcode.dat'), { code: 'sip_bad_start_line', respondable: false, hasPartial: false });
});
