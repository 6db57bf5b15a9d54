import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { statSync } from 'node:fs';
import type { AnyEvent } from '../../src/bus/event-map.js';
import { heardFiles, startBaresip, toneShare } from '../helpers/baresip.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { waitFor } from '../helpers/wait.js';

/**
 * SDES-SRTP (RFC 4568) with a real phone: baresip with its `srtp` media encryption in
 * mandatory mode (RTP/SAVP, a=crypto) on an account whose policy requires SRTP. It calls
 * echo and hears its own tone (SRTP both ways), and is called by the API and hears its
 * tone echoed there too (our RTP/SAVP offer). A plain phone on that account is refused.
 */
describe('SDES-SRTP with baresip', () => {
  let s: TestServer;
  let port: number;
  let key: string;
  const events: AnyEvent[] = [];

  before(async () => {
    s = await startTestServer();
    port = s.ctx.services.get('telephony').endpoint.ports.udp;
    const cookie = await s.login('admin@acme.test');
    key = (await s.api('POST', '/api/api-keys', { cookie, body: { name: 'srtp' } })).body.key;
    const created = await s.api('POST', '/api/sip/accounts', { key, body: { username: 'secure', password: 'secure-pass-1', srtp: 'required' } });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(created.body.srtp, 'required');
    await s.ctx.bus.subscribe({ types: ['call.'] }, (e) => void events.push(e));
  });
  after(async () => {
    await s?.destroy();
  });

  const registered = async () => (await s.api('GET', '/api/sip/accounts', { key })).body.items.find((a: { username: string }) => a.username === 'secure').registered as string[];

  test('baresip (srtp-mand) calls echo and hears its own tone; the API calls it with RTP/SAVP and it hears itself again', async () => {
    const phone = startBaresip({
      account: `<sip:secure@127.0.0.1:${port}>;auth_pass=secure-pass-1;mediaenc=srtp-mand;answermode=auto;regint=60`,
      commands: [`/dial sip:echo@127.0.0.1:${port}`],
      seconds: 14,
      toneHz: 1000,
      menc: ['srtp'],
      sipTrace: true,
    });
    await waitFor(async () => (await registered()).length > 0, 8000, 'registration');
    await waitFor(() => events.some((e) => e.type === 'call.answered'), 10_000, 'echo answers');
    const echoCall = (events.find((e) => e.type === 'call.answered')!.data as { callId: string }).callId;
    // Two seconds of what it heard (8 kHz 16-bit) are recorded: enough to judge; hang up.
    await waitFor(() => heardFiles(phone.recordings).some((f) => statSync(f).size > 32_000), 10_000, 'baresip hears the echo');
    await s.api('POST', `/api/calls/${echoCall}/hangup`, { key, body: {} });
    await waitFor(() => events.some((e) => e.type === 'call.ended' && (e.data as { callId: string }).callId === echoCall), 5000, 'the echo call ends');
    const created = await s.api('POST', '/api/calls', { key, body: { to: 'secure', verbs: [{ verb: 'echo', seconds: 3 }] } });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    await waitFor(() => events.some((e) => e.type === 'call.ended' && (e.data as { callId: string }).callId === created.body.id), 12_000, 'the API call ends');
    phone.kill();
    const r = await phone.done;
    // Both calls' SDP was RTP/SAVP with keys; the keys are never in our logs.
    assert.match(r.stdout, /m=audio \d+ RTP\/SAVP 0/, 'our answer and offer are RTP/SAVP');
    assert.match(r.stdout, /a=crypto:\d AES_CM_128_HMAC_SHA1_80 inline:/);
    const files = heardFiles(phone.recordings);
    assert.equal(files.length, 2, 'baresip recorded two calls');
    for (const file of files) {
      const { share, rms } = await toneShare(file, 1000, { fromSec: 0.5 });
      assert.ok(rms > 0.05, `baresip heard audio over SRTP (rms ${rms})`);
      assert.ok(share > 0.8, `what baresip heard is its own tone, echoed (share ${share})`);
    }
  });
});
