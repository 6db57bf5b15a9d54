import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import type { AnyEvent } from '../../src/bus/event-map.js';
import { generateDtmf } from '../../src/media/tone.js';
import { heardFiles, startBaresip, toneShare } from '../helpers/baresip.js';
import { writePcmuPcap } from '../helpers/pcap.js';
import { callScenario, runSipp, SIPP_PCAPS } from '../helpers/sipp.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { waitFor } from '../helpers/wait.js';

const execFileAsync = promisify(execFile);
const SERVER_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * The telephony core against real peers: sipp as a carrier/phone, baresip as a
 * softphone with real audio. The demo tenant provides sip:echo, sip:100 (IVR) and
 * the SIP account `agent` (password demo).
 */
describe('telephony with sipp and baresip', () => {
  let s: TestServer;
  let port: number;
  let key: string;
  const events: AnyEvent[] = [];

  before(async () => {
    s = await startTestServer();
    port = s.ctx.services.get('telephony').endpoint.ports.udp;
    const cookie = await s.login('admin@acme.test');
    key = (await s.api('POST', '/api/api-keys', { cookie, body: { name: 'telephony' } })).body.key;
    await s.ctx.bus.subscribe({ types: ['call.', 'sip.'] }, (e) => void events.push(e));
  });
  after(async () => {
    const t = Date.now();
    await s.destroy();
    if (Date.now() - t > 5000) throw new Error(`shutdown took ${Date.now() - t} ms`);
  });

  const callEvents = (callId: string) => events.filter((e) => (e.data as { callId?: string }).callId === callId);

  test('an unknown number is refused with 404', async () => {
    const r = await runSipp({ scenario: callScenario({ pauseMs: 0, waitMs: 0, expectStatus: 404 }), port, service: 'nobody', timeoutSec: 10 });
    assert.equal(r.code, 0, r.stdout + r.stderr);
  });

  test('sipp calls the IVR, presses 2, hears the balance and the flow hangs up', async () => {
    const before = events.length;
    const r = await runSipp({
      scenario: callScenario({ pcap: `${SIPP_PCAPS}/dtmf_2833_2.pcap`, pauseMs: 1500, waitMs: 20_000 }),
      port,
      service: '100',
      timeoutSec: 30,
    });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const created = events.slice(before).find((e) => e.type === 'call.created');
    assert.ok(created, 'call.created');
    const callId = (created.data as { callId: string }).callId;
    await waitFor(() => callEvents(callId).some((e) => e.type === 'call.ended'));
    const types = callEvents(callId).map((e) => e.type);
    assert.deepEqual(types.filter((t) => t !== 'call.dtmf'), ['call.created', 'call.answered', 'call.ended']);
    assert.deepEqual(callEvents(callId).filter((e) => e.type === 'call.dtmf').map((e) => (e.data as { digit: string }).digit), ['2']);
    const ended = callEvents(callId).find((e) => e.type === 'call.ended')!.data as { cause: string };
    assert.equal(ended.cause, 'flow_completed');
    const call = (await s.api('GET', `/api/calls/${callId}`, { key })).body;
    assert.equal(call.state, 'ended');
    assert.equal(call.direction, 'inbound');
    assert.equal(created.interactionId, call.interactionId);
  });

  test('sipp without telephone-event presses 2 as in-band tones; the detector hears it', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'callsight-inband-'));
    const pcap = path.join(dir, 'inband-2.pcap');
    const silence = (ms: number) => new Int16Array(ms * 8);
    const audio = [silence(1000), generateDtmf('2', 160, { levelDbfs: -12 }), silence(1000)];
    const pcm = new Int16Array(audio.reduce((n, a) => n + a.length, 0));
    audio.reduce((at, a) => (pcm.set(a, at), at + a.length), 0);
    writePcmuPcap(pcap, pcm);
    const before = events.length;
    const r = await runSipp({ scenario: callScenario({ pcap, pauseMs: 500, waitMs: 20_000, noTelephoneEvent: true }), port, service: '100', timeoutSec: 30 });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const created = events.slice(before).find((e) => e.type === 'call.created');
    const callId = (created!.data as { callId: string }).callId;
    await waitFor(() => callEvents(callId).some((e) => e.type === 'call.ended'));
    assert.deepEqual(callEvents(callId).filter((e) => e.type === 'call.dtmf').map((e) => (e.data as { digit: string }).digit), ['2']);
    assert.equal((callEvents(callId).find((e) => e.type === 'call.ended')!.data as { cause: string }).cause, 'flow_completed');
  });

  const registered = async () =>
    (await s.api('GET', '/api/sip/accounts', { key })).body.items.find((a: { username: string }) => a.username === 'agent').registered as string[];
  /** Starts a baresip as `agent` and waits for its own binding: one left by an earlier test's phone may still be unregistering. */
  const registeredPhone = async (opts: Parameters<typeof startBaresip>[0]) => {
    const before = await registered();
    const phone = startBaresip(opts);
    try {
      await waitFor(async () => (await registered()).some((c) => !before.includes(c)), 5000, 'registration');
    } catch (err) {
      phone.kill();
      throw err;
    }
    return phone;
  };

  test('baresip registers with digest, calls echo and hears itself', async () => {
    const phone = startBaresip({
      account: `<sip:agent@127.0.0.1:${port}>;auth_pass=demo;regint=60`,
      commands: [`/dial sip:echo@127.0.0.1:${port}`],
      seconds: 6,
      toneHz: 1000,
    });
    await waitFor(async () => (await registered()).length === 1, 5000, 'registration');
    await phone.done;
    const [heard] = heardFiles(phone.recordings);
    assert.ok(heard, 'baresip recorded the call');
    const { share, rms } = await toneShare(heard, 1000);
    assert.ok(rms > 0.05, `baresip heard audio (rms ${rms})`);
    assert.ok(share > 0.8, `what baresip heard is its own 1 kHz tone (share ${share})`);
  });

  test('the API originates a call to a registered baresip, speaks into it and records its tone', async () => {
    const phone = await registeredPhone({ account: `<sip:agent@127.0.0.1:${port}>;auth_pass=demo;answermode=auto;regint=60`, seconds: 10, toneHz: 800 });
    try {
      const created = await s.api('POST', '/api/calls', { key, body: { to: 'agent', verbs: [{ verb: 'say', text: 'Hello from callsight. This is a test call.' }, { verb: 'pause', seconds: 1 }] } });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const id = created.body.id;
      await waitFor(() => callEvents(id).some((e) => e.type === 'call.answered'), 8000, 'answer');
      const rec = await s.api('POST', `/api/calls/${id}/record`, { key, body: { mode: 'received' } });
      assert.equal(rec.status, 200, JSON.stringify(rec.body));
      await waitFor(() => callEvents(id).some((e) => e.type === 'call.ended'), 15_000, 'flow end');
      const recordings = (await s.api('GET', `/api/calls/${id}/recordings`, { key })).body.items;
      assert.equal(recordings.length, 1);
      const wav = await fetch(`${s.url}/api/recordings/${recordings[0].id}`, { headers: { authorization: `Bearer ${key}` } });
      assert.equal(wav.status, 200);
      assert.equal(wav.headers.get('content-type'), 'audio/wav');
      assert.equal(Buffer.from(await wav.arrayBuffer()).subarray(0, 4).toString(), 'RIFF');
      const file = `${s.config.dataDir}/recordings/${recordings[0].id}.wav`;
      const { share } = await toneShare(file, 800);
      assert.ok(share > 0.6, `the recording holds baresip's 800 Hz tone (share ${share})`);
      await phone.done;
      const [heard] = heardFiles(phone.recordings);
      const { rms, share: toneInSpeech } = await toneShare(heard, 800);
      assert.ok(rms > 0.02 && toneInSpeech < 0.5, `baresip heard speech, not its tone (rms ${rms}, share ${toneInSpeech})`);
      // Actions on an ended call are refused.
      assert.equal((await s.api('POST', `/api/calls/${id}/hangup`, { key, body: {} })).status, 409);
    } finally {
      phone.kill();
    }
  });

  test('sipp calls the IVR, presses 3 and is transferred to the registered agent phone', async () => {
    const phone = await registeredPhone({ account: `<sip:agent@127.0.0.1:${port}>;auth_pass=demo;answermode=auto;regint=60`, seconds: 15 });
    try {
      const before = events.length;
      const r = await runSipp({
        scenario: callScenario({ pcap: `${SIPP_PCAPS}/dtmf_2833_3.pcap`, pauseMs: 1500, waitMs: 8000 }),
        port,
        service: '100',
        timeoutSec: 30,
      });
      assert.equal(r.code, 0, r.stdout + r.stderr);
      const bridged = events.slice(before).filter((e) => e.type === 'call.bridged');
      assert.equal(bridged.length, 2, 'the caller and the agent leg were bridged');
    } finally {
      phone.kill();
    }
  });

  test('the CLI originates a call to a registered baresip and speaks into it', async () => {
    const phone = await registeredPhone({ account: `<sip:agent@127.0.0.1:${port}>;auth_pass=demo;answermode=auto;regint=60`, seconds: 20 });
    try {
      // Asynchronously: the server under test runs in this process and must answer the CLI.
      const cli = await execFileAsync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'call', 'dial', 'agent', '--say', 'Hello from the command line', '--url', s.url], {
        cwd: SERVER_DIR,
        env: { ...process.env, CALLSIGHT_API_KEY: key },
      });
      const callId = cli.stdout.trim();
      assert.match(callId, /^call_[0-9a-z]{26}$/);
      await waitFor(() => callEvents(callId).some((e) => e.type === 'call.answered'), 8000, 'baresip answered');
      await waitFor(() => callEvents(callId).some((e) => e.type === 'call.ended'), 10_000, 'the flow spoke and hung up');
    } finally {
      phone.kill();
    }
  });

  // Last: failed digests from 127.0.0.1 trip the brute-force brake for every later REGISTER from it.
  test('a wrong SIP password never registers, and repeated failures are refused with 403', async () => {
    const bindings = await registered();
    const wrong = startBaresip({ account: `<sip:agent@127.0.0.1:${port}>;auth_pass=wrong-password;regint=60`, seconds: 3 });
    const out = await wrong.done;
    assert.match(out.stdout, /401 Unauthorized|403 Forbidden|Unauthorized|Forbidden/);
    const after = await registered();
    assert.ok(after.every((c) => bindings.includes(c)), `no binding was added: ${after} vs ${bindings}`);
    const REGISTER = ['REGISTER sip:127.0.0.1 SIP/2.0', 'Via: SIP/2.0/UDP 127.0.0.1:9;rport;branch=z9hG4bK-brake', 'From: <sip:agent@127.0.0.1>;tag=1', 'To: <sip:agent@127.0.0.1>', 'Call-ID: brake', 'CSeq: 1 REGISTER', 'Contact: <sip:agent@127.0.0.1:9>', 'Authorization: Digest username="agent", realm="callsight", nonce="x", uri="sip:127.0.0.1", response="00000000000000000000000000000000"', 'Content-Length: 0', '', ''].join('\r\n');
    const socket = createSocket('udp4');
    const statuses: number[] = [];
    socket.on('message', (m) => statuses.push(Number(m.toString().split(' ')[1])));
    await new Promise<void>((r) => socket.bind(0, '127.0.0.1', r));
    for (let i = 0; i < 15; i++) {
      socket.send(REGISTER.replace('CSeq: 1', `CSeq: ${i + 1}`).replace('z9hG4bK-brake', `z9hG4bK-brake${i}`), port, '127.0.0.1');
      await new Promise((r) => setTimeout(r, 20));
    }
    await waitFor(() => statuses.length === 15, 3000, 'answers');
    socket.close();
    // The wrong-password phone's failures and these together pass the brake's limit.
    assert.ok(statuses.every((st) => st === 401 || st === 403) && statuses.at(-1) === 403, `401s then 403: ${statuses.join(',')}`);
    assert.ok(s.ctx.services.get('telephony').registrar.stats.blocked > 0);
  });
});
