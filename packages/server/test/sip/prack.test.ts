/**
 * Reliable provisional responses (RFC 3262) as a UAS. sipp requires 100rel: our 183
 * carries Require: 100rel and an RSeq, sipp PRACKs it, we answer the PRACK 200 and only
 * then 200 the INVITE. Without a PRACK the 183 is retransmitted (T1, doubling) and after
 * 64*T1 the INVITE is rejected 504; a PRACK naming another RSeq gets 481.
 */
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { SipEndpoint } from '../../src/sip/ua/endpoint.js';
import { waitFor } from '../helpers/wait.js';
import { randomPort, requireBinary, run, sdp, startEndpoint } from './sip-endpoints.js';

const SIPP = '/usr/bin/sipp';
let ep: SipEndpoint;
const outcomes: string[] = [];

before(async () => {
  requireBinary(SIPP);
  // T1 of 100 ms: the no-PRACK case gives up after 6.4 s.
  ep = await startEndpoint({ timers: { T1: 100, T2: 4000, T4: 5000 } });
  ep.on('invite', (inv) => {
    inv.progress(183, { sdp: sdp(42100) });
    inv.accept({ sdp: sdp(42100) }).then(
      (dialog) => {
        outcomes.push('answered');
        dialog.on('request', (req) => req.respond(200));
      },
      (err: Error) => outcomes.push(`failed: ${err.message}`),
    );
  });
});
after(() => ep.close());

const invite = (port: number, local: number, callId: string) =>
  [
    `INVITE sip:bob@127.0.0.1:${port} SIP/2.0`,
    `Via: SIP/2.0/UDP 127.0.0.1:${local};branch=z9hG4bK-${callId};rport`,
    'Max-Forwards: 70',
    `From: <sip:raw@127.0.0.1>;tag=raw-${callId}`,
    `To: <sip:bob@127.0.0.1>`,
    `Call-ID: ${callId}`,
    'CSeq: 1 INVITE',
    `Contact: <sip:raw@127.0.0.1:${local}>`,
    'Require: 100rel',
    'Content-Type: application/sdp',
    `Content-Length: ${Buffer.byteLength(sdp(42200))}`,
    '',
    sdp(42200),
  ].join('\r\n');

describe('PRACK (RFC 3262)', () => {
  it('sipp requiring 100rel: reliable 183, PRACK answered 200, then the call is answered and ends with BYE', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'callsight-sipp-'));
    const scenario = fileURLToPath(new URL('./scenarios/uac-prack.xml', import.meta.url));
    const before = outcomes.length;
    const r = await run(SIPP, [`127.0.0.1:${ep.ports.udp}`, '-sf', scenario, '-m', '5', '-r', '5', '-s', 'bob', '-nostdin', '-i', '127.0.0.1', '-p', String(randomPort()), '-trace_err', '-timeout', '20s', '-timeout_error'], 25_000, cwd).done;
    assert.equal(r.code, 0, r.stdout.slice(-2000) + r.stderr);
    await waitFor(() => outcomes.length - before === 5, 5000, 'five answered calls');
    assert.deepEqual(outcomes.slice(before), Array(5).fill('answered'));
  });

  it('as UAC: a sipp UAS sends a reliable 180; we PRACK it, then get the 200, ACK and BYE', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'callsight-sipp-uas-'));
    const port = randomPort();
    const scenario = fileURLToPath(new URL('./scenarios/uas-prack.xml', import.meta.url));
    const uas = run(SIPP, ['-sf', scenario, '-i', '127.0.0.1', '-p', String(port), '-m', '1', '-nostdin', '-trace_err', '-timeout', '20s', '-timeout_error'], 25_000, cwd);
    await new Promise((r) => setTimeout(r, 300)); // sipp binds its port
    const out = ep.invite({ target: `sip:bob@127.0.0.1:${port}`, from: { uri: 'sip:callsight@127.0.0.1' }, sdp: sdp(42300) });
    const provisional: number[] = [];
    out.on('provisional', (res) => provisional.push(res.status));
    const { dialog, response } = await out.response;
    assert.equal(response.status, 200);
    assert.deepEqual(provisional, [180]);
    await dialog.bye();
    const r = await uas.done;
    assert.equal(r.code, 0, r.stdout.slice(-2000) + r.stderr);
  });

  it('no PRACK: the 183 is retransmitted, then the INVITE is rejected 504; a PRACK with a wrong RSeq gets 481', async (t) => {
    const sock = createSocket('udp4');
    t.after(() => sock.close());
    const got: string[] = [];
    sock.on('message', (m) => got.push(m.toString()));
    await new Promise<void>((r) => sock.bind(0, '127.0.0.1', r));
    const local = sock.address().port;
    const before = outcomes.length;
    sock.send(invite(ep.ports.udp, local, 'noprack'), ep.ports.udp, '127.0.0.1');
    await waitFor(() => got.some((m) => m.startsWith('SIP/2.0 183')), 3000, 'the reliable 183');
    const first = got.find((m) => m.startsWith('SIP/2.0 183'))!;
    assert.match(first, /\r\nRequire: 100rel\r\n/i);
    const rseq = Number(/\r\nRSeq: (\d+)\r\n/i.exec(first)?.[1]);
    assert.ok(rseq > 0, 'RSeq present');
    const toTag = /\r\nTo: [^\r]*;tag=([^;\r]+)/i.exec(first)![1];

    // A PRACK for another RSeq does not acknowledge it.
    const prack = [
      `PRACK sip:bob@127.0.0.1:${ep.ports.udp} SIP/2.0`,
      `Via: SIP/2.0/UDP 127.0.0.1:${local};branch=z9hG4bK-badprack;rport`,
      'Max-Forwards: 70',
      'From: <sip:raw@127.0.0.1>;tag=raw-noprack',
      `To: <sip:bob@127.0.0.1>;tag=${toTag}`,
      'Call-ID: noprack',
      'CSeq: 2 PRACK',
      `RAck: ${rseq + 1} 1 INVITE`,
      'Content-Length: 0',
      '',
      '',
    ].join('\r\n');
    sock.send(prack, ep.ports.udp, '127.0.0.1');
    await waitFor(() => got.some((m) => m.startsWith('SIP/2.0 481') && m.includes('PRACK')), 3000, '481 to the wrong PRACK');

    await waitFor(() => got.some((m) => m.startsWith('SIP/2.0 504')), 15_000, '504 after 64*T1 without PRACK');
    const retransmitted = got.filter((m) => m.startsWith('SIP/2.0 183')).length;
    // T1 = 100 ms doubling within 6.4 s: sent at 0, .1, .3, .7, 1.5, 3.1 and 6.3 s.
    assert.ok(retransmitted >= 6 && retransmitted <= 8, `183 sent ${retransmitted} times`);
    assert.ok(got.filter((m) => m.startsWith('SIP/2.0 183')).every((m) => m.includes(`RSeq: ${rseq}`)), 'retransmissions keep the RSeq');
    await waitFor(() => outcomes.length > before, 3000, 'accept() settles');
    assert.match(outcomes.at(-1)!, /failed: .*No PRACK/);
  });
});
