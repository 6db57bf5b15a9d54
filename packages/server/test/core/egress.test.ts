import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { listenRecorder as listen, type Recorder } from '../helpers/http-recorder.js';
import { BACKENDS } from '../helpers/backends.js';
import { startSippUas } from '../helpers/sipp.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { waitFor } from '../helpers/wait.js';


for (const backend of BACKENDS) {
  describe(`webhooks and flow verbs go through the egress policy (${backend.name})`, () => {
    let s: TestServer;
    let admin: string;
    let agent: string;
    let target: Recorder;
    let redirector: Recorder;
    before(async () => {
      target = await listen('127.0.0.2', (_req, res) => res.end(JSON.stringify({ verbs: [{ verb: 'hangup' }] })));
      // The allowed server: its flow webhook returns verbs that point inward (not checked when
      // submitted, as verbs a caller sends are), and its audio redirects inward.
      redirector = await listen('127.0.0.3', (req, res) => {
        if (req.url === '/verbs') {
          res.setHeader('content-type', 'application/json');
          res.end(
            JSON.stringify({
              verbs: [
                { verb: 'play', url: `${target.base}/direct.wav` },
                { verb: 'play', url: `${redirector.base}/start.wav` },
                { verb: 'webhook', url: `${target.base}/verbs` },
                // A refused dial marks the end of the verbs above, observably.
                { verb: 'dial', target: '+19005550100', timeoutSeconds: 5 },
              ],
            }),
          );
        } else res.writeHead(302, { location: `${target.base}/moved.wav` }).end();
      });
      // Only the redirector's address is allowed by the operator; the target is internal and not.
      s = await startTestServer({ backend, config: { egressAllow: '127.0.0.3' } });
      admin = await s.login('admin@acme.test');
      agent = await s.login('agent@acme.test');
    });
    after(async () => {
      await s?.destroy();
      target?.server.close();
      redirector?.server.close();
    });

    test('webhook subscriptions to loopback, localhost, [::1], 0.0.0.0 or the database port are refused; a tenant admin’s allow-list admits one', async () => {
      for (const url of ['http://127.0.0.2:5432/', 'http://localhost:5432/', 'http://[::1]:8080/', 'http://0.0.0.0:80/', 'http://[::ffff:127.0.0.2]/', 'http://192.168.1.1/hook']) {
        const res = await s.api('POST', '/api/webhooks', { cookie: admin, body: { url, types: ['call.'] } });
        assert.equal(res.status, 400, url);
        assert.equal(res.body.code, 'egress_blocked', url);
      }
      assert.equal((await s.api('PUT', '/api/egress-policy', { cookie: agent, body: { allow: ['127.0.0.2'] } })).status, 403);
      assert.equal((await s.api('PUT', '/api/egress-policy', { cookie: admin, body: { allow: ['not-an-ip'] } })).status, 400);
      assert.equal((await s.api('PUT', '/api/egress-policy', { cookie: admin, body: { allow: ['127.0.0.2'] } })).status, 200);
      const ok = await s.api('POST', '/api/webhooks', { cookie: admin, body: { url: `${target.base}/hook`, types: ['call.'] } });
      assert.equal(ok.status, 201, JSON.stringify(ok.body));
      await s.api('DELETE', `/api/webhooks/${ok.body.id}`, { cookie: admin });
      assert.equal((await s.api('PUT', '/api/egress-policy', { cookie: admin, body: { allow: [] } })).status, 200);
    });

    test('verbs that would fetch from an internal address are refused when saved or submitted, naming the field', async () => {
      const inward = `${target.base}/x.wav`;
      const flow = await s.api('POST', '/api/flows', {
        cookie: admin,
        body: { name: 'inward', verbs: [{ verb: 'say', text: 'Hi' }, { verb: 'gather', branches: { '1': [{ verb: 'play', url: inward }] } }] },
      });
      assert.equal(flow.status, 400);
      assert.equal(flow.body.code, 'egress_blocked');
      assert.equal(flow.body.fields[0].path, 'body.verbs.1.branches.1.0.url');
      const call = await s.api('POST', '/api/calls', { cookie: agent, body: { to: 'sip:nobody@127.0.0.1:9', verbs: [{ verb: 'webhook', url: 'http://169.254.169.254/latest' }] } });
      assert.equal(call.status, 400);
      assert.equal(call.body.code, 'egress_blocked');
      assert.equal((await s.api('GET', '/api/calls', { cookie: admin })).body.items.length, 0, 'nothing was dialled');
      assert.deepEqual(target.hits, []);
    });

    test('`play` and `webhook` verbs to an internal address, or redirected to one, are refused (the flow goes on)', async () => {
      const uas = startSippUas({ timeoutSec: 20 });
      const refused: string[] = [];
      const sub = await s.ctx.bus.subscribe({ types: ['call.dial.refused'] }, (e) => void refused.push((e.data as { to: string }).to));
      try {
        const call = await s.api('POST', '/api/calls', {
          cookie: agent,
          body: {
            to: `sip:uas@127.0.0.1:${uas.port}`,
            verbs: [{ verb: 'webhook', url: `${redirector.base}/verbs` }],
          },
        });
        assert.equal(call.status, 201, JSON.stringify(call.body));
        await waitFor(() => refused.includes('+19005550100'), 15_000, 'the flow to reach its last verb');
        assert.deepEqual(redirector.hits, ['POST /verbs', 'GET /start.wav'], 'the allowed server was asked');
        assert.deepEqual(target.hits, [], 'the internal server was never reached, directly or by redirect');
        await s.api('POST', `/api/calls/${call.body.id}/hangup`, { cookie: agent, body: {} });
      } finally {
        await sub.unsubscribe();
        uas.kill();
      }
    });
  });
}
