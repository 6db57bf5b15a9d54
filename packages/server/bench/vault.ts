/**
 * vault: how fast cards are sealed and opened, how soon a card the customer picked is
 * heard in the call, and how fast the spoken digits are rendered — beside the espeak-ng
 * CLI reading the same text in the same run.
 *
 * seal/open per second: envelope encryption with the local key-file provider (a fresh
 *   AES-256-GCM data key per card, wrapped by the KEK), one at a time.
 * select → first packet / first speech: from POST /api/vault/cards/:id/speak (the
 *   customer picked a card) to the first RTP packet of the reading (its lead-in
 *   silence) and to the first packet that is not silent (the first word), as they
 *   reach the customer's WebRTC leg (werift, PCMU) on a call bridged to baresip as the
 *   agent (sending silence, so what is heard is the reading). The server sends each
 *   frame of the reading to both legs in the same media tick, so the agent's packet
 *   leaves with it. Warm: the default voice, whose clips are rendered when the
 *   customer's cards are listed; cold: a rate used for the first time, so every clip is
 *   synthesized during the reading. Each round waits for the reading to end.
 *   Peer: `espeak-ng --stdout` on the same spaced digits, from spawn to the first
 *   non-silent sample on its stdout (what a server piping the CLI could send first).
 * TTS × real time: audio seconds per wall second. callsight renders from per-digit clips
 *   (cold: the 10 digits and the label synthesized once; warm: cached clips assembled);
 *   espeak-ng CLI: `espeak-ng --stdout` on the same spaced digits.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { g711Decode, g711Encode } from '../src/media/g711.js';
import { EspeakTts } from '../src/media/tts.js';
import { CardSpeech } from '../src/vault/card-speech.js';
import { cardAad, seal, withOpened } from '../src/vault/envelope.js';
import { LocalKeyFileProvider } from '../src/vault/key-provider.js';
import { startBaresip } from '../test/helpers/baresip.js';
import { startTestServer } from '../test/helpers/test-server.js';
import { NodePeer } from '../test/webrtc/node-peer.js';
import { percentile, round } from './_stats.js';

const stats = (v: number[]) => ({ p50: round(percentile(v, 50), 1), p99: round(percentile(v, 99), 1), n: v.length });
const SEALS = Number(process.env.BENCH_SEALS ?? 5000);
const WARM_ROUNDS = Number(process.env.BENCH_ROUNDS ?? 12);
const COLD_ROUNDS = Math.min(10, Number(process.env.BENCH_COLD_ROUNDS ?? 10));
/** A sample louder than this (about -30 dBFS) is speech, not silence or comfort noise. */
const SPEECH_PEAK = 1000;
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

/** espeak-ng CLI: spawn → first non-silent sample on stdout (after the 44-byte WAV header). */
function cliFirstSpeech(): Promise<number> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn('espeak-ng', ['--stdout', '-v', 'en', '-s', '160']);
    let seen = 0;
    let found = false;
    child.stdout.on('data', (b: Buffer) => {
      if (found) return;
      for (let at = Math.max(0, 44 - seen) & ~1; at + 1 < b.length; at += 2) {
        if (Math.abs(b.readInt16LE(at)) > SPEECH_PEAK) {
          found = true;
          resolve(performance.now() - start);
          break;
        }
      }
      seen += b.length;
    });
    child.on('error', reject);
    child.on('close', () => found || reject(new Error('espeak-ng said nothing')));
    child.stdin.end(text);
  });
}
const cliFirst: number[] = [];
for (let i = 0; i < Math.max(WARM_ROUNDS, COLD_ROUNDS); i++) cliFirst.push(await cliFirstSpeech());

// 3. select → first packet and first speech, on a live call to baresip.
// Every round is a reading by the same customer: above the hourly limit a real customer has.
const s = await startTestServer({ config: { vaultReadsPerHour: 10_000 } });
const firstPacket = { warm: [] as number[], cold: [] as number[] };
const firstSpeech = { warm: [] as number[], cold: [] as number[] };
const peer = new NodePeer('pcmu');
const phone = startBaresip({ account: `<sip:agent@127.0.0.1:${s.ctx.services.get('telephony').endpoint.ports.udp}>;auth_pass=demo;answermode=auto;regint=60`, seconds: 60 + (WARM_ROUNDS + COLD_ROUNDS) * 12, toneHz: 0 });
let mic: NodeJS.Timeout | undefined;
try {
  const customer = await s.client('customer@acme.test');
  const card = await customer.vault.save({ pan: PAN, expMonth: 12, expYear: new Date().getUTCFullYear() + 2, holderName: 'Bench Customer' });
  // What /phone does when it shows the wallet: the default voice's clips are rendered then.
  await customer.vault.list();
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
  const readOnce = async (path: 'warm' | 'cold', rate?: number) => {
    const from = peer.received.length;
    const start = performance.now();
    const res = await customer.vault.speak(card.token, { callId, ...(rate ? { rate } : {}) });
    while (!spokenIds.has(res.speakId)) await new Promise((x) => setTimeout(x, 50));
    // The reading's frames are the server's own: its first packet carries the marker bit.
    const got = peer.received.slice(from).filter((p) => p.pt === 0);
    const first = got.findIndex((p) => p.marker);
    if (first >= 0) firstPacket[path].push(got[first].at - start);
    const speech = got.slice(Math.max(0, first)).find((p) => g711Decode('ulaw', p.payload).some((v) => Math.abs(v) > SPEECH_PEAK));
    if (speech) firstSpeech[path].push(speech.at - start);
    await new Promise((x) => setTimeout(x, 300));
  };
  for (let r = 0; r < COLD_ROUNDS; r++) await readOnce('cold', 300 - r * 10);
  for (let r = 0; r < WARM_ROUNDS; r++) await readOnce('warm');
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
    loadAverage: round(loadavg()[0], 1),
    selectToFirstPacketMs: { warm: stats(firstPacket.warm), cold: stats(firstPacket.cold) },
    selectToFirstSpeechMs: {
      goal: 250,
      warm: stats(firstSpeech.warm),
      cold: stats(firstSpeech.cold),
      espeakCli: stats(cliFirst),
      warmVsCliP50: round(percentile(firstSpeech.warm, 50) / percentile(cliFirst, 50), 2),
      warmVsCliP99: round(percentile(firstSpeech.warm, 99) / percentile(cliFirst, 99), 2),
      coldVsCliP50: round(percentile(firstSpeech.cold, 50) / percentile(cliFirst, 50), 2),
      coldVsCliP99: round(percentile(firstSpeech.cold, 99) / percentile(cliFirst, 99), 2),
    },
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
