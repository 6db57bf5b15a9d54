import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import WebSocket from 'ws';
import { CallsightClient, type EventStream } from '../../../sdk/src/index.js';
import type { AnyEvent } from '../../src/bus/event-map.js';
import { features } from '../../src/features.js';
import { blockEnergy, goertzelPower } from '../../src/media/goertzel.js';
import { g711Decode, g711Encode } from '../../src/media/g711.js';
import { generateDtmf, generateTone } from '../../src/media/tone.js';
import { EspeakTts } from '../../src/media/tts.js';
import { CardSpeech } from '../../src/vault/card-speech.js';
import { cardAad, withOpened } from '../../src/vault/envelope.js';
import { hashPassword } from '../../src/core/secrets.js';
import { LocalKeyFileProvider } from '../../src/vault/key-provider.js';
import { createVaultFeature } from '../../src/vault/vault-feature.js';
import { LocalTestConnector } from '../../src/vault/payment-connector.js';
import { heardFiles, startBaresip } from '../helpers/baresip.js';
import { BACKENDS } from '../helpers/backends.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { waitFor } from '../helpers/wait.js';
import { NodePeer } from '../webrtc/node-peer.js';
import { CANARY, bestMatch, holds, readWav, rms, scanFiles, scanNats, scanPostgres } from './vault-helpers.js';

const EXP = { expMonth: 12, expYear: new Date().getUTCFullYear() + 3 };

for (const backend of BACKENDS) {
  describe(`card vault on ${backend.name}: sealed cards, rotation under load, a card read into a live call, and a canary hunt`, () => {
    let s: TestServer;
    const logs: string[] = [];
    const webhookBodies: string[] = [];
    const events: AnyEvent[] = [];
    let hook: ReturnType<typeof createServer>;
    const keyFile = path.join(mkdtempSync(path.join(tmpdir(), 'vault-keys-')), 'keys.json');
    const provider = new LocalKeyFileProvider(keyFile);
    let customer: CallsightClient;
    let other: CallsightClient;
    let admin: string;
    let canaryToken = '';
    // The test connector keeps only whether it was handed the canary, never the number.
    const charged: { last4: string; canary: boolean; key: string }[] = [];
    const connector = new LocalTestConnector({ onCharge: (req) => void charged.push({ last4: req.card.last4, canary: req.card.pan.toString('ascii') === CANARY && req.card.cvc.toString() === '123', key: req.idempotencyKey }) });

    before(async () => {
      s = await startTestServer({ backend, captureLogs: logs, features: features.map((f) => (f.name === 'vault' ? createVaultFeature({ provider, connector }) : f)) });
      await s.ctx.bus.subscribe({ types: ['vault.', 'call.'] }, (e) => void events.push(e));
      hook = createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          webhookBodies.push(Buffer.concat(chunks).toString());
          res.end('ok');
        });
      });
      await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
      admin = await s.login('admin@acme.test');
      const wh = await s.api('POST', '/api/webhooks', { cookie: admin, body: { url: `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`, types: ['vault.', 'call.'] } });
      assert.equal(wh.status, 201, JSON.stringify(wh.body));
      const created = await s.api('POST', '/api/users', { cookie: admin, body: { email: 'olive@acme.test', name: 'Olive Other', role: 'customer', password: 'other-password' } });
      assert.equal(created.status, 201);
      customer = await s.client('customer@acme.test');
      other = await s.client('olive@acme.test', 'other-password');
    });
    after(async () => {
      hook?.close();
      await s?.destroy();
    });

    test('save, list and remove: only brand and last 4 come back; bad input is a 400 naming the field; another customer sees nothing', async () => {
      const card = await customer.vault.save({ pan: '4000 0566 5566 5556', ...EXP, holderName: 'Casey Customer' });
      canaryToken = card.token;
      assert.equal(card.brand, 'visa');
      assert.equal(card.last4, '5556');
      assert.ok(!holds(JSON.stringify(card)).length, 'no number in the reply');
      const dup = await s.api('POST', '/api/vault/cards', { cookie: await s.login('customer@acme.test'), body: { pan: CANARY, ...EXP, holderName: 'Casey Customer' } });
      assert.equal(dup.status, 409);
      assert.equal(dup.body.code, 'vault_card_exists');
      const bad = await s.api('POST', '/api/vault/cards', { cookie: await s.login('customer@acme.test'), body: { pan: '4000056655665557', expMonth: 1, expYear: 2020, holderName: 'Casey Customer' } });
      assert.equal(bad.status, 400);
      assert.equal(bad.body.code, 'vault_card_invalid');
      assert.deepEqual(bad.body.fields.map((f: { path: string }) => f.path).sort(), ['body.expYear', 'body.pan']);
      assert.ok(!JSON.stringify(bad.body).includes('4000056655665557'), 'the refused number is not echoed');
      const mc2 = await customer.vault.save({ pan: '2223003122003222', ...EXP, holderName: 'Casey Customer' });
      assert.equal(mc2.brand, 'mastercard');
      const amex = await customer.vault.save({ pan: '378282246310005', ...EXP, holderName: 'Casey Customer' });
      assert.equal(amex.brand, 'amex');
      assert.deepEqual((await customer.vault.list()).items.map((c) => c.last4).sort(), ['0005', '3222', '5556']);
      assert.deepEqual((await other.vault.list()).items, []);
      await assert.rejects(other.vault.get(card.token), (e: { status?: number }) => e.status === 404);
      await assert.rejects(other.vault.speak(card.token, { callId: 'call_00000000000000000000000000' }), (e: { status?: number }) => e.status === 404);
      await assert.rejects(customer.vault.speak(card.token, { callId: 'call_00000000000000000000000000' }), (e: { status?: number; code?: string }) => e.status === 409 && e.code === 'vault_no_active_call');
      await customer.vault.revoke(amex.token);
      await assert.rejects(customer.vault.speak(amex.token, { callId: 'call_00000000000000000000000000' }), (e: { status?: number }) => e.status === 410);
      const row = await s.ctx.store.db.selectFrom('vault_cards').selectAll().where('id', '=', amex.token).executeTakeFirstOrThrow();
      assert.equal(row.sealed, '', 'a removed card keeps no sealed number');
      await waitFor(() => events.filter((e) => e.type === 'vault.card.saved').length === 3, 5000, 'saved events');
      const saved = events.find((e) => e.type === 'vault.card.saved' && e.data.token === card.token)!;
      assert.deepEqual(Object.keys(saved.data).sort(), ['brand', 'customerId', 'last4', 'token']);
    });

    test('rotation under load: a new key version re-wraps every data key while cards are saved; every card still opens, and the old version retires', async () => {
      const rotated = { version: 0 };
      const saves = (async () => {
        for (let i = 0; i < 30; i++) {
          const body = `41111111${String(i).padStart(7, '0')}`;
          const check = [...Array(10).keys()].find((d) => luhn(body + d))!;
          await customer.vault.save({ pan: body + check, ...EXP, holderName: 'Load Test' });
        }
      })();
      await new Promise((r) => setTimeout(r, 30));
      const res = await s.api('POST', '/api/vault/keys/rotate', { cookie: admin, body: {} });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      rotated.version = res.body.version;
      await saves;
      // Saves that wrapped under the old version while the rotation ran are moved by a second pass (rotate again would add a version: re-wrap instead).
      const retire = await s.api('POST', '/api/vault/keys/rotate', { cookie: admin, body: { retire: true } });
      assert.equal(retire.status, 200, JSON.stringify(retire.body));
      const status = await s.api('GET', '/api/vault/keys', { cookie: admin });
      assert.equal(status.body.currentVersion, retire.body.version);
      assert.equal(status.body.minDecryptionVersion, retire.body.version);
      assert.deepEqual(Object.keys(status.body.cardsByVersion), [String(retire.body.version)], 'every card on the newest version');
      const rows = await s.ctx.store.db.selectFrom('vault_cards').selectAll().where('status', '=', 'active').execute();
      assert.ok(rows.length >= 32);
      for (const r of rows) {
        const last4 = await withOpened(provider, { box: Buffer.from(r.sealed, 'base64'), key: { version: r.key_version, wrapped: Buffer.from(r.wrapped_key, 'base64') } }, cardAad(r.tenant_id, r.customer_id, r.id), (p) => p.toString('ascii', p.length - 4));
        assert.equal(last4, r.last4, 'no card lost');
      }
      const customerCookie = await s.login('customer@acme.test');
      const forbidden = await s.api('POST', '/api/vault/keys/rotate', { cookie: customerCookie, body: {} });
      assert.equal(forbidden.status, 403);
      // The keys are every tenant's: another tenant's admin neither sees nor rotates them.
      const other = await s.ctx.tenants.create({ name: `Globex ${backend.name}`, slug: `globex-${backend.name}` });
      await s.ctx.users.create({ tenantId: other.id, email: `root-${backend.name}@globex.test`, name: 'G', role: 'admin', passwordHash: await hashPassword('globex-pass') });
      const globex = await s.login(`root-${backend.name}@globex.test`, 'globex-pass');
      for (const [method, url] of [['POST', '/api/vault/keys/rotate'], ['GET', '/api/vault/keys']] as const) {
        const res = await s.api(method, url, { cookie: globex, ...(method === 'POST' ? { body: {} } : {}) });
        assert.equal(res.status, 403, url);
        assert.equal(res.body.code, 'vault_operator_only');
      }
    });

    // The call itself is media (the same on both backends): run once, on the first; the store and bus parts run on both.
    if (backend === BACKENDS[0]) test('a card read into a live call: the agent (baresip) hears the digits and not the customer’s room, the customer hears them too, the recording holds noise there', async () => {
      const port = s.ctx.services.get('telephony').endpoint.ports.udp;
      const registered = async () => (await s.api('GET', '/api/sip/accounts', { cookie: admin })).body.items.find((a: { username: string }) => a.username === 'agent').registered as string[];
      const phone = startBaresip({ account: `<sip:agent@127.0.0.1:${port}>;auth_pass=demo;answermode=auto;regint=60`, seconds: 60, toneHz: 1000 });
      const peer = new NodePeer('pcmu');
      let stream: EventStream | undefined;
      let mic: NodeJS.Timeout | undefined;
      try {
        await waitFor(async () => (await registered()).length > 0, 8000, 'baresip registered');
        stream = customer.realtime();
        const pushed: { kind: string; callId?: string; state?: string }[] = [];
        stream.on('message', (m) => pushed.push(m as never));
        const answer = (await stream.request('rtc.offer', { purpose: 'call', sdp: await peer.offer() })) as { sdp: string; sessionId: string };
        await peer.accept(answer.sdp);
        await peer.connected();
        // The customer's room: a 600 Hz tone on their microphone the whole call.
        const tone = g711Encode('ulaw', generateTone([600], 20_000, { levelDbfs: -12 }));
        let at = 0;
        mic = setInterval(() => {
          peer.send(Buffer.from(tone.subarray(at, at + 160)));
          at = (at + 160) % (tone.length - 160);
        }, 20);
        const dialing = (await stream.request('call.dial', { to: 'agent', sessionId: answer.sessionId })) as { callId: string };
        const callId = dialing.callId;
        await waitFor(() => events.some((e) => e.type === 'call.bridged' && e.data.callId === callId), 10_000, 'bridged to baresip');
        const rec = await s.api('POST', `/api/calls/${callId}/record`, { cookie: admin, body: {} });
        assert.equal(rec.status, 200, JSON.stringify(rec.body));
        await new Promise((r) => setTimeout(r, 1500));
        const heardFrom = peer.received.length;
        const spoken = await customer.vault.speak(canaryToken, { callId, rate: 260 });
        assert.equal(spoken.last4, '5556');
        await assert.rejects(customer.vault.speak(canaryToken, { callId }), (e: { status?: number; code?: string }) => e.status === 409 && e.code === 'vault_speak_in_progress');
        await assert.rejects(other.vault.speak(canaryToken, { callId }), (e: { status?: number }) => e.status === 404, "another customer's card");
        const otherCard = await other.vault.save({ pan: '5555555555554444', ...EXP, holderName: 'Olive Other' });
        await assert.rejects(other.vault.speak(otherCard.token, { callId }), (e: { status?: number; code?: string }) => e.status === 403 && e.code === 'vault_not_on_call');
        await waitFor(() => events.some((e) => e.type === 'vault.card.speaking' && e.data.speakId === spoken.speakId), 10_000, 'speaking');
        const speaking = events.find((e): e is Extract<AnyEvent, { type: 'vault.card.speaking' }> => e.type === 'vault.card.speaking' && e.data.speakId === spoken.speakId)!;
        assert.ok(speaking.data.otherCallId, 'the agent side is named');
        await waitFor(() => events.some((e) => e.type === 'vault.card.spoken' && e.data.speakId === spoken.speakId), 30_000, 'spoken');
        // The agent may hear the last group again; the customer may not ask for that.
        await assert.rejects(customer.vault.repeatLastGroup(spoken.speakId), (e: { status?: number }) => e.status === 403);
        const agent = await s.client('agent@acme.test');
        const again = await agent.vault.repeatLastGroup(spoken.speakId);
        await waitFor(() => events.some((e) => e.type === 'vault.card.spoken' && e.data.speakId === again.speakId), 20_000, 'repeated');
        await new Promise((r) => setTimeout(r, 1000));
        const stopped = await s.api('POST', `/api/calls/${callId}/record/stop`, { cookie: admin, body: {} });
        assert.equal(stopped.status, 200, JSON.stringify(stopped.body));
        await stream.request('call.hangup', { callId });
        await waitFor(() => events.some((e) => e.type === 'call.ended' && e.data.callId === callId), 8000, 'ended');
        clearInterval(mic);
        phone.kill();
        await phone.done.catch(() => {});

        // What was rendered (the test renders it again from the canary; the server never keeps it).
        const speech = new CardSpeech(new EspeakTts());
        const rendered = await speech.render([{ label: 'Card number', groups: ['4000', '0566', '5566', '5556'].map((g) => Buffer.from(g)) }], { rate: 260 });
        assert.ok(Math.abs(rendered.length / 8 - spoken.durationMs) < 5, 'same rendering');

        const [file] = heardFiles(phone.recordings);
        const agentHeard = readWav(file);
        const match = bestMatch(agentHeard, rendered);
        assert.ok(match.score > 0.6, `the agent's audio holds the spoken card (correlation ${match.score.toFixed(2)})`);
        const window = agentHeard.subarray(match.lag, match.lag + rendered.length);
        const share600 = goertzelPower(window, 600, 8000) / blockEnergy(window);
        const before600 = agentHeard.subarray(Math.max(0, match.lag - 8000), match.lag);
        assert.ok(goertzelPower(before600, 600, 8000) / blockEnergy(before600) > 0.3, 'before the window the agent hears the customer');
        assert.ok(share600 < 0.01, `the customer's room is gated out of the window (600 Hz share ${share600.toFixed(4)})`);

        // RTP towards the customer stays one stream: same SSRC, sequence and timestamp running on, the marker at the reading's start.
        const towards = peer.received.slice(Math.max(0, heardFrom - 50)).filter((p) => p.pt === 0);
        assert.equal(new Set(towards.map((p) => p.ssrc)).size, 1, 'one SSRC');
        const markerAt = towards.findIndex((p, i) => i >= 50 && p.marker);
        assert.ok(markerAt > 0, 'a marker starts the reading');
        for (let i = 1; i < towards.length; i++) {
          const dseq = (towards[i].seq - towards[i - 1].seq) & 0xffff;
          assert.ok(dseq >= 1 && dseq <= 10, `sequence continuous at ${i} (+${dseq})`);
          assert.equal((towards[i].ts - towards[i - 1].ts) >>> 0, 160 * dseq, `timestamp continuous at ${i}`);
        }
        // The customer heard it too.
        const customerHeard = g711Decode('ulaw', Buffer.concat(peer.received.slice(heardFrom).filter((p) => p.pt === 0).map((p) => p.payload)));
        // Over the agent's 1 kHz tone (about twice the speech's level), so the correlation is bounded near 0.4.
        const customerMatch = bestMatch(customerHeard, rendered);
        assert.ok(customerMatch.score > 0.25, `the customer hears what was read (correlation ${customerMatch.score.toFixed(2)})`);

        // The call's recording: comfort noise of exactly the window, marked with the token and last 4.
        const audit = await s.api('GET', '/api/vault/speaks', { cookie: admin });
        const record = audit.body.items.find((x: { id: string }) => x.id === spoken.speakId);
        assert.equal(record.status, 'completed');
        assert.equal(record.kind, 'card');
        const repeated = audit.body.items.find((x: { id: string }) => x.id === again.speakId);
        assert.equal(repeated.kind, 'repeat');
        assert.notEqual(repeated.actor, record.actor, 'the agent asked, the customer read');
        assert.equal(record.markers.length, 1);
        const marker = record.markers[0];
        assert.equal(marker.recordingId, rec.body.recordingId ?? marker.recordingId);
        assert.deepEqual(Object.keys(marker).sort(), ['durationMs', 'last4', 'offsetMs', 'recordingId', 'token']);
        // The window is what was played: the reading, and any silence while a clip was still being rendered.
        assert.ok(record.durationMs >= spoken.durationMs - 20, `the reading was played whole (${record.durationMs} of ${spoken.durationMs} ms)`);
        assert.ok(Math.abs(marker.durationMs - record.durationMs) <= 40, `masked for the played length (${marker.durationMs} vs ${record.durationMs} ms)`);
        const res = await fetch(`${s.url}/api/recordings/${marker.recordingId}`, { headers: { cookie: admin } });
        assert.equal(res.status, 200);
        const { decodeWav } = await import('../../src/media/wav.js');
        const recorded = decodeWav(Buffer.from(await res.arrayBuffer())).samples as Int16Array;
        const from = (marker.offsetMs + 40) * 8;
        const to = (marker.offsetMs + marker.durationMs - 40) * 8;
        assert.ok(rms(recorded, from, to) < 60, `noise in the window (rms ${rms(recorded, from, to).toFixed(1)})`);
        assert.ok(rms(recorded, Math.max(0, from - 8000), from - 400) > 500, 'the call before it is recorded');
        assert.ok(bestMatch(recorded, rendered).score < 0.3, 'the spoken digits are nowhere in the recording');
      } finally {
        clearInterval(mic);
        stream?.close();
        await peer.pc.close().catch(() => {});
        phone.kill();
      }
    });

    if (backend === BACKENDS[0]) test('keypad capture: the customer keys the canary (app keypad, and key tones on the microphone); the agent (baresip) hears no key tone and gets no DTMF, no digit is an event; the connector gets the card', async () => {
      const port = s.ctx.services.get('telephony').endpoint.ports.udp;
      const registered = async () => (await s.api('GET', '/api/sip/accounts', { cookie: admin })).body.items.find((a: { username: string }) => a.username === 'agent').registered as string[];
      const phone = startBaresip({ account: `<sip:agent@127.0.0.1:${port}>;auth_pass=demo;answermode=auto;regint=60`, seconds: 60, toneHz: 1000, control: true });
      const peer = new NodePeer('pcmu');
      const stream = customer.realtime();
      let mic: NodeJS.Timeout | undefined;
      try {
        await waitFor(async () => (await registered()).length > 0, 8000, 'baresip registered');
        const answer = (await stream.request('rtc.offer', { purpose: 'call', sdp: await peer.offer() })) as { sdp: string; sessionId: string };
        await peer.accept(answer.sdp);
        await peer.connected();
        // The customer's microphone: a 600 Hz voice, then in-band key tones (DTMF 5) while they key.
        let sound = g711Encode('ulaw', generateTone([600], 20_000, { levelDbfs: -12 }));
        let at = 0;
        mic = setInterval(() => {
          peer.send(Buffer.from(sound.subarray(at, at + 160)));
          at = (at + 160) % (sound.length - 160);
        }, 20);
        const dialing = (await stream.request('call.dial', { to: 'agent', sessionId: answer.sessionId })) as { callId: string };
        const callId = dialing.callId;
        await waitFor(() => events.some((e) => e.type === 'call.bridged' && e.data.callId === callId), 10_000, 'bridged to baresip');
        const agentCallId = (events.find((e) => e.type === 'call.bridged' && e.data.callId === callId)!.data as { otherCallId: string }).otherCallId;
        const rec = await s.api('POST', `/api/calls/${callId}/record`, { cookie: admin, body: {} });
        assert.equal(rec.status, 200, JSON.stringify(rec.body));
        await assert.rejects(customer.vault.startCapture({ callId }), (e: { status?: number }) => e.status === 403, 'a customer does not start one');
        await new Promise((r) => setTimeout(r, 1000));
        const supervisor = await s.client('admin@acme.test');
        const capture = await supervisor.vault.startCapture({ callId: agentCallId, amount: 1999, currency: 'EUR', idempotencyKey: `key-${backend.name}-canary` });
        assert.equal(capture.customerCallId, callId);
        await assert.rejects(supervisor.vault.startCapture({ callId: agentCallId }), (e: { status?: number; code?: string }) => e.status === 409 && e.code === 'vault_speak_in_progress');
        sound = g711Encode('ulaw', generateDtmf('5', 20_000, { levelDbfs: -8 }));
        const progress = () => events.filter((e): e is Extract<AnyEvent, { type: 'vault.capture.progress' }> => e.type === 'vault.capture.progress' && e.data.captureId === capture.id);
        const dtmfBefore = events.filter((e) => e.type === 'call.dtmf').length;
        const keysIn = `${CANARY}#1229123`;
        for (const [i, key] of [...keysIn].entries()) {
          const n = progress().length;
          if (i === keysIn.length - 1) sound = new Uint8Array(160).fill(0xff);
          await stream.request('call.dtmf', { callId, digits: key });
          if (i < keysIn.length - 1) await waitFor(() => progress().length > n, 8000, `key ${i}`);
        }
        await waitFor(() => events.some((e) => e.type === 'vault.payment.result' && e.data.captureId === capture.id), 10_000, 'payment result');
        const result = events.find((e): e is Extract<AnyEvent, { type: 'vault.payment.result' }> => e.type === 'vault.payment.result' && e.data.captureId === capture.id)!;
        assert.equal(result.data.result, 'success');
        assert.equal(result.data.last4, '5556');
        assert.match(result.data.paymentToken ?? '', /^pay_/);
        assert.deepEqual(charged, [{ last4: '5556', canary: true, key: `key-${backend.name}-canary` }]);
        const seen = progress().map((e) => e.data);
        assert.ok(seen.some((d) => d.stage === 'number' && d.digits === 16 && d.luhnValid === true && d.brand === 'visa'), 'the agent saw 16 digits, Luhn valid, Visa');
        assert.equal(events.filter((e) => e.type === 'call.dtmf').length, dtmfBefore, 'no key was a call.dtmf event');
        // Idempotent: the same key returns the same capture and charges nothing more.
        const again = await supervisor.vault.startCapture({ callId: agentCallId, idempotencyKey: `key-${backend.name}-canary` });
        assert.equal(again.id, capture.id);
        assert.equal(again.result, 'success');
        assert.equal(charged.length, 1);
        await new Promise((r) => setTimeout(r, 800));
        const stopped = await s.api('POST', `/api/calls/${callId}/record/stop`, { cookie: admin, body: {} });
        assert.equal(stopped.status, 200);
        await stream.request('call.hangup', { callId });
        await waitFor(() => events.some((e) => e.type === 'call.ended' && e.data.callId === callId), 8000, 'ended');
        clearInterval(mic);
        assert.deepEqual(phone.control!.events.filter((e) => e.type.includes('DTMF')), [], 'baresip got no DTMF');
        phone.kill();
        await phone.done.catch(() => {});
        // What the agent heard: the customer's voice before, never a key tone.
        const heard = readWav(heardFiles(phone.recordings)[0]);
        const share = (x: Int16Array, hz: number) => goertzelPower(x, hz, 8000) / (blockEnergy(x) || 1);
        let voiced = 0;
        for (let i = 0; i + 1600 <= heard.length; i += 1600) {
          const block = heard.subarray(i, i + 1600);
          if (blockEnergy(block) / 1600 < 100) continue;
          if (share(block, 600) > 0.3) voiced++;
          for (const hz of [770, 1336]) assert.ok(share(block, hz) < 0.05, `no DTMF ${hz} Hz at the agent at ${i / 8} ms (${share(block, hz).toFixed(3)})`);
        }
        assert.ok(voiced > 0, 'the agent heard the customer before the capture');
        const audit = await supervisor.vault.capture(capture.id);
        assert.equal(audit.markers.length, 1, 'the recording is masked for the capture');
        const res = await fetch(`${s.url}/api/recordings/${audit.markers[0].recordingId}`, { headers: { cookie: admin } });
        const { decodeWav } = await import('../../src/media/wav.js');
        const recorded = decodeWav(Buffer.from(await res.arrayBuffer())).samples as Int16Array;
        const m = audit.markers[0];
        assert.ok(rms(recorded, (m.offsetMs + 40) * 8, (m.offsetMs + m.durationMs - 40) * 8) < 60, 'noise in the window');
      } finally {
        clearInterval(mic);
        stream.close();
        await peer.pc.close().catch(() => {});
        phone.kill();
      }
    });

    test('canary hunt: the number is nowhere — data dir (SQLite and WAL, recordings, keys), Postgres, NATS, logs, event log, webhooks', async () => {
      const last = backend === BACKENDS[0] ? 'vault.payment.result' : 'vault.key.rotated';
      await waitFor(() => webhookBodies.some((b) => b.includes(last)), 15_000, 'webhooks delivered');
      assert.deepEqual(scanFiles(s.reuseInfo.dataDir), []);
      assert.deepEqual(scanFiles(path.dirname(keyFile)), []);
      if (backend.databaseUrl) assert.deepEqual(await scanPostgres(backend.databaseUrl, s.reuseInfo.schema), []);
      if (backend.natsUrl) {
        const nats = await scanNats(backend.natsUrl, s.reuseInfo.stream);
        assert.ok(nats.messages > 0);
        assert.deepEqual(nats.hits, []);
      }
      assert.ok(logs.length > 0, 'logs were captured');
      assert.deepEqual(logs.filter((l) => holds(l).length), []);
      const log = await s.api('GET', '/api/events?limit=500', { cookie: admin });
      assert.ok(log.body.items.some((e: { type: string }) => e.type === last), 'the event log has the vault events');
      assert.deepEqual(holds(JSON.stringify(log.body)), []);
      assert.deepEqual(webhookBodies.filter((b) => holds(b).length), []);
    });
  });
}

function luhn(pan: string): boolean {
  let sum = 0;
  for (let i = 0; i < pan.length; i++) {
    let d = Number(pan[pan.length - 1 - i]);
    if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return sum % 10 === 0;
}
