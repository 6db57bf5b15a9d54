import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { after, before, describe, test } from 'node:test';
import type { AnyEvent } from '../../src/bus/event-map.js';
import { BACKENDS } from '../helpers/backends.js';
import { callScenario, runSipp } from '../helpers/sipp.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { waitFor } from '../helpers/wait.js';

const LIMIT = 300;

/**
 * A UDP flood of new requests against a server whose open server transactions are
 * capped (CALLSIGHT_SIP_MAX_TRANSACTIONS): the cap holds, the rest get 503 with
 * Retry-After, a new call meanwhile is refused with 503 too, and a call already up
 * (sipp on the echo number) keeps its media and ends cleanly with its BYE — in-dialog
 * requests have headroom above the cap.
 */
for (const backend of BACKENDS) {
  describe(`SIP flood protection (${backend.name})`, () => {
    let s: TestServer;
    let port: number;
    const events: AnyEvent[] = [];

    before(async () => {
      s = await startTestServer({ backend, config: { sipMaxTransactions: LIMIT } });
      port = s.ctx.services.get('telephony').endpoint.ports.udp;
      await s.ctx.bus.subscribe({ types: ['call.'] }, (e) => void events.push(e));
    });
    after(() => s.destroy());

    test('the transaction cap holds under a flood; new requests get 503 + Retry-After; a call in progress ends cleanly', async () => {
      const endpoint = s.ctx.services.get('telephony').endpoint;
      // A call up before the flood: sipp talks to echo for 8 s, then sends BYE and expects 200.
      const inProgress = runSipp({ scenario: callScenario({ pauseMs: 8000, waitMs: 1 }), port, service: 'echo', timeoutSec: 30 });
      await waitFor(() => events.some((e) => e.type === 'call.answered'), 10_000, 'the echo call answered');

      const flooder = createSocket('udp4');
      const answers: string[] = [];
      flooder.on('message', (m) => answers.push(m.toString()));
      await new Promise<void>((r) => flooder.bind(0, '127.0.0.1', r));
      const local = flooder.address().port;
      const SENT = 1500;
      for (let i = 0; i < SENT; i++) {
        const options = [
          `OPTIONS sip:127.0.0.1:${port} SIP/2.0`,
          `Via: SIP/2.0/UDP 127.0.0.1:${local};branch=z9hG4bK-flood-${i}`,
          'Max-Forwards: 70',
          `From: <sip:flood@127.0.0.1>;tag=f${i}`,
          'To: <sip:127.0.0.1>',
          `Call-ID: flood-${i}`,
          'CSeq: 1 OPTIONS',
          'Content-Length: 0',
          '',
          '',
        ].join('\r\n');
        flooder.send(options, port, '127.0.0.1');
        // Paced a little so the kernel's socket buffers, not the server, decide what is lost.
        if (i % 50 === 49) await new Promise((r) => setTimeout(r, 2));
      }
      await waitFor(() => answers.length >= SENT * 0.9, 15_000, `answers to the flood (${answers.length})`);
      flooder.close();

      const status = (a: string) => Number(a.split(' ')[1]);
      const ok = answers.filter((a) => status(a) === 200).length;
      const refused = answers.filter((a) => status(a) === 503);
      assert.equal(ok + refused.length, answers.length, 'every answer is 200 or 503');
      assert.ok(ok <= LIMIT, `at most ${LIMIT} requests got a transaction (${ok})`);
      assert.ok(refused.length >= SENT * 0.9 - LIMIT, `the rest were refused (${refused.length})`);
      assert.ok(refused.every((a) => /\r\nRetry-After: \d+\r\n/i.test(a)), '503s carry Retry-After');
      assert.ok(endpoint.stats.transactions.server <= LIMIT, `open server transactions ${endpoint.stats.transactions.server}`);
      assert.ok(endpoint.stats.transactions.overloaded >= refused.length);

      // A new call while the cap is reached is refused the same way, statelessly.
      const fresh = await runSipp({ scenario: callScenario({ pauseMs: 0, waitMs: 0, expectStatus: 503 }), port, service: 'echo', timeoutSec: 10 });
      assert.equal(fresh.code, 0, fresh.stdout + fresh.stderr);

      // The call that was up ends normally: its BYE got through and was answered 200.
      const r = await inProgress;
      assert.equal(r.code, 0, r.stdout + r.stderr);
      await waitFor(() => events.some((e) => e.type === 'call.ended'), 5000, 'call.ended');
      const ended = events.filter((e) => e.type === 'call.ended');
      assert.equal(ended.length, 1);
      assert.equal((ended[0].data as { cause: string }).cause, 'remote_hangup');
    });
  });
}
