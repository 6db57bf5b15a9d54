/**
 * SFU benchmark: how many audio subscribers one core forwards one Opus publisher to with
 * < 1 % loss and p99 forwarding delay < 50 ms — callsight's rooms against Janus
 * (VideoRoom plugin, the same load) as the anchor.
 *
 * - the SFU (callsight server or Janus) runs pinned to core 0 (taskset -c 0);
 * - a second process pinned to core 1 plays the clients (bench/_sfu-load.ts): one werift
 *   publisher sending an 80-byte frame every 20 ms, and N werift subscribers, N rising
 *   10, 50, 100, 200, 300, 500, 750, 1000, 1500 until a level fails. Each frame carries its send time, so
 *   delay = receive − send across the two processes (same clock).
 *
 * All of it is real WebRTC on 127.0.0.1: ICE, DTLS handshakes, SRTP per subscriber.
 * The clients' SRTP decryption in JS is itself costly: at high N the client core may
 * saturate before the SFU does. So each level also reports the SFU's own CPU (from
 * /proc) and its cost per forwarded packet, and `clientLagP99Ms` (how late the client's
 * 20 ms send timer fired): when that is large the level is client-bound, not SFU-bound.
 *
 * Usage: node --import tsx bench/sfu.ts   (≈ 6 minutes at most; one JSON line on stdout)
 *   SFU_TARGETS=callsight       run one side only (iterating on an optimisation)
 *   SFU_LEVELS=100,400          the subscriber counts to step through
 *   SFU_KEEP_GOING=1            go on past a failing level (CPU per packet at scale)
 *   SFU_MEDIA=video             a VP8 publisher and video subscribers (1,100-byte packets, 50/s) in a video room
 *   SFU_CPU_PROF_DIR=/tmp/prof  write V8 CPU profiles of the callsight server there (and of the clients in client/)
 */
import { demoApiKey, startServerProcess } from './_server-process.js';
import { startJanus } from './_janus-server.js';
import { round } from './_stats.js';
import { best, runSfuLoad, type Level } from './_sfu-run.js';

const LEVELS = (process.env.SFU_LEVELS ?? '10,50,100,200,300,500,750,1000,1500').split(',').map(Number);
const BUDGET_EACH_MS = 150_000;
const VIDEO = process.env.SFU_MEDIA === 'video';

async function benchCallsight(): Promise<Level[]> {
  const profDir = process.env.SFU_CPU_PROF_DIR;
  const server = await startServerProcess({
    port: 39_400,
    cpu: 0,
    env: { CALLSIGHT_SIP_ENABLED: 'false' },
    nodeArgs: profDir ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`] : [],
  });
  try {
    const key = await demoApiKey(server.url);
    const api = async (p: string, body: unknown) =>
      (await fetch(server.url + p, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(body) })).json() as Promise<any>;
    const room = await api('/api/rooms', { name: 'bench', kind: VIDEO ? 'video' : 'audio', maxParticipants: 2000 });
    const speaker = await api(`/api/rooms/${room.id}/tokens`, { role: 'speaker', name: 'pub' });
    const listener = await api(`/api/rooms/${room.id}/tokens`, { role: 'listener', name: 'sub' });
    return await runSfuLoad({ target: 'callsight', url: server.url, sfuPid: server.pid, levels: LEVELS, budgetMs: BUDGET_EACH_MS, token: `${speaker.token} ${listener.token}` });
  } finally {
    await server.stop();
  }
}

async function benchJanus(): Promise<{ levels: Level[]; error?: string }> {
  let janus: Awaited<ReturnType<typeof startJanus>> | null = null;
  try {
    janus = await startJanus({ port: 39_488, cpu: 0 });
    return { levels: await runSfuLoad({ target: 'janus', url: janus.url, sfuPid: janus.pid, levels: LEVELS, budgetMs: BUDGET_EACH_MS }) };
  } catch (err) {
    return { levels: [], error: (err as Error).message.split('\n')[0] };
  } finally {
    await janus?.stop();
  }
}

const targets = (process.env.SFU_TARGETS ?? 'callsight,janus').split(',');
const callsight = targets.includes('callsight') ? await benchCallsight() : [];
const janus = targets.includes('janus') ? await benchJanus() : { levels: [], error: 'not run (SFU_TARGETS)' };
const cs = best(callsight);
const jn = best(janus.levels);
/**
 * SFU CPU per forwarded packet at every level both reached: the efficiency comparison,
 * independent of where the client runs out. At 10 subscribers fixed costs (timers, RTCP,
 * consent) dominate; the largest common level is the per-subscriber cost.
 */
const common = callsight.map((l) => l.n).filter((n) => janus.levels.some((l) => l.n === n && !l.setupFailed && l.sfuUsPerPacket !== undefined));
const usAt = (levels: Level[], n: number) => levels.find((l) => l.n === n)?.sfuUsPerPacket ?? null;
const top = common.at(-1);
/**
 * Marginal SFU CPU per forwarded packet between the two largest levels measured: the slope
 * of CPU against subscribers, free of the fixed costs that inflate the per-level figure.
 * Δ% of a core · 10 ms/s per % ÷ (Δsubscribers · 50 packets/s), in µs.
 */
const marginalUs = (levels: Level[]) => {
  const m = levels.filter((l) => l.sfuCpuPct !== undefined);
  const [a, b] = m.slice(-2);
  return a && b && b.n > a.n ? round(((b.sfuCpuPct! - a.sfuCpuPct!) * 10_000) / ((b.n - a.n) * 50), 1) : null;
};
const csUs = top === undefined ? null : usAt(callsight, top);
const jnUs = top === undefined ? null : usAt(janus.levels, top);
console.log(
  JSON.stringify({
    bench: 'sfu',
    media: VIDEO ? 'video' : 'audio',
    criteria: VIDEO
      ? 'max video subscribers of one VP8 publisher (1,100-byte packets, 50/s) with loss < 1% and p99 forwarding delay < 50 ms; SFU on 1 core, clients on another'
      : 'max audio subscribers of one Opus publisher with loss < 1% and p99 forwarding delay < 50 ms; SFU on 1 core, clients on another',
    callsight: { maxSubscribers: cs, levels: callsight },
    janus: { maxSubscribers: jn, levels: janus.levels, ...(janus.error ? { error: janus.error } : {}) },
    ratio: jn > 0 ? round(cs / jn, 2) : null,
    sfuUsPerForwardedPacket: {
      byLevel: common.map((n) => ({ n, callsight: usAt(callsight, n), janus: usAt(janus.levels, n) })),
      atLargestCommonLevel: { n: top ?? null, callsight: csUs, janus: jnUs, costRatio: csUs && jnUs ? round(csUs / jnUs, 2) : null },
      marginal: { callsight: marginalUs(callsight), janus: marginalUs(janus.levels) },
    },
    note: 'busy shared 2-core machine (other test suites run beside it): p99 is noisy, CPU per packet is the steadier figure; werift clients in one process on the other core',
  }),
);
