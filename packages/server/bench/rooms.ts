/**
 * Rooms benchmark (social audio, issue #22): one conversation with two speakers, measured
 * the way its people live it.
 *
 * 1. Join → first audio: listeners join one at a time (signalling, one subscribe peer per
 *    speaker as the SDK's autoSubscribe does, ICE, DTLS) until the first speaker frame.
 * 2. Promote → heard: a listener with a raised hand and a held send path is brought up by
 *    the host (REST promote); every stage member and listener measures until its first
 *    frame from the promoted voice. Then the host moves them back and it repeats.
 *    Observers follow room pushes exactly as the SDK's Room does: they subscribe to whoever
 *    is publishing, and to whoever has a held send path (`held`) where the server says so.
 * 3. Listeners per room: bench/_sfu-load.ts's crowd (one werift process on core 1) against
 *    the conversation's room, the server pinned to core 0: loss, forwarding delay and the
 *    server's CPU at each level, and join → first audio of the last listeners in.
 *
 * The anchor is LiveKit (10 publishers → 1,010 subscribers at 52 ms on 16 cores);
 * it cannot be downloaded here (no network beyond npm and Debian), so the peer is the best
 * SFU Debian has: Janus's VideoRoom under the same crowd (phase 3), ratios printed.
 *
 * Usage: npm run bench -- rooms   (≈ 5 minutes; one JSON line on stdout)
 *   ROOMS_LEVELS=50,200,500,1000   listener counts of phase 3
 *   ROOMS_CYCLES=10                promotions measured in phase 2
 *   ROOMS_OBSERVERS=20             listeners joining in phase 1 (and hearing promotions)
 *   ROOMS_TARGETS=callsight        skip the Janus peer
 */
import WebSocket from 'ws';
import { CallsightClient } from '../../sdk/src/client.js';
import { EventStream } from '../../sdk/src/event-stream.js';
import { NodePeer } from '../test/webrtc/node-peer.js';
import { StageEar } from '../test/webrtc/stage-ear.js';
import { startServerProcess } from './_server-process.js';
import { startJanus } from './_janus-server.js';
import { best, runSfuLoad, type Level } from './_sfu-run.js';
import { percentile, round } from './_stats.js';

const LEVELS = (process.env.ROOMS_LEVELS ?? '50,200,500,1000').split(',').map(Number);
const CYCLES = Number(process.env.ROOMS_CYCLES ?? 10);
const OBSERVERS = Number(process.env.ROOMS_OBSERVERS ?? 20);
const TARGETS = (process.env.ROOMS_TARGETS ?? 'callsight,janus').split(',');
const BUDGET_EACH_MS = 120_000;
const HEARD_TIMEOUT_MS = 5000;
const FRAME_MS = 20;
/** First byte of every bench frame: who sent it. */
const HOST = 1;
const SPEAKER = 2;
const CANDIDATE = 3;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const stats = (xs: number[]) => ({ p50: round(percentile(xs, 50), 0), p99: round(percentile(xs, 99), 0), n: xs.length });

interface Pushed {
  id: string;
  publishing: string[];
  held?: boolean;
}

/**
 * How an ear hears the stage: `stage`, one connection for the whole stage made on joining
 * (the SDK Room with `stage`, as /rooms and /phone conversations use); `peers`, one
 * connection per voice, a raised hand's held path subscribed ahead (the Room without it).
 */
type EarMode = 'stage' | 'peers';

/** One participant's ear: follows the room's pushes like the SDK Room and notes the first frame of each sender. */
class Seat {
  participantId = '';
  private stageEar: StageEar | null = null;
  /** Connections this ear opened, the stage's or per voice. */
  connections = 0;
  readonly subs = new Map<string, NodePeer>();
  private readonly pending = new Set<string>();
  private roomId = '';
  joinStartedAt = 0;
  firstAudioAt: number | undefined;
  heardCandidateAt: number | undefined;
  readonly delays: number[] = [];

  constructor(
    readonly stream: EventStream,
    private readonly mode: EarMode,
  ) {
    stream.on('message', (m: any) => {
      if (m.roomId !== this.roomId || !this.participantId || this.mode === 'stage') return;
      if (m.kind === 'room.participant.joined' || m.kind === 'room.participant.updated') this.follow(m.participant);
      else if (m.kind === 'room.participant.left' || (m.kind === 'room.subscription_ended' && m.participantId === this.participantId)) this.drop(m.participantId === this.participantId ? m.publisherId : m.participantId);
    });
  }

  async join(token: string): Promise<void> {
    this.joinStartedAt = performance.now();
    const r: any = await this.stream.request('room.join', { token });
    this.participantId = r.participantId;
    this.roomId = r.roomId;
    if (this.mode === 'stage') return this.subscribeStage();
    for (const p of r.participants) this.follow(p);
  }

  leave(): void {
    for (const id of [...this.subs.keys()]) this.drop(id);
    void this.stageEar?.close();
    this.stageEar = null;
  }

  private async subscribeStage(): Promise<void> {
    const ear = new StageEar(false);
    ear.onPacket = (_slot, payload) => this.onFrame(payload);
    this.connections++;
    const r: any = await this.stream.request('room.subscribe_stage', { participantId: this.participantId, sdp: await ear.offer() });
    await ear.accept(r.sdp);
    this.stageEar = ear;
  }

  private follow(p: Pushed): void {
    const wanted = p.id !== this.participantId && (p.publishing.length > 0 || p.held === true);
    if (wanted && !this.subs.has(p.id) && !this.pending.has(p.id)) void this.subscribe(p.id);
    if (!wanted) this.drop(p.id);
  }

  private drop(publisherId: string): void {
    const peer = this.subs.get(publisherId);
    this.subs.delete(publisherId);
    void peer?.close();
  }

  private async subscribe(publisherId: string): Promise<void> {
    this.pending.add(publisherId);
    const peer = new NodePeer('opus', 'recvonly', { keep: false });
    peer.onPacket = (payload) => this.onFrame(payload);
    this.connections++;
    try {
      const r: any = await this.stream.request('room.subscribe', { participantId: this.participantId, publisherId, sdp: await peer.offer() });
      await peer.accept(r.sdp);
      this.subs.get(publisherId)?.close();
      this.subs.set(publisherId, peer);
    } catch {
      void peer.close();
    } finally {
      this.pending.delete(publisherId);
    }
  }

  private onFrame(payload: Buffer): void {
    if (payload.length < 9) return;
    const t = performance.now();
    this.firstAudioAt ??= t;
    if (payload[0] === CANDIDATE) this.heardCandidateAt ??= t;
    this.delays.push(t - payload.readDoubleBE(1));
  }
}

/** A werift publisher sending an 80-byte frame every 20 ms: [u8 who][f64 send time]. */
function voice(who: number): { peer: NodePeer; stop(): void } {
  const peer = new NodePeer('opus', 'sendonly');
  const timer = setInterval(() => {
    const payload = Buffer.alloc(80);
    payload[0] = who;
    payload.writeDoubleBE(performance.now(), 1);
    if (peer.pc.connectionState === 'connected') peer.send(payload);
  }, FRAME_MS);
  return { peer, stop: () => clearInterval(timer) };
}

async function publish(stream: EventStream, participantId: string, peer: NodePeer, held = false): Promise<void> {
  const r: any = await stream.request('room.publish', { participantId, sdp: await peer.offer(), ...(held ? { held: true } : {}) });
  await peer.accept(r.sdp);
  await peer.connected(30_000);
}

async function person(url: string, email: string) {
  const client = new CallsightClient({ baseUrl: url, WebSocket: WebSocket as never });
  await client.login(email, 'demo');
  const rt = client.realtime();
  await rt.request('ping');
  const me = await client.me();
  return { client, rt, id: me.user!.id };
}

const guestSocket = (url: string) => new EventStream({ connect: () => new WebSocket(url.replace('http', 'ws') + '/api/rooms/ws') as never, requestTimeoutMs: 30_000 });

async function until(done: () => boolean, timeoutMs: number): Promise<void> {
  const end = performance.now() + timeoutMs;
  while (!done() && performance.now() < end) await sleep(5);
}

async function benchCallsight() {
  const server = await startServerProcess({ port: 39_500, cpu: 0, env: { CALLSIGHT_SIP_ENABLED: 'false' } });
  const closers: (() => unknown)[] = [];
  try {
    const host = await person(server.url, 'admin@acme.test');
    const speaker = await person(server.url, 'agent@acme.test');
    const candidate = await person(server.url, 'supervisor@acme.test');
    closers.push(() => host.rt.close(), () => speaker.rt.close(), () => candidate.rt.close());
    const started = await host.client.conversations.start({ topic: 'Bench', invite: [speaker.id] });
    const id = started.conversation.id;
    const accepted = await speaker.client.conversations.accept(id);

    // The two speakers, each hearing the stage on one connection.
    const hostSeat = new Seat(host.rt, 'stage');
    const speakerSeat = new Seat(speaker.rt, 'stage');
    await hostSeat.join(started.token);
    await speakerSeat.join(accepted.token);
    const voices = [voice(HOST), voice(SPEAKER)];
    closers.push(() => voices.forEach((v) => (v.stop(), v.peer.close())));
    await publish(host.rt, hostSeat.participantId, voices[0].peer);
    await publish(speaker.rt, speakerSeat.participantId, voices[1].peer);
    const listenerJoin = await candidate.client.conversations.join(id);

    // The listener who raises a hand in both rounds.
    const candidateSeat = new Seat(candidate.rt, 'stage');
    await candidateSeat.join(listenerJoin.token);

    /** Phases 1 and 2 with the audience hearing in `mode`; the listeners leave at the end. */
    const runRound = async (mode: EarMode) => {
      // 1. Listeners join one at a time.
      const listeners: Seat[] = [];
      for (let i = 0; i < OBSERVERS; i++) {
        const stream = guestSocket(server.url);
        closers.push(() => stream.close());
        const seat = new Seat(stream, mode);
        listeners.push(seat);
        await seat.join(listenerJoin.token);
        await until(() => seat.firstAudioAt !== undefined, HEARD_TIMEOUT_MS);
      }
      const joinToFirstAudio = listeners.filter((s) => s.firstAudioAt !== undefined).map((s) => s.firstAudioAt! - s.joinStartedAt);
      // 2. A hand goes up, its send path negotiated and held (as /phone does): what that costs
      // the audience, then CYCLES promotions and demotions.
      const opened = listeners.reduce((n, s) => n + s.connections, 0);
      const candidateVoice = voice(CANDIDATE);
      voices.push(candidateVoice);
      await publish(candidate.rt, candidateSeat.participantId, candidateVoice.peer, true);
      await candidate.client.conversations.raiseHand(id);
      await sleep(2000); // whatever the raised hand starts (subscriptions) settles first
      const connectionsPerRaisedHand = listeners.reduce((n, s) => n + s.connections, 0) - opened;
      const promoteToHeard: number[] = [];
      let missed = 0;
      for (let i = 0; i < CYCLES; i++) {
        for (const s of listeners) s.heardCandidateAt = undefined;
        const t0 = performance.now();
        await host.client.conversations.promote(id, candidateSeat.participantId);
        await until(() => listeners.every((s) => s.heardCandidateAt !== undefined), HEARD_TIMEOUT_MS);
        for (const s of listeners) {
          if (s.heardCandidateAt === undefined) missed++;
          else promoteToHeard.push(s.heardCandidateAt - t0);
        }
        await host.client.conversations.demote(id, candidateSeat.participantId);
        await sleep(1500);
      }
      const forwarding = listeners.flatMap((s) => s.delays);
      for (const s of listeners) (s.leave(), s.stream.close());
      candidateVoice.stop();
      await sleep(1000);
      return {
        joinToFirstAudioMs: stats(joinToFirstAudio),
        promoteToHeardMs: { ...stats(promoteToHeard), missed, cycles: CYCLES, ears: listeners.length },
        connectionsPerRaisedHand,
        forwardingMs: { p50: round(percentile(forwarding, 50), 1), p99: round(percentile(forwarding, 99), 1) },
      };
    };
    const stage = await runRound('stage');
    const peers = await runRound('peers');

    // The crowd alone is measured next: the candidate leaves, the speakers fall silent.
    candidateSeat.leave();
    await candidate.rt.request('room.leave', { participantId: candidateSeat.participantId });
    for (const v of voices) v.stop();
    await sleep(1000);

    // 3. The crowd: one more speaker (the load's publisher, with the speaker's token) and N listeners.
    const levels = await runSfuLoad({ target: 'callsight', url: server.url, sfuPid: server.pid, levels: LEVELS, budgetMs: BUDGET_EACH_MS, token: `${accepted.token} ${listenerJoin.token}` });
    return { stage, peers, levels };
  } finally {
    for (const close of closers) await Promise.resolve(close()).catch(() => undefined);
    await server.stop();
  }
}

async function benchJanus(): Promise<{ levels: Level[]; error?: string }> {
  let janus: Awaited<ReturnType<typeof startJanus>> | null = null;
  try {
    janus = await startJanus({ port: 39_588, cpu: 0 });
    return { levels: await runSfuLoad({ target: 'janus', url: janus.url, sfuPid: janus.pid, levels: LEVELS, budgetMs: BUDGET_EACH_MS }) };
  } catch (err) {
    return { levels: [], error: (err as Error).message.split('\n')[0] };
  } finally {
    await janus?.stop();
  }
}

/** The load's figures at its largest passing level (listeners sustained, CPU, delay), and join → first audio of every level's last listeners. */
function crowd(levels: Level[]) {
  const max = best(levels);
  const top = levels.find((l) => l.n === max);
  return {
    maxListeners: max,
    atMax: top ? { cpuPct: top.sfuCpuPct, lossPct: top.lossPct, forwardingP50Ms: top.p50Ms, forwardingP99Ms: top.p99Ms, usPerPacket: top.sfuUsPerPacket } : null,
    joinToFirstAudioUnderLoadMs: stats(levels.flatMap((l) => l.firstAudioMs ?? [])),
  };
}

const cs = TARGETS.includes('callsight') ? await benchCallsight() : null;
const jn = TARGETS.includes('janus') ? await benchJanus() : { levels: [], error: 'not run (ROOMS_TARGETS)' };
const csCrowd = crowd(cs?.levels ?? []);
const jnCrowd = crowd(jn.levels);
const ratio = (a: number | null | undefined, b: number | null | undefined) => (a && b ? round(a / b, 2) : null);
console.log(
  JSON.stringify({
    bench: 'rooms',
    criteria:
      'one conversation, two speakers; join → first audio and promote → heard on loopback (goals p99 < 1 s, p99 < 300 ms); listeners sustained with loss < 1% and p99 forwarding < 50 ms, server on 1 core, werift clients on the other',
    callsight: cs ? { ...cs.stage, perVoiceConnections: cs.peers, ...csCrowd, levels: cs.levels } : null,
    peer: {
      name: 'janus',
      why: 'LiveKit, the issue’s anchor, cannot be downloaded here (no network beyond npm and Debian); Janus VideoRoom (Debian) under the same crowd is the best local SFU. It has no stage roles, so promote → heard has no peer figure',
      ...jnCrowd,
      levels: jn.levels,
      ...(jn.error ? { error: jn.error } : {}),
    },
    ratio: {
      maxListeners: ratio(csCrowd.maxListeners, jnCrowd.maxListeners),
      usPerPacketAtMax: ratio(csCrowd.atMax?.usPerPacket, jnCrowd.atMax?.usPerPacket),
      joinToFirstAudioUnderLoadP50: ratio(csCrowd.joinToFirstAudioUnderLoadMs.p50, jnCrowd.joinToFirstAudioUnderLoadMs.p50),
    },
    note: 'busy shared 2-core machine; ratios are callsight ÷ janus (listeners: higher is better; µs per packet and join time: lower is better)',
  }),
);
process.exit(0);
