/**
 * The client side of bench/sfu.ts, run in its own process (pinned to its own core): one
 * Opus-sized publisher and a growing crowd of werift subscribers against one SFU
 * (callsight or Janus). Every packet carries its send time and a counter, so each
 * subscriber measures loss and forwarding delay. Prints one JSON line per level.
 *
 * argv: <target callsight|janus> <url> <levels csv> <deadline epoch ms> <sfu pid> [tokens]
 *
 * Besides loss and delay it reads the SFU process's CPU time from /proc around each
 * window, so the cost per forwarded packet is known even when this client process, not
 * the SFU, is what runs out of CPU first (`clientLagP99Ms`: how late its own 20 ms send
 * timer fired — large values mean the figures are client-bound).
 */
import { readFileSync } from 'node:fs';
import WebSocket from 'ws';
import { EventStream } from '../../sdk/src/event-stream.js';
import { percentile, round } from './_stats.js';
import { NodePeer } from '../test/webrtc/node-peer.js';
import { JanusClient } from './_janus-client.js';

const [target, url, levelsCsv, deadlineArg, pidArg, token] = process.argv.slice(2);
const levels = levelsCsv.split(',').map(Number);
const deadline = Number(deadlineArg);
const MEASURE_MS = 4000;
const FRAME_MS = 20;
const now = () => performance.timeOrigin + performance.now();
/** SFU_MEDIA=video: a VP8 publisher and subscribers, full-size (1,100-byte) packets instead of Opus frames. */
const VIDEO = process.env.SFU_MEDIA === 'video';
const CODEC = VIDEO ? 'vp8' : 'opus';
const PAYLOAD_BYTES = VIDEO ? 1100 : 80;

/** utime + stime of the SFU process, in ms (/proc/<pid>/stat fields 14 and 15, 100 Hz ticks). */
function sfuCpuMs(): number {
  const fields = readFileSync(`/proc/${pidArg}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

/** How subscribers and the publisher reach the SFU under test. */
interface Sfu {
  publish(peer: NodePeer): Promise<void>;
  subscribe(peer: NodePeer): Promise<void>;
  close(): Promise<void>;
}

async function callsightSfu(): Promise<Sfu> {
  const stream = new EventStream({ connect: () => new WebSocket(url.replace('http', 'ws') + '/api/rooms/ws') as never, requestTimeoutMs: 30_000 });
  const pub: any = await stream.request('room.join', { token: token.split(' ')[0] });
  return {
    async publish(peer) {
      const r: any = await stream.request('room.publish', { participantId: pub.participantId, sdp: await peer.offer() });
      await peer.accept(r.sdp);
      await peer.connected(30_000);
    },
    async subscribe(peer) {
      // Every subscriber is its own listener participant on the one socket.
      const me: any = await stream.request('room.join', { token: token.split(' ')[1] });
      const r: any = await stream.request('room.subscribe', { participantId: me.participantId, publisherId: pub.participantId, sdp: await peer.offer() });
      await peer.accept(r.sdp);
      await peer.connected(20_000);
    },
    async close() {
      stream.close();
    },
  };
}

async function janusSfu(): Promise<Sfu> {
  const janus = await JanusClient.connect(url);
  let feed = 0;
  return {
    async publish(peer) {
      feed = await janus.publish(peer);
    },
    async subscribe(peer) {
      await janus.subscribe(peer, feed);
    },
    close: () => janus.close(),
  };
}

const sfu = target === 'janus' ? await janusSfu() : await callsightSfu();
const publisher = new NodePeer(CODEC, 'sendonly');
await sfu.publish(publisher);

let counter = 0;
/** Counters of the frames in the measurement window: [first, last]. */
let windowFirst = Infinity;
let windowLast = Infinity;
const sendLag: number[] = [];
let lastSend = now();

// 80-byte "Opus" frames (1,100-byte video packets) every 20 ms: [f64 send time][u32 counter][zeros].
const sender = setInterval(() => {
  const t = now();
  if (counter >= windowFirst && counter < windowLast) sendLag.push(t - lastSend - FRAME_MS);
  lastSend = t;
  const payload = Buffer.alloc(PAYLOAD_BYTES);
  payload.writeDoubleBE(t, 0);
  payload.writeUInt32BE(++counter, 8);
  publisher.send(payload);
}, FRAME_MS);

/**
 * Two kinds of subscribers. Probes decrypt everything (werift's full receive path) and
 * measure delay from the send time inside each frame; they are re-created after every
 * growth step so they sit at the end of the SFU's fan-out — the slowest position.
 * Counters keep ICE and DTLS-SRTP alive but, once connected, count packets straight off
 * the socket by their clear-text RTP sequence numbers (SRTP leaves the header readable)
 * instead of decrypting: one client core can then hold hundreds of subscribers, so the
 * SFU, not the client, is what runs out of CPU. Loss is RFC 3550-style: packets received
 * versus the sequence range seen in the window.
 */
const PROBES = 5;
/** SFU_KEEP_GOING=1: measure every level even past a failing one (CPU per packet at scale). */
const KEEP_GOING = process.env.SFU_KEEP_GOING === '1';
/** Subscriber handshakes in flight at once. */
const CONNECTING = 24;

interface Probe {
  peer: NodePeer;
  got: number;
  delays: number[];
  /** When its join started (performance.now()); cleared once its first frame arrived. */
  joinStartedAt?: number;
}
interface Counter {
  peer: NodePeer;
  count: number;
  firstSeq: number;
  lastSeq: number;
}
const probes: Probe[] = [];
const counters: Counter[] = [];
let counting = false;

/** Join (signalling, ICE, DTLS) to the first forwarded frame, for each probe of the current level. */
const firstAudioMs: number[] = [];

function trackProbe(p: Probe): void {
  p.peer.onPacket = (payload) => {
    if (payload.length < 12) return;
    if (p.joinStartedAt !== undefined) {
      firstAudioMs.push(performance.now() - p.joinStartedAt);
      p.joinStartedAt = undefined;
    }
    const n = payload.readUInt32BE(8);
    if (n < windowFirst || n > windowLast) return;
    p.got++;
    p.delays.push(now() - payload.readDoubleBE(0));
  };
}

/**
 * Counts a subscriber's RTP by its clear-text sequence number after werift's ICE layer
 * (which still answers STUN), detaching werift's DTLS-SRTP pipeline from the connection.
 */
function makeCounter(peer: NodePeer): Counter {
  const c: Counter = { peer, count: 0, firstSeq: -1, lastSeq: -1 };
  const connection = (peer.pc.iceTransports[0] as unknown as { connection: { onData: { allUnsubscribe(): void; subscribe(f: (b: Buffer) => void): void } } }).connection;
  connection.onData.allUnsubscribe();
  connection.onData.subscribe((buf) => {
    if (!counting || buf.length < 12 || buf[0] >> 6 !== 2) return;
    const pt = buf[1] & 0x7f;
    if (pt >= 64 && pt <= 95) return; // RTCP (RFC 5761 demultiplexing)
    let seq = buf.readUInt16BE(2);
    if (c.firstSeq < 0) c.firstSeq = c.lastSeq = seq;
    else {
      while (seq < c.lastSeq - 30_000) seq += 65_536; // 16-bit wrap inside the window
      if (seq > c.lastSeq) c.lastSeq = seq;
    }
    c.count++;
  });
  return c;
}

/** How long each subscriber of the current level took to connect (signalling, ICE, DTLS). */
const connectMs: number[] = [];

async function connectSubscriber(): Promise<{ peer: NodePeer; startedAt: number }> {
  const peer = new NodePeer(CODEC, 'recvonly', { keep: false });
  const t0 = performance.now();
  try {
    await sfu.subscribe(peer);
    connectMs.push(performance.now() - t0);
  } catch (err) {
    await peer.close();
    throw err;
  }
  return { peer, startedAt: t0 };
}

const total = () => probes.length + counters.length;

const passes = (l: { lossPct: number; p99Ms: number }) => l.lossPct < 1 && l.p99Ms < 50;

/** One measurement window over every subscriber connected now. */
async function measure() {
  for (const p of probes) {
    p.got = 0;
    p.delays = [];
  }
  for (const c of counters) {
    c.count = 0;
    c.firstSeq = c.lastSeq = -1;
  }
  sendLag.length = 0;
  windowLast = Infinity;
  windowFirst = counter + 1;
  counting = true;
  const cpu0 = sfuCpuMs();
  const ownCpu0 = process.cpuUsage();
  await new Promise((r) => setTimeout(r, MEASURE_MS));
  windowLast = counter;
  const cpuMs = sfuCpuMs() - cpu0;
  const ownCpu = process.cpuUsage(ownCpu0);
  await new Promise((r) => setTimeout(r, 500)); // frames sent at the end of the window are still in flight
  counting = false;
  const sent = windowLast - windowFirst + 1;
  let expected = sent * probes.length;
  let got = probes.reduce((a, p) => a + Math.min(p.got, sent), 0);
  for (const c of counters) {
    // A counter that saw nothing lost everything it should have had.
    const range = c.firstSeq < 0 ? sent : c.lastSeq - c.firstSeq + 1;
    expected += range;
    got += Math.min(c.count, range);
  }
  const delays = probes.flatMap((p) => p.delays);
  const forwarded = sent * total();
  return {
    lossPct: round((100 * (expected - got)) / Math.max(1, expected), 3),
    p50Ms: round(percentile(delays, 50)),
    p99Ms: round(percentile(delays, 99)),
    sfuCpuPct: round((100 * cpuMs) / MEASURE_MS, 1),
    /** SFU CPU per forwarded packet (receive once, SRTP-protect and send per subscriber). */
    sfuUsPerPacket: round((1000 * cpuMs) / Math.max(1, forwarded), 1),
    clientLagP99Ms: round(percentile(sendLag, 99), 1),
    /** This (client) process's CPU over the window: near 100 % means the figures are client-bound. */
    clientCpuPct: round((ownCpu.user + ownCpu.system) / 10 / MEASURE_MS, 1),
  };
}

for (const n of levels) {
  if (Date.now() > deadline) break;
  const t0 = Date.now();
  let failed = 0;
  // Old probes become counters; this level's probes connect last.
  const probeCount = Math.min(PROBES, n);
  connectMs.length = 0;
  firstAudioMs.length = 0;
  for (const p of probes.splice(0)) counters.push(makeCounter(p.peer));
  // A sliding window of handshakes in flight: a straggler (some take seconds on a busy
  // machine, a flight lost and retried) holds up one slot, not a whole batch.
  const connect = async (count: number, add: (peer: NodePeer, startedAt: number) => void) => {
    let started = 0;
    const worker = async () => {
      while (started < count && Date.now() < deadline && failed <= 20) {
        started++;
        try {
          const { peer, startedAt } = await connectSubscriber();
          add(peer, startedAt);
        } catch (err) {
          if (++failed <= 3) process.stderr.write(`subscriber ${total() + 1} failed: ${(err as Error).message}\n`);
        }
      }
    };
    await Promise.all(Array.from({ length: CONNECTING }, worker));
  };
  await connect(n - probeCount - counters.length, (peer) => counters.push(makeCounter(peer)));
  await connect(probeCount, (peer, joinStartedAt) => {
    const probe: Probe = { peer, got: 0, delays: [], joinStartedAt };
    trackProbe(probe);
    probes.push(probe);
  });
  if (total() < n) {
    console.log(JSON.stringify({ n, setupFailed: true, connected: total(), failed }));
    break;
  }
  const setupS = (Date.now() - t0) / 1000;
  await new Promise((r) => setTimeout(r, 1000)); // settle after the joins
  // The machine is shared: a level that fails is measured once more (same subscribers) and
  // both windows are reported, so one stall of another process does not end the run.
  let line: Record<string, unknown> & { lossPct: number; p99Ms: number; clientLagP99Ms: number } = { n, ...(await measure()), setupS: round(setupS, 1), connectP50Ms: round(percentile(connectMs, 50), 0), connectMaxMs: round(percentile(connectMs, 100), 0), firstAudioMs: firstAudioMs.map((ms) => round(ms, 0)) };
  if (!passes(line)) line = { ...line, ...(await measure()), firstWindow: { lossPct: line.lossPct, p99Ms: line.p99Ms, clientLagP99Ms: line.clientLagP99Ms } };
  console.log(JSON.stringify(line));
  if (!passes(line) && !KEEP_GOING) break;
}

clearInterval(sender);
await Promise.allSettled([publisher.close(), ...probes.map((p) => p.peer.close()), ...counters.map((c) => c.peer.close())]);
await sfu.close();
process.exit(0);
