/**
 * vault: how fast cards are sealed and opened, how soon a card the customer picked is
 * heard in the call, and how fast the spoken digits are rendered — beside the espeak-ng
 * CLI reading the same text in the same run.
 *
 * seal/open per second: envelope encryption with the local key-file provider (a fresh
 *   AES-256-GCM data key per card, wrapped by the KEK), one at a time.
 * select → first injected packet: from POST /api/vault/cards/:id/speak (the customer
 *   picked a card) to the first RTP packet of the reading that reaches the customer's
 *   WebRTC leg (werift, PCMU) on a call bridged to baresip as the agent. The server
 *   sends each frame of the reading to both legs in the same media tick, so the agent's
 *   first packet leaves with it. Each round waits for the reading to end.
 * TTS × real time: audio seconds per wall second. callsight renders from per-digit clips
 *   (cold: the 10 digits and the label synthesized once; warm: cached clips assembled);
 *   espeak-ng CLI: `espeak-ng --stdout` on the same spaced digits.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { g711Encode } from '../src/media/g711.js';
import { EspeakTts } from '../src/media/tts.js';
import { CardSpeech } from '../src/vault/card-speech.js';
import { cardAad, seal, withOpened } from '../src/vault/envelope.js';
import { LocalKeyFileProvider } from '../src/vault/key-provider.js';
import { startBaresip } from '../test/helpers/baresip.js';
import { startTestServer } from '../test/helpers/test-server.js';
import { NodePeer } from '../test/webrtc/node-peer.js';
import { percentile, round } from './_stats.js';

const SEALS = Number(process.env.BENCH_SEALS ?? 5000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 12);
const PAN = '4000056655665556';

// 1. seal / open
const provider = new LocalKeyFileProvider(path.join(mkdtempSync(path.join(tmpdir(), 'bench-vault-')), 'keys.json'));
const sealedCards = [];
let t0 = performance.now();
for (let i = 0; i < SEALS; i++) sealedCards.push(await seal(provider, Buffer.from(PAN), cardAad('ten', 'usr', `vtk_${i}`)));
const sealPerSec = SEALS / ((performance.now() - t0) / 1000);
t0 = performance.now();
for (let i = 0; i < SEALS; i++) await withOpened(provider, sealedCards[i], cardAad('ten', 'usr', `vtk_${i}`), (p) => p.length);
const openPerSec = SEALS / ((performance.now() - t0) / 1000);

// 2. TTS render speed beside the espeak-ng CLI.
const groups = ['4000', '0566', '5566', '5556'];
const cold = new CardSpeech(new EspeakTts({ cacheEntries: 0 }));
t0 = performance.now();
const rendered = await cold.render([{ label: 'Card number', groups: groups.map((g) => Buffer.from(g)) }]);
const coldMs = performance.now() - t0;
t0 = performance.now();
const WARM = 50;
for (let i = 0; i < WARM; i++) await cold.render([{ label: 'Card number', groups: groups.map((g) => Buffer.from(g)) }]);
const warmMs = (performance.now() - t0) / WARM;
const audioSec = rendered.length / 8000;
const text = `Card number, ${groups.map((g) => g.split('').join(' ')).join(', ')}`;
t0 = performance.now();
const cli = spawnSync('espeak-ng', ['--stdout', '-v', 'en', '-s', '160'], { input: text });
const cliMs = performance.now() - t0;
if (cli.status !== 0) throw new Error('espeak-ng CLI failed');
// WAV header 44 bytes, 22050 Hz 16-bit mono.
const cliAudioSec = (cli.stdout.length - 44) / 2 / 22050;

// 3. select → first injected packet, on a live call to baresip.
const s = await startTestServer();
const latencies: number[] = [];
const peer = new NodePeer('pcmu');
const phone = startBaresip({ account: `<sip:agent@127.0.0.1:${s.ctx.services.get('telephony').endpoint.ports.udp}>;auth_pass=demo;answermode=auto;regint=60`, seconds: 60 + ROUNDS * 10, toneHz: 1000 });
let mic: NodeJS.Timeout | undefined;
try {
  const customer = await s.client('customer@acme.test');
  const card = await customer.vault.save({ pan: PAN, expMonth: 12, expYear: new Date().getUTCFullYear() + 2, holderName: 'Bench Customer' });
  const admin = await s.login('admin@acme.test');
  for (let i = 0; i < 100; i++) {
    const acc = (await s.api('GET', '/api/sip/accounts', { cookie: admin })).body.items.find((a: { username: string }) => a.username === 'agent');
    if (acc.registered.length) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const stream = customer.realtime();
  const answer = (await stream.request('rtc.offer', { purpose: 'call', sdp: await peer.offer() })) as { sdp: string; sessionId: string };
  await peer.accept(answer.sdp);
  await peer.connected();
  const quiet = Buffer.from(g711Encode('ulaw', new Int16Array(160)));
  mic = setInterval(() => peer.send(quiet), 20);
  const { callId } = (await stream.request('call.dial', { to: 'agent', sessionId: answer.sessionId })) as { callId: string };
  const spokenIds = new Set<string>();
  const events = customer.realtime({ types: ['vault.card.spoken'] });
  events.on('event', (e) => e.type === 'vault.card.spoken' && spokenIds.add(e.data.speakId));
  await new Promise((r) => setTimeout(r, 3000));
  for (let r = 0; r < ROUNDS; r++) {
    // The far end's packets are relayed; the reading is the server's own frames, whose first packet carries the marker bit.
    const from = peer.received.length;
    const start = performance.now();
    const res = await customer.vault.speak(card.token, { callId, rate: 300 });
    while (!spokenIds.has(res.speakId)) await new Promise((x) => setTimeout(x, 50));
    const first = peer.received.slice(from).find((p) => p.marker && p.pt === 0);
    if (first) latencies.push(first.at - start);
    await new Promise((x) => setTimeout(x, 300));
  }
  events.close();
  await stream.request('call.hangup', { callId });
  stream.close();
} finally {
  clearInterval(mic);
  phone.kill();
  await peer.pc.close().catch(() => {});
  await new Promise((r) => setTimeout(r, 500));
  await s.destroy();
}

console.log(
  JSON.stringify({
    bench: 'vault',
    sealPerSec: Math.round(sealPerSec),
    openPerSec: Math.round(openPerSec),
    selectToFirstPacketMs: { p50: round(percentile(latencies, 50), 1), p99: round(percentile(latencies, 99), 1), rounds: latencies.length, goal: 250 },
    tts: {
      audioSeconds: round(audioSec, 2),
      callsightColdXRealtime: round(audioSec / (coldMs / 1000), 1),
      callsightWarmXRealtime: round(audioSec / (warmMs / 1000), 1),
      espeakCliXRealtime: round(cliAudioSec / (cliMs / 1000), 1),
      espeakCliAudioSeconds: round(cliAudioSec, 2),
      warmVsCli: round(audioSec / (warmMs / 1000) / (cliAudioSec / (cliMs / 1000)), 1),
    },
  }),
);
