import assert from 'node:assert/strict';
import { createSocket, type Socket } from 'node:dgram';
import * as dnsPacket from 'dns-packet';
import { after, before, describe, test } from 'node:test';
import { peerPort } from '../helpers/ports.js';
import { runSipp, startSippUas } from '../helpers/sipp.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { waitFor } from '../helpers/wait.js';

const FP = 'sha-256 ' + Array.from({ length: 32 }, () => 'AB').join(':');

/** One INVITE from a raw UDP socket; resolves with the first final response's text. */
async function invite(port: number, user: string, body: string): Promise<{ text: string; sock: Socket; id: string; local: number }> {
  const sock = createSocket('udp4');
  await new Promise<void>((r) => sock.bind(0, '127.0.0.1', r));
  const local = sock.address().port;
  const id = Math.random().toString(36).slice(2);
  const uri = `sip:${user}@127.0.0.1:${port}`;
  const msg = [
    `INVITE ${uri} SIP/2.0`,
    `Via: SIP/2.0/UDP 127.0.0.1:${local};branch=z9hG4bK${id};rport`,
    'Max-Forwards: 70',
    `From: <sip:tester@127.0.0.1>;tag=${id}`,
    `To: <${uri}>`,
    `Call-ID: ${id}@tester`,
    'CSeq: 1 INVITE',
    `Contact: <sip:tester@127.0.0.1:${local}>`,
    'Content-Type: application/sdp',
    `Content-Length: ${Buffer.byteLength(body)}`,
    '',
    body,
  ].join('\r\n');
  const final = new Promise<string>((resolve) => {
    sock.on('message', (m) => {
      const text = m.toString();
      if (/^SIP\/2\.0 [2-6]\d\d /.test(text)) resolve(text);
    });
  });
  sock.send(msg, port, '127.0.0.1');
  return { text: await final, sock, id, local };
}

const sdp = (media: string[]) => ['v=0', 'o=- 1 1 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 127.0.0.1', 't=0 0', ...media, ''].join('\r\n');

/**
 * What callsight answers a phone that offers what it cannot take (488/606 with a
 * Warning, before any call exists), its Contact (with a user part), and a phone behind
 * NAT: registered from one port with a Contact naming another, it is rung where its
 * packets came from (sipp as the phone).
 */
/** A DNS server on 127.0.0.1 answering from `records` (name → answers), NXDOMAIN-free: unknown names get no answers. */
async function startDns(records: Record<string, dnsPacket.Answer[]>): Promise<{ port: number; queries: string[]; close(): void }> {
  const sock = createSocket('udp4');
  const queries: string[] = [];
  sock.on('message', (msg, rinfo) => {
    const q = dnsPacket.decode(msg);
    const question = q.questions?.[0];
    if (!question) return;
    queries.push(`${question.type} ${question.name}`);
    const answers = (records[question.name.toLowerCase()] ?? []).filter((a) => a.type === question.type);
    sock.send(dnsPacket.encode({ type: 'response', id: q.id, flags: dnsPacket.AUTHORITATIVE_ANSWER, questions: [question], answers }), rinfo.port, rinfo.address);
  });
  await new Promise<void>((r) => sock.bind(0, '127.0.0.1', r));
  return { port: sock.address().port, queries, close: () => sock.close() };
}

describe('SIP answers, NAT and DNS', () => {
  let s: TestServer;
  let port: number;
  let key: string;
  let dns: Awaited<ReturnType<typeof startDns>>;
  const deadPort = peerPort();
  const livePort = peerPort();

  before(async () => {
    dns = await startDns({
      'carrier.test': [{ type: 'NAPTR', name: 'carrier.test', data: { order: 10, preference: 10, flags: 's', services: 'SIP+D2U', regexp: '', replacement: '_sip._udp.carrier.test' } }],
      '_sip._udp.carrier.test': [
        { type: 'SRV', name: '_sip._udp.carrier.test', data: { priority: 20, weight: 10, port: livePort, target: 'b.carrier.test' } },
        { type: 'SRV', name: '_sip._udp.carrier.test', data: { priority: 10, weight: 10, port: deadPort, target: 'a.carrier.test' } },
      ],
      'a.carrier.test': [{ type: 'A', name: 'a.carrier.test', data: '127.0.0.1' }],
      'b.carrier.test': [{ type: 'A', name: 'b.carrier.test', data: '127.0.0.1' }],
    });
    s = await startTestServer({ config: { sipDnsServers: `127.0.0.1:${dns.port}` } });
    port = s.ctx.services.get('telephony').endpoint.ports.udp;
    const cookie = await s.login('admin@acme.test');
    key = (await s.api('POST', '/api/api-keys', { cookie, body: { name: 'nat' } })).body.key;
  });
  after(async () => {
    await s?.destroy();
    dns?.close();
  });

  test('no common codec → 488 + Warning 305; no audio → 606 + 304; bad DTLS fingerprint, ICE without credentials → 488 + 399; no call is left', async () => {
    const cases: [string, RegExp, RegExp][] = [
      [sdp(['m=audio 40000 RTP/AVP 18', 'a=rtpmap:18 G729/8000']), /^SIP\/2\.0 488 /, /^Warning: 305 \S+ "No common audio codec/m],
      [sdp(['m=video 40000 RTP/AVP 96', 'a=rtpmap:96 VP8/90000']), /^SIP\/2\.0 606 /, /^Warning: 304 \S+ "No audio stream offered"/m],
      [
        sdp(['m=audio 9 UDP/TLS/RTP/SAVPF 0', 'a=rtpmap:0 PCMU/8000', 'a=fingerprint:sha-256 nothex', 'a=ice-ufrag:abcd', 'a=ice-pwd:abcdefghijklmnopqrstuvwx']),
        /^SIP\/2\.0 488 /,
        /^Warning: 399 \S+ "Malformed DTLS fingerprint"/m,
      ],
      [sdp(['m=audio 9 UDP/TLS/RTP/SAVPF 0', 'a=rtpmap:0 PCMU/8000', `a=fingerprint:${FP}`]), /^SIP\/2\.0 488 /, /^Warning: 399 \S+ "ICE without credentials/m],
      ['v=0\r\no=broken\r\n', /^SIP\/2\.0 488 /, /^Warning: 399 \S+ "Malformed SDP"/m],
    ];
    for (const [body, status, warning] of cases) {
      const { text, sock } = await invite(port, 'echo', body);
      sock.close();
      assert.match(text, status, text);
      assert.match(text, warning, text);
    }
    assert.equal(s.ctx.services.get('telephony').manager.size, 0, 'no call was created');
  });

  test("our 200 OK's Contact has a user part (the dialled one)", async () => {
    const { text, sock, id, local } = await invite(port, 'echo', sdp(['m=audio 40002 RTP/AVP 0', 'a=rtpmap:0 PCMU/8000']));
    try {
      assert.match(text, /^SIP\/2\.0 200 /);
      assert.match(text, /^Contact: <sip:echo@127\.0\.0\.1:\d+>/m, text);
      const toTag = /^To: .*;tag=(\S+)/m.exec(text)![1];
      const dialog = (method: string, cseq: number) =>
        [
          `${method} ${/^Contact: <([^>]+)>/m.exec(text)![1]} SIP/2.0`,
          `Via: SIP/2.0/UDP 127.0.0.1:${local};branch=z9hG4bK${id}${method};rport`,
          'Max-Forwards: 70',
          `From: <sip:tester@127.0.0.1>;tag=${id}`,
          `To: <sip:echo@127.0.0.1:${port}>;tag=${toTag}`,
          `Call-ID: ${id}@tester`,
          `CSeq: ${cseq} ${method}`,
          'Content-Length: 0',
          '',
          '',
        ].join('\r\n');
      const bye = new Promise<string>((r) => sock.on('message', (m) => /^SIP\/2\.0 200 .*\r\n[\s\S]*CSeq: 2 BYE/.test(m.toString()) && r(m.toString())));
      sock.send(dialog('ACK', 1), port, '127.0.0.1');
      sock.send(dialog('BYE', 2), port, '127.0.0.1');
      await bye;
    } finally {
      sock.close();
    }
  });

  test('a phone registered from port A with a Contact naming port B is rung at A; a STUN keep-alive is answered', async () => {
    const source = peerPort();
    const register = (cseq: number, auth: boolean) => `<send retrans="500"><![CDATA[
REGISTER sip:127.0.0.1:[remote_port] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch];rport
From: <sip:customer@127.0.0.1>;tag=[pid]nat[call_number]
To: <sip:customer@127.0.0.1>
Call-ID: [call_id]
CSeq: ${cseq} REGISTER
Contact: <sip:customer@10.77.0.9:5999>
Expires: 300
Max-Forwards: 70${auth ? '\n[authentication username=customer password=demo]' : ''}
Content-Length: 0

]]></send>`;
    const scenario = `<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="register behind NAT">
  ${register(1, false)}
  <recv response="401" auth="true"/>
  ${register(2, true)}
  <recv response="200"/>
</scenario>`;
    const reg = await runSipp({ scenario, port, service: 'customer', localPort: source, timeoutSec: 10 });
    assert.equal(reg.code, 0, reg.stdout + reg.stderr);
    const accounts = (await s.api('GET', '/api/sip/accounts', { key })).body.items as { username: string; registered: string[] }[];
    assert.deepEqual(accounts.find((a) => a.username === 'customer')?.registered, ['sip:customer@10.77.0.9:5999']);

    // The phone's NAT mapping: the same source port now answers calls (sipp's UAS); nothing listens at 10.77.0.9:5999.
    const uas = startSippUas({ port: source, timeoutSec: 20 });
    try {
      await new Promise((r) => setTimeout(r, 300));
      const created = await s.api('POST', '/api/calls', { key, body: { to: 'customer', verbs: [{ verb: 'pause', seconds: 1 }, { verb: 'hangup' }] } });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const result = await uas.done;
      assert.equal(result.code, 0, result.stdout + result.stderr + uas.messages());
      assert.match(uas.messages(), /INVITE sip:customer@10\.77\.0\.9:5999 SIP\/2\.0/);
      await waitFor(() => s.ctx.services.get('telephony').manager.size === 0, 10_000, 'the call ended');
    } finally {
      uas.kill();
    }

    // RFC 5626 4.4.2: a STUN Binding request on the SIP UDP port gets the address it came from.
    const sock = createSocket('udp4');
    await new Promise<void>((r) => sock.bind(0, '127.0.0.1', r));
    try {
      const req = Buffer.alloc(20);
      req.writeUInt16BE(0x0001, 0);
      req.writeUInt32BE(0x2112a442, 4);
      req.write('callsight123', 8, 'latin1');
      const res = await new Promise<Buffer>((r) => {
        sock.once('message', r);
        sock.send(req, port, '127.0.0.1');
      });
      assert.equal(res.readUInt16BE(0), 0x0101);
      assert.equal(res.subarray(8, 20).toString('latin1'), 'callsight123');
      assert.equal(res.readUInt16BE(26) ^ 0x2112, sock.address().port);
    } finally {
      sock.close();
    }
  });

  test('a trunk named by its domain is found through NAPTR and SRV; the first server does not answer, the second takes the call', async () => {
    const dead = createSocket('udp4');
    const deadInvites: string[] = [];
    dead.on('message', (m) => deadInvites.push(m.toString().split('\r\n')[0]));
    await new Promise<void>((r) => dead.bind(deadPort, '127.0.0.1', r));
    const live = startSippUas({ port: livePort, timeoutSec: 30 });
    try {
      const cookie = await s.login('admin@acme.test');
      assert.equal((await s.api('POST', '/api/sip/trunks', { cookie, body: { name: 'carrier', address: 'sip:carrier.test' } })).status, 201);
      const created = await s.api('POST', '/api/calls', { key, body: { to: '+15550199', verbs: [{ verb: 'pause', seconds: 1 }, { verb: 'hangup' }] } });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const result = await live.done;
      assert.equal(result.code, 0, result.stdout + result.stderr + live.messages());
      assert.match(live.messages(), /INVITE sip:\+15550199@carrier\.test SIP\/2\.0/);
      assert.ok(deadInvites.some((l) => l.startsWith('INVITE sip:+15550199@carrier.test')), `the priority-10 server was tried first: ${deadInvites}`);
      assert.ok(dns.queries.includes('NAPTR carrier.test') && dns.queries.includes('SRV _sip._udp.carrier.test'), dns.queries.join(', '));
      await waitFor(() => s.ctx.services.get('telephony').manager.size === 0, 10_000, 'the call ended');
    } finally {
      live.kill();
      dead.close();
    }
  });
});
