import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { listenRecorder as listen, type Recorder } from '../helpers/http-recorder.js';
import { Egress, EgressError } from '../../src/core/egress.js';


const blocked = (reason = 'egress_blocked') => (e: unknown) => e instanceof EgressError && e.reason === reason;
const get = { timeoutMs: 2000, maxBytes: 1024, maxRedirects: 3 };

describe('egress policy (every server-initiated fetch)', () => {
  let inside: Recorder;
  let other: Recorder;
  before(async () => {
    other = await listen('127.0.0.2', (_req, res) => res.end('secret'));
    inside = await listen('127.0.0.1', (req, res) => {
      if (req.url === '/to-other') res.writeHead(302, { location: `${other.base}/admin` }).end();
      else if (req.url === '/to-mapped') res.writeHead(302, { location: `http://[::ffff:127.0.0.2]:${new URL(other.base).port}/admin` }).end();
      else if (req.url === '/big') res.end(Buffer.alloc(4096));
      else if (req.url === '/slow') setTimeout(() => res.end('late'), 5000).unref();
      else res.end('ok');
    });
  });
  after(() => {
    inside.server.closeAllConnections();
    inside.server.close();
    other.server.close();
  });

  test('loopback, private, link-local, unspecified and v4-mapped destinations are refused before connecting; names are resolved first', async () => {
    const egress = new Egress([]);
    const port = new URL(inside.base).port;
    for (const url of [
      `${inside.base}/x`,
      `http://localhost:${port}/x`,
      `http://[::1]:${port}/x`,
      `http://0.0.0.0:${port}/x`,
      `http://[::ffff:127.0.0.1]:${port}/x`,
      `http://[::127.0.0.1]:${port}/x`,
      `http://[64:ff9b::7f00:1]:${port}/x`,
      'http://[fd00::1]/',
      'http://100.64.0.1/',
      `http://127.1:${port}/x`,
      'http://169.254.169.254/latest/meta-data/',
      'http://10.0.0.1/',
      'http://[fe80::1]/',
      'http://224.0.0.1/',
      'http://127.0.0.1:5432/',
    ]) {
      await assert.rejects(egress.fetch(url, get), blocked(), url);
    }
    await assert.rejects(egress.fetch('file:///etc/passwd', get), blocked('egress_scheme'));
    await assert.rejects(egress.fetch('gopher://127.0.0.1/', get), blocked('egress_scheme'));
    assert.deepEqual(inside.hits, [], 'nothing reached the internal server');
  });

  test('an allow-listed address is fetched; a redirect from it to another internal address is refused, even v4-mapped', async () => {
    const egress = new Egress(['127.0.0.1']);
    const res = await egress.fetch(`${inside.base}/x`, get);
    assert.equal(res.status, 200);
    assert.equal(res.body.toString(), 'ok');
    await assert.rejects(egress.fetch(`${inside.base}/to-other`, get), blocked());
    await assert.rejects(egress.fetch(`${inside.base}/to-mapped`, get), blocked());
    assert.deepEqual(other.hits, [], 'the redirect target was never contacted');
    // Not following: the 3xx itself is the answer (webhooks never forward a signed event).
    assert.equal((await egress.fetch(`${inside.base}/to-other`, { ...get, maxRedirects: 0 })).status, 302);
    // A tenant's admin may list an address for that tenant only.
    const tenantEgress = new Egress(['127.0.0.1'], async (t) => (t === 'ten_a' ? ['127.0.0.2'] : []));
    assert.equal((await tenantEgress.fetch(`${inside.base}/to-other`, { ...get, tenantId: 'ten_a' })).body.toString(), 'secret');
    await assert.rejects(tenantEgress.fetch(`${inside.base}/to-other`, { ...get, tenantId: 'ten_b' }), blocked());
  });

  test('size and time are capped', async () => {
    const egress = new Egress(['127.0.0.1']);
    await assert.rejects(egress.fetch(`${inside.base}/big`, get), blocked('egress_too_large'));
    await assert.rejects(egress.fetch(`${inside.base}/slow`, { ...get, timeoutMs: 200 }), blocked('egress_timeout'));
  });
});
