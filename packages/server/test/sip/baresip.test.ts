/**
 * baresip (a real softphone) against our registrar helper and UAC:
 * REGISTER with a wrong password is refused (no binding, failure counted);
 * with the right one the binding is stored; then our endpoint INVITEs the
 * registered contact, baresip auto-answers (answermode=auto), the dialog is
 * established and we hang up with BYE. baresip is required: missing fails.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { SipEndpoint } from '../../src/sip/ua/endpoint.js';
import { Registrar } from '../../src/sip/ua/registrar.js';
import { InMemoryRegistrationStore } from '../../src/sip/ua/registration-store.js';
import { waitFor } from '../helpers/wait.js';
import { delay, randomPort, requireBinary, run, sdp, startEndpoint } from './sip-endpoints.js';

const BARESIP = '/usr/bin/baresip';
const store = new InMemoryRegistrationStore();
const registrar = new Registrar({
  realm: 'callsight.test',
  secret: 'test-secret',
  store,
  // baresip 1.0 (libre) aborts with ENOSYS when *any* challenge in the 401 uses SHA-256,
  // so this registrar offers MD5 only; the SHA-256 path is covered in registrar.test.ts.
  algorithms: ['MD5'],
  // The wrong-password phase must not trip the brute-force brake for the right-password phase.
  brake: { maxFailures: 1000 },
  credentials: async (_realm, username) => (username === 'alice' ? { password: 'secret' } : null),
});
let ep: SipEndpoint;

before(async () => {
  requireBinary(BARESIP);
  ep = await startEndpoint({ timers: { T1: 500, T2: 4000, T4: 5000 } });
  ep.on('request', (req) => {
    if (req.message.method === 'REGISTER') void registrar.handle(req);
    else req.respond(405);
  });
});
after(() => ep.close());

/** One second of 8 kHz 16-bit mono silence: baresip's audio source (ausine only does 48 kHz). */
function silenceWav(): Buffer {
  const data = Buffer.alloc(16000);
  const h = Buffer.alloc(44);
  h.write('RIFF', 0);
  h.writeUInt32LE(36 + data.length, 4);
  h.write('WAVEfmt ', 8);
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(1, 20); // PCM
  h.writeUInt16LE(1, 22); // mono
  h.writeUInt32LE(8000, 24);
  h.writeUInt32LE(16000, 28);
  h.writeUInt16LE(2, 32);
  h.writeUInt16LE(16, 34);
  h.write('data', 36);
  h.writeUInt32LE(data.length, 40);
  return Buffer.concat([h, data]);
}

function baresip(password: string) {
  const dir = mkdtempSync(join(tmpdir(), 'callsight-baresip-'));
  writeFileSync(join(dir, 'silence.wav'), silenceWav());
  const port = randomPort();
  writeFileSync(
    join(dir, 'config'),
    [
      'poll_method epoll',
      `sip_listen 127.0.0.1:${port}`,
      'sip_trans_def udp',
      `audio_player aufile,${join(dir, 'out.wav')}`,
      `audio_source aufile,${join(dir, 'silence.wav')}`,
      `audio_alert aufile,${join(dir, 'alert.wav')}`,
      'module_path /usr/lib/baresip/modules',
      'module g711.so',
      'module aufile.so',
      'module_app account.so',
      'module_app menu.so',
      `rtp_ports ${port + 2}-${port + 40}`,
      '',
    ].join('\n'),
  );
  writeFileSync(join(dir, 'accounts'), `<sip:alice@127.0.0.1:${ep.ports.udp}>;auth_pass=${password};answermode=auto;regint=600\n`);
  return { proc: run(BARESIP, ['-f', dir, '-t', '40'], 45_000), port };
}

describe('baresip', () => {
  it('wrong password: not registered, failure counted', async () => {
    const failuresBefore = registrar.stats.authFailures;
    const b = baresip('wrong');
    try {
      await waitFor(() => registrar.stats.authFailures > failuresBefore, 10_000, 'a failed digest from baresip');
      await delay(300);
      assert.deepEqual(await store.lookup('sip:alice@127.0.0.1'), []);
      assert.equal(registrar.stats.registered, 0);
    } finally {
      b.proc.kill();
      await b.proc.done;
    }
  });

  it('right password: binding stored; our INVITE is auto-answered; BYE ends it', async () => {
    const b = baresip('secret');
    try {
      await waitFor(async () => (await store.lookup('sip:alice@127.0.0.1')).length > 0, 10_000, 'baresip binding').catch(async (e) => {
        b.proc.kill();
        const r = await b.proc.done;
        throw new Error(`${(e as Error).message}; registrar ${JSON.stringify(registrar.stats)}; baresip said: ${r.stdout.slice(-1500)} ${r.stderr.slice(-500)}`);
      });
      const [binding] = await store.lookup('sip:alice@127.0.0.1');
      assert.match(binding.contact, new RegExp(`127\\.0\\.0\\.1:${b.port}`));
      assert.equal(binding.source.transport, 'udp');
      assert.ok(binding.expiresAt > Date.now() + 60_000);

      const out = ep.invite({ target: binding.contact, from: { uri: 'sip:callsight@127.0.0.1', displayName: 'callsight' }, sdp: sdp(43000) });
      const { dialog, response } = await out.response;
      assert.equal(response.status, 200);
      assert.ok(dialog.remoteSdp?.includes('PCMU'), 'baresip answered with an SDP');
      const ended = new Promise((r) => dialog.on('terminated', r));
      await dialog.bye();
      await ended;
      assert.equal(dialog.state, 'terminated');
    } finally {
      b.proc.kill();
      await b.proc.done;
    }
  });
});
