/**
 * sipp against our endpoint: (a) sipp UAC → our UAS, 50 calls at 20 cps, 0
 * failed; (b) the same under 10 % UDP loss, every call completes thanks to
 * retransmissions on both sides; (c) CANCEL → 200 + 487; (d) sipp UAS
 * rejecting our INVITEs with 486 and 503 → SipFailure; (e) REFER inside a
 * dialog surfaces as a dialog 'request', we answer 202 and send the NOTIFYs.
 * sipp is required: a missing binary fails the suite.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { SipEndpoint } from '../../src/sip/ua/endpoint.js';
import { SipFailure } from '../../src/sip/ua/failure.js';
import { parseReferTo } from '../../src/sip/dialog/refer.js';
import { delay, randomPort, requireBinary, run, sdp, startEndpoint } from './sip-endpoints.js';

const SIPP = '/usr/bin/sipp';
const scenario = (name: string) => fileURLToPath(new URL(`./scenarios/${name}`, import.meta.url));

function sipp(args: string[], timeoutMs: number) {
  requireBinary(SIPP);
  const cwd = mkdtempSync(join(tmpdir(), 'callsight-sipp-'));
  return run(SIPP, ['-nostdin', '-i', '127.0.0.1', '-p', String(randomPort()), '-trace_err', '-timeout', `${Math.ceil(timeoutMs / 1000) - 1}s`, '-timeout_error', ...args], timeoutMs, cwd);
}

let uas: SipEndpoint;
let answered = 0;

before(async () => {
  requireBinary(SIPP);
  // Real-world T1 here: sipp's own retransmission timers are 500 ms.
  uas = await startEndpoint({ timers: { T1: 500, T2: 4000, T4: 5000 } });
  uas.on('invite', (inv) => {
    if (inv.message.headers.get('to')?.includes('cancelme')) {
      inv.progress(180);
      return; // never answered: sipp cancels
    }
    answered++;
    inv.accept({ sdp: sdp(42000) }).then(
      (dialog) =>
        dialog.on('request', (req) => {
          if (req.message.method !== 'REFER') return req.respond(200);
          const referTo = parseReferTo(req.message.headers.get('refer-to') ?? '');
          assert.equal(referTo.uri, 'sip:carol@127.0.0.1');
          assert.deepEqual(referTo.replaces, { callId: 'abc@host', toTag: '111', fromTag: '222', earlyOnly: false });
          req.respond(202);
          void dialog.notifyRefer(100, 'Trying').then(() => dialog.notifyRefer(200, 'OK'));
        }),
      () => undefined,
    );
  });
});
after(() => uas.close());

describe('sipp', () => {
  it('(a) 50 calls at 20 cps: INVITE/200/ACK/BYE with 0 failed calls', async () => {
    const { done } = sipp([`127.0.0.1:${uas.ports.udp}`, '-sf', scenario('uac-call.xml'), '-m', '50', '-r', '20', '-d', '200', '-s', 'bob'], 30_000);
    const r = await done;
    assert.equal(r.code, 0, `sipp failed (exit ${r.code}): ${r.stderr.slice(-2000)}`);
  });

  it('(b) 10 % packet loss: every call still completes via retransmissions', async () => {
    const { done } = sipp([`127.0.0.1:${uas.ports.udp}`, '-sf', scenario('uac-call.xml'), '-m', '20', '-r', '10', '-d', '100', '-lost', '10', '-s', 'bob'], 90_000);
    const r = await done;
    assert.equal(r.code, 0, `sipp failed under loss (exit ${r.code}): ${r.stderr.slice(-2000)}`);
  });

  it('(c) CANCEL before answer: 200 to CANCEL, 487 to INVITE', async () => {
    const { done } = sipp([`127.0.0.1:${uas.ports.udp}`, '-sf', scenario('uac-cancel.xml'), '-m', '5', '-r', '5', '-s', 'cancelme'], 20_000);
    const r = await done;
    assert.equal(r.code, 0, `sipp CANCEL scenario failed (exit ${r.code}): ${r.stderr.slice(-2000)}`);
  });

  for (const [status, reason] of [[486, 'Busy Here'], [503, 'Service Unavailable']] as const) {
    it(`(d) sipp UAS answering ${status} surfaces as SipFailure(${status})`, async () => {
      const port = randomPort();
      const cwd = mkdtempSync(join(tmpdir(), 'callsight-sipp-'));
      const peer = run(SIPP, ['-nostdin', '-i', '127.0.0.1', '-p', String(port), '-sf', scenario(`uas-${status}.xml`), '-m', '1', '-timeout', '15s', '-timeout_error', '-trace_err'], 20_000, cwd);
      await delay(300); // let sipp bind
      const out = uas.invite({ target: `sip:sipp@127.0.0.1:${port}`, from: { uri: 'sip:alice@127.0.0.1' }, sdp: sdp() });
      await assert.rejects(out.response, (e: unknown) => e instanceof SipFailure && e.status === status && e.reason === reason);
      const r = await peer.done;
      assert.equal(r.code, 0, `sipp UAS failed (exit ${r.code}); our ACK may be wrong: ${r.stderr.slice(-2000)}`);
    });
  }

  it('(e) REFER in a dialog reaches the dialog listener; 202 and NOTIFY sipfrag are sent', async () => {
    const { done } = sipp([`127.0.0.1:${uas.ports.udp}`, '-sf', scenario('uac-refer.xml'), '-m', '1', '-s', 'bob'], 20_000);
    const r = await done;
    assert.equal(r.code, 0, `sipp REFER scenario failed (exit ${r.code}): ${r.stderr.slice(-2000)}`);
  });
});
