/**
 * RTP media-engine benchmark: how many bridged G.711 legs one process holds with
 * < 5 ms p99 inter-packet jitter.
 *
 * Two processes, all traffic on 127.0.0.1:
 * - this one, the media server: N RtpSessions (N/2 bridged pairs, rtcp-mux, symmetric
 *   RTP) driven by ONE MediaClock. Each leg's incoming audio goes through its jitter
 *   buffer and out on the partner leg at the clock tick, so output pacing is the
 *   server's alone;
 * - a child playing the N phones: one connected socket per phone sends a 20 ms µ-law
 *   frame per tick (its own single clock) and timestamps every packet the server sends
 *   back. The child sends in slices of 50 packets with setImmediate in between, so a
 *   packet arriving during its send burst waits at most one slice (~0.3 ms) to be
 *   timestamped — otherwise the peer's own burst would show up as server jitter.
 *
 * Jitter metric: per leg, |inter-arrival time − 20 ms| of consecutive packets; p99 over
 * all legs and packets of the measurement window. Loss: packets missing from each leg's
 * sequence range. The peer shares the machine's cores with the server, and loopback
 * charges both ends' network stack to them, so the figures are conservative.
 *
 * Phones in step (default) all send at the same instant of each tick, so the server gets
 * every leg's packet in one burst — a worst case: handling it delays the next tick. With
 * `--spread`, each phone keeps its own phase within the 20 ms (independent phones do),
 * so arrivals are spread over the period.
 *
 * CPU per packet: server CPU time / (RTP packets received + sent) in the window, the
 * figure to compare changes by on a noisy machine.
 *
 * Usage: node --import tsx bench/rtp.ts [maxLegs=2000] [--spread]   (levels 100, 250, 500, 750, 1000, …)
 * Prints one JSON line on stdout; progress goes to stderr. Bounded to ~2 minutes.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import { once } from 'node:events';
import { availableParallelism, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { bridgeSessions } from '../src/media/bridge.js';
import { MediaClock } from '../src/media/clock.js';
import { g711Encode } from '../src/media/g711.js';
import { RtpPacketizer } from '../src/media/packetizer.js';
import { PortPool } from '../src/media/port-pool.js';
import { parseRtp } from '../src/media/rtp-packet.js';
import { RtpSession } from '../src/media/rtp-session.js';
import { generateTone } from '../src/media/tone.js';

const HOST = '127.0.0.1';
const WARMUP_MS = 1500;
const MEASURE_MS = 4000;
const JITTER_LIMIT_MS = 5;
const LOSS_LIMIT_PCT = 1;
const TIME_BUDGET_MS = 100_000;

type Command =
  | { type: 'call'; ports: number[]; spread: boolean } // phones: start streams to these legs; reply when sending
  | { type: 'measure' }; // phones: measure for MEASURE_MS, hang up, reply with figures

interface Figures {
  jitterP99Ms: number;
  jitterP50Ms: number;
  lossPct: number;
}

interface LevelResult extends Figures {
  legs: number;
  /** p99 of |tick interval − 20 ms| inside the server: its own pacing, free of peer and network effects. */
  serverTickJitterP99Ms: number;
  serverCpuPct: number;
  /** Server CPU µs per RTP packet handled (received or sent). */
  serverCpuUsPerPacket: number;
  serverLateTicks: number;
}

const SEND_SLICE = 50;

const reply = (msg: object) => process.send!(msg);

// ---------------------------------------------------------------- child: the phones
function runPhones(): void {
  const payload = g711Encode('ulaw', generateTone([1000], 20, { levelDbfs: -12 }));
  let sockets: Socket[] = [];
  let hangUp = () => {};
  let measuring = false;
  let lastArrival = new Float64Array(0);
  let firstSeq = new Float64Array(0);
  let lastSeq = new Float64Array(0);
  let received = new Float64Array(0);
  let deviations = new Float64Array(0);
  let devCount = 0;

  const onPacket = (leg: number, buf: Buffer) => {
    const now = Number(process.hrtime.bigint()) / 1e6;
    if (!measuring) return;
    const r = parseRtp(buf);
    if (!r.ok || r.packet.payloadType !== 0) return;
    const seq = r.packet.sequenceNumber;
    if (firstSeq[leg] < 0) {
      firstSeq[leg] = lastSeq[leg] = seq;
    } else {
      const delta = ((((seq - lastSeq[leg]) & 0xffff) + 0x8000) & 0xffff) - 0x8000; // unwrap
      lastSeq[leg] = Math.max(lastSeq[leg], lastSeq[leg] + delta);
    }
    received[leg]++;
    if (lastArrival[leg] >= 0 && devCount < deviations.length) deviations[devCount++] = Math.abs(now - lastArrival[leg] - 20);
    lastArrival[leg] = now;
  };

  const call = async (ports: number[], spread: boolean) => {
    const legs = ports.length;
    sockets = await Promise.all(
      ports.map(async (port, leg) => {
        const s = createSocket('udp4');
        s.bind(0, HOST);
        await once(s, 'listening');
        s.connect(port, HOST);
        await once(s, 'connect');
        s.on('message', (buf) => onPacket(leg, buf));
        return s;
      }),
    );
    lastArrival = new Float64Array(legs).fill(-1);
    firstSeq = new Float64Array(legs).fill(-1);
    lastSeq = new Float64Array(legs);
    received = new Float64Array(legs);
    deviations = new Float64Array(Math.ceil(legs * (MEASURE_MS / 20) * 1.2));
    devCount = 0;
    const packetizers = ports.map(() => new RtpPacketizer({ payloadType: 0 }));
    let calling = true;
    const sendSlice = (from: number) => {
      if (!calling) return; // hung up while slices of the last tick were pending
      const to = Math.min(legs, from + SEND_SLICE);
      for (let i = from; i < to; i++) sockets[i].send(packetizers[i].audio(payload));
      if (to < legs) setImmediate(sendSlice, to);
    };
    // Spread: 10 groups of phones, each 2 ms after the previous one.
    const GROUPS = 10;
    const group = Math.ceil(legs / GROUPS);
    const timers = new Set<NodeJS.Timeout>();
    const sendGroup = (g: number) => {
      if (!calling) return;
      for (let i = g * group; i < Math.min(legs, (g + 1) * group); i++) sockets[i].send(packetizers[i].audio(payload));
    };
    const unsubscribe = new MediaClock().subscribe(() => {
      if (!spread) return sendSlice(0);
      sendGroup(0);
      for (let g = 1; g < GROUPS; g++) {
        const t = setTimeout(() => {
          timers.delete(t);
          sendGroup(g);
        }, g * 2);
        timers.add(t);
      }
    });
    hangUp = () => {
      calling = false;
      unsubscribe();
      for (const t of timers) clearTimeout(t);
      for (const s of sockets) s.close();
    };
  };

  const measure = () => {
    measuring = true;
    setTimeout(() => {
      measuring = false;
      hangUp();
      const sorted = deviations.subarray(0, devCount).sort();
      let expected = 0;
      let got = 0;
      for (let i = 0; i < sockets.length; i++) {
        expected += firstSeq[i] < 0 ? MEASURE_MS / 20 : lastSeq[i] - firstSeq[i] + 1;
        got += received[i];
      }
      reply({
        jitterP99Ms: sorted[Math.floor(devCount * 0.99)] ?? Infinity,
        jitterP50Ms: sorted[Math.floor(devCount * 0.5)] ?? Infinity,
        lossPct: expected > 0 ? Math.max(0, (100 * (expected - got)) / expected) : 100,
      } satisfies Figures);
    }, MEASURE_MS);
  };

  process.on('message', async (cmd: Command) => {
    if (cmd.type === 'call') {
      await call(cmd.ports, cmd.spread);
      reply({ calling: true });
    } else {
      measure();
    }
  });
  reply({ ready: true });
}

// ---------------------------------------------------------------- parent: the media server
async function ask<T>(child: ChildProcess, cmd: Command): Promise<T> {
  const answer = once(child, 'message');
  child.send(cmd);
  return (await answer)[0] as T;
}

async function runLevel(phones: ChildProcess, legs: number, spread: boolean): Promise<LevelResult> {
  const clock = new MediaClock();
  const tickDeviations: number[] = [];
  let lastTick = 0n;
  let recordTicks = false;
  // Subscribed first, so it timestamps the start of each tick before any leg's work.
  const stopTickProbe = clock.subscribe(() => {
    const now = process.hrtime.bigint();
    if (recordTicks && lastTick > 0n) tickDeviations.push(Math.abs(Number(now - lastTick) / 1e6 - 20));
    lastTick = now;
  });
  const ports = new PortPool({ min: 20000, max: 29999 });
  const sessions: RtpSession[] = [];
  for (let i = 0; i < legs; i++) sessions.push(await RtpSession.open({ clock, ports, bindAddress: HOST, rtcpMux: true }));
  for (let i = 0; i + 1 < legs; i += 2) bridgeSessions(sessions[i], sessions[i + 1]);
  await ask(phones, { type: 'call', ports: sessions.map((s) => s.localPort), spread });
  await new Promise((r) => setTimeout(r, WARMUP_MS));

  const packets = () => sessions.reduce((n, s) => n + s.stats.packetsSent + s.stats.packetsReceived, 0);
  const packets0 = packets();
  const cpu0 = process.cpuUsage();
  const late0 = clock.stats.lateTicks;
  const t0 = performance.now();
  recordTicks = true;
  const figures = await ask<Figures>(phones, { type: 'measure' });
  recordTicks = false;
  stopTickProbe();
  tickDeviations.sort((a, b) => a - b);
  const cpu = process.cpuUsage(cpu0);
  const handled = packets() - packets0;
  const elapsedMs = performance.now() - t0;
  const lateTicks = clock.stats.lateTicks - late0;
  await Promise.all(sessions.map((s) => s.close()));
  const round = (x: number) => Math.round(x * 100) / 100;
  return {
    legs,
    jitterP99Ms: round(figures.jitterP99Ms),
    jitterP50Ms: round(figures.jitterP50Ms),
    lossPct: round(figures.lossPct),
    serverTickJitterP99Ms: round(tickDeviations[Math.floor(tickDeviations.length * 0.99)] ?? Infinity),
    serverCpuPct: round((100 * (cpu.user + cpu.system)) / 1000 / elapsedMs),
    serverCpuUsPerPacket: round((cpu.user + cpu.system) / Math.max(1, handled)),
    serverLateTicks: lateTicks,
  };
}

async function main(): Promise<void> {
  const maxLegs = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 2000);
  const spread = process.argv.includes('--spread');
  const levels = [100, 250, 500, 750, 1000, 1250, 1500, 2000, 2500, 3000, 4000].filter((n) => n <= maxLegs);
  const phones = fork(fileURLToPath(import.meta.url), ['--phones'], { execArgv: ['--import', 'tsx'] });
  await once(phones, 'message');
  const results: LevelResult[] = [];
  const deadline = performance.now() + TIME_BUDGET_MS;
  for (const legs of levels) {
    if (performance.now() > deadline) break;
    const r = await runLevel(phones, legs, spread);
    results.push(r);
    process.stderr.write(`${JSON.stringify(r)}\n`);
    // Keep climbing past a jitter failure (it may be other load on the machine) until the
    // server itself saturates or packets are being lost.
    if (r.serverCpuPct > 90 || r.lossPct >= 5) break;
  }
  phones.kill();
  const ok = results.filter((r) => r.jitterP99Ms < JITTER_LIMIT_MS && r.lossPct < LOSS_LIMIT_PCT);
  // Extrapolate only from levels where the server kept its pace: when ticks are skipped
  // (starved of CPU by other load) it does less work and its CPU share understates the cost.
  const paced = results.filter((r) => r.serverTickJitterP99Ms < JITTER_LIMIT_MS).pop();
  console.log(
    JSON.stringify({
      bench: 'rtp',
      phones: spread ? 'spread over the period' : 'in step',
      maxLegsUnder5msP99: ok.length ? Math.max(...ok.map((r) => r.legs)) : 0,
      // CPU-bound capacity: legs one fully used core would carry, from the largest paced level.
      estimatedLegsPerCore: paced ? Math.round((paced.legs * 100) / paced.serverCpuPct) : null,
      cpuCores: availableParallelism(),
      loadAverage1m: Math.round(loadavg()[0] * 100) / 100,
      measureSeconds: MEASURE_MS / 1000,
      results,
    }),
  );
}

if (process.argv.includes('--phones')) runPhones();
else await main();
