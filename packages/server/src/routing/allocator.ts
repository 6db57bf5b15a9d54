import type { RoutingChannel, SkillNeed } from '@callsight/protocol';
import { Heap } from './item-heap.js';

/**
 * The routing decision, pure and in memory: which agent gets a new request, and
 * which waiting request a freed agent gets. No I/O and no clock: the service
 * (routing-service.ts) feeds it state from the store and commits its decisions
 * with compare-and-set, so a stale index can cost a retry but never a double
 * allocation.
 */

export { ROUTING_CHANNELS, type RoutingChannel, type SkillNeed } from '@callsight/protocol';

/** Audio and video hold the agent's attention; text channels share it by volume. */
export const isMedia = (channel: RoutingChannel) => channel === 'voice' || channel === 'video';

/** What an agent currently holds (offered or assigned), the input of the allocation rule. */
export interface AgentLoad {
  /** Audio/video items held. */
  mediaCount: number;
  /** Sum of the processing volumes of the text items held. */
  textLoad: number;
  /** Upper limit of text workload. */
  limit: number;
}

/**
 * THE allocation rule.
 * - audio/video: only to an agent handling no audio/video whose text workload does not exceed the limit;
 * - text: only if workload + the request's volume stays within the limit, and during audio/video only
 *   when the queue allows text during voice.
 */
export function canTake(agent: AgentLoad, request: { channel: RoutingChannel; volume: number }, textDuringVoice: boolean): boolean {
  if (isMedia(request.channel)) return agent.mediaCount === 0 && agent.textLoad <= agent.limit;
  if (agent.mediaCount > 0 && !textDuringVoice) return false;
  return agent.textLoad + request.volume <= agent.limit;
}

export interface QueuePolicy {
  id: string;
  priority: number;
  skills: SkillNeed[];
  textDuringVoice: boolean;
}

export interface AgentInput {
  id: string;
  /** Presence is `available` (away, wrap-up and offline agents get nothing). */
  available: boolean;
  /** skill → level 1–10. */
  skills: Record<string, number>;
  limit: number;
  /** Epoch ms since the agent last had nothing to do; the longest idle wins ties. */
  idleSince: number;
}

export type ItemPhase = 'queued' | 'offered' | 'assigned';

export interface ItemInput {
  id: string;
  queueId: string;
  channel: RoutingChannel;
  /** Higher first; defaults to the queue's priority (resolved by the caller). */
  priority: number;
  volume: number;
  /** Needs beyond the queue's own. */
  skills: SkillNeed[];
  /** Epoch ms the customer started waiting (kept across overflow and re-offer). */
  enqueuedAt: number;
  phase: ItemPhase;
  /** Holder when offered or assigned. */
  agentId: string | null;
  /** Agents who rejected or let the offer expire: not offered again. */
  declinedBy: readonly string[];
}

interface Agent extends AgentLoad {
  id: string;
  available: boolean;
  skills: Map<string, number>;
  idleSince: number;
  /** Which open-agent indexes hold it (bits of ROOM_*): what it has room for now. */
  room: number;
  /** Buckets whose needs this agent meets, recomputed when skills or buckets change. */
  eligible: Bucket[] | null;
  eligibleVersion: number;
}

/** Room classes: audio/video; text with no audio/video; text during audio/video. */
const ROOM_MEDIA = 1;
const ROOM_TEXT = 2;
const ROOM_TEXT_DURING_MEDIA = 4;
const ROOM_CLASSES = [ROOM_MEDIA, ROOM_TEXT, ROOM_TEXT_DURING_MEDIA] as const;
const MEDIA_CLASSES = [ROOM_MEDIA];
const TEXT_CLASSES = [ROOM_TEXT];
const TEXT_ANY_CLASSES = [ROOM_TEXT, ROOM_TEXT_DURING_MEDIA];

interface Pick {
  best: Agent | undefined;
  score: number;
}

function roomOf(agent: Agent): number {
  if (!agent.available) return 0;
  if (agent.mediaCount > 0) return agent.textLoad < agent.limit ? ROOM_TEXT_DURING_MEDIA : 0;
  return (agent.textLoad <= agent.limit ? ROOM_MEDIA : 0) | (agent.textLoad < agent.limit ? ROOM_TEXT : 0);
}

interface QueueEntry {
  policy: QueuePolicy;
  /** The queue's needs, sorted: what items without needs of their own require. */
  needs: SkillNeed[];
  /** Buckets of items with no extra needs, per channel (the common case, looked up without building a key). */
  plain: Map<RoutingChannel, Bucket>;
}

interface Item {
  input: ItemInput;
  needs: SkillNeed[];
  bucket: Bucket | null;
  /** Heap entries from before the last re-insert are stale and skipped. */
  token: number;
  seq: number;
}

interface HeapEntry {
  item: Item;
  token: number;
}

interface Bucket {
  key: string;
  queue: QueuePolicy;
  channel: RoutingChannel;
  needs: SkillNeed[];
  heap: Heap<HeapEntry>;
}

const waitsLonger = (a: HeapEntry, b: HeapEntry) => {
  const x = a.item.input;
  const y = b.item.input;
  if (x.priority !== y.priority) return x.priority > y.priority;
  if (x.enqueuedAt !== y.enqueuedAt) return x.enqueuedAt < y.enqueuedAt;
  return a.item.seq < b.item.seq;
};

/** Queue needs and item needs together, the stricter level winning. */
function mergeNeeds(a: readonly SkillNeed[], b: readonly SkillNeed[]): SkillNeed[] {
  const byName = new Map<string, number>();
  for (const n of [...a, ...b]) byName.set(n.skill, Math.max(byName.get(n.skill) ?? 0, n.minLevel));
  return [...byName].sort(([x], [y]) => (x < y ? -1 : 1)).map(([skill, minLevel]) => ({ skill, minLevel }));
}

const meets = (agent: Agent, needs: readonly SkillNeed[]) => needs.every((n) => (agent.skills.get(n.skill) ?? 0) >= n.minLevel);

/** Sum of the agent's levels on the needed skills: higher is a better match. */
function matchScore(agent: Agent, needs: readonly SkillNeed[]): number {
  let score = 0;
  for (const n of needs) score += agent.skills.get(n.skill) ?? 0;
  return score;
}

/**
 * Indexes, chosen so both decisions stay well under a millisecond with 10,000
 * agents and 100,000 waiting items:
 * - waiting items live in buckets (queue × channel × extra skills), each a heap:
 *   a freed agent looks only at the heads of the buckets it qualifies for;
 * - agents with room and presence `available` are indexed per skill: a new
 *   request scans only the smallest set of agents having one of its skills.
 */
export class Allocator {
  private readonly queues = new Map<string, QueueEntry>();
  private readonly agents = new Map<string, Agent>();
  private readonly items = new Map<string, Item>();
  private readonly buckets = new Map<string, Bucket>();
  /** Per room class: agents with that room, by skill and level (index 1–10), and all of them. */
  private readonly openBySkill = new Map<number, Map<string, Set<Agent>[]>>(ROOM_CLASSES.map((c) => [c, new Map()]));
  private readonly openAgents = new Map<number, Set<Agent>>(ROOM_CLASSES.map((c) => [c, new Set()]));
  private bucketVersion = 0;
  private seq = 0;

  // ---- state in ---------------------------------------------------------

  setQueue(queue: QueuePolicy): void {
    const before = this.queues.get(queue.id);
    const policy = { ...queue, skills: [...queue.skills] };
    this.queues.set(queue.id, { policy, needs: mergeNeeds(queue.skills, []), plain: new Map() });
    for (const bucket of this.buckets.values()) if (bucket.queue.id === queue.id) bucket.queue = policy;
    // Queue needs are part of every bucket of the queue: re-bucket its items (rare: an admin edit).
    if (before) for (const item of this.items.values()) if (item.input.queueId === queue.id) this.setItem(item.input);
  }

  setAgent(input: AgentInput): void {
    let agent = this.agents.get(input.id);
    if (!agent) {
      agent = { id: input.id, available: false, skills: new Map(), idleSince: 0, room: 0, eligible: null, eligibleVersion: -1, mediaCount: 0, textLoad: 0, limit: 0 };
      this.agents.set(input.id, agent);
    }
    // Skills key the indexes: leave them all, change, re-enter.
    this.index(agent, 0);
    agent.available = input.available;
    agent.skills = new Map(Object.entries(input.skills));
    agent.limit = input.limit;
    agent.idleSince = input.idleSince;
    agent.eligible = null;
    this.index(agent, roomOf(agent));
  }

  /** Adds or updates an item; phase `queued` puts it in line, the others hold an agent. */
  setItem(input: ItemInput): void {
    const queue = this.queues.get(input.queueId);
    if (!queue) throw new Error(`allocator: unknown queue ${input.queueId}`);
    const old = this.items.get(input.id);
    if (old) this.release(old);
    const item: Item = old ?? { input, needs: [], bucket: null, token: 0, seq: this.seq++ };
    item.input = { ...input, declinedBy: [...input.declinedBy] };
    item.needs = input.skills.length === 0 ? queue.needs : mergeNeeds(queue.policy.skills, input.skills);
    item.token++;
    item.bucket = null;
    this.items.set(input.id, item);
    if (input.phase === 'queued') {
      const bucket = this.bucketFor(queue, input.channel, item.needs, input.skills.length === 0);
      item.bucket = bucket;
      bucket.heap.push({ item, token: item.token });
    } else if (input.agentId) {
      this.hold(this.agentOrPlaceholder(input.agentId), item, +1);
    }
  }

  /** Completed or cancelled: forget it and free its agent's capacity. */
  removeItem(id: string): void {
    const item = this.items.get(id);
    if (!item) return;
    this.release(item);
    item.token++;
    this.items.delete(id);
  }

  getItem(id: string): Readonly<ItemInput> | undefined {
    return this.items.get(id)?.input;
  }

  agentLoad(id: string): AgentLoad | undefined {
    const a = this.agents.get(id);
    return a && { mediaCount: a.mediaCount, textLoad: a.textLoad, limit: a.limit };
  }

  get size(): { agents: number; items: number; buckets: number } {
    return { agents: this.agents.size, items: this.items.size, buckets: this.buckets.size };
  }

  // ---- decisions --------------------------------------------------------

  /** The best agent for a waiting item: skill match, then least text workload, then longest idle. */
  bestAgentFor(itemId: string): string | undefined {
    const item = this.items.get(itemId);
    if (!item || item.input.phase !== 'queued') return undefined;
    const queue = this.queues.get(item.input.queueId)!.policy;
    const classes = isMedia(item.input.channel) ? MEDIA_CLASSES : queue.textDuringVoice ? TEXT_ANY_CLASSES : TEXT_CLASSES;
    const pick: Pick = { best: undefined, score: -1 };
    if (item.needs.length === 1) {
      // One need (the usual case: the queue's skill): the score is the agent's level, so scan
      // levels best first across the room classes and stop at the first level that has a match.
      const { skill, minLevel } = item.needs[0];
      for (let l = 10; l >= minLevel && !pick.best; l--) {
        for (const cls of classes) {
          const pool = this.openBySkill.get(cls)!.get(skill)?.[l];
          if (pool?.size) this.consider(pool, item, queue, pick);
        }
      }
      return pick.best?.id;
    }
    for (const cls of classes) {
      if (item.needs.length === 0) {
        this.consider(this.openAgents.get(cls)!, item, queue, pick);
        continue;
      }
      // Several needs: every agent at or above the level of the rarest needed skill.
      const bySkill = this.openBySkill.get(cls)!;
      let rarest: Set<Agent>[] | undefined;
      let minLevel = 1;
      let rarestSize = Infinity;
      for (const n of item.needs) {
        const levels = bySkill.get(n.skill);
        let size = 0;
        if (levels) for (let l = n.minLevel; l <= 10; l++) size += levels[l]?.size ?? 0;
        if (size < rarestSize) [rarest, rarestSize, minLevel] = [levels, size, n.minLevel];
      }
      if (!rarest || rarestSize === 0) continue;
      for (let l = 10; l >= minLevel; l--) if (rarest[l]?.size) this.consider(rarest[l], item, queue, pick);
    }
    return pick.best?.id;
  }

  /** Keeps in `pick` the best of it and every agent of `pool` that may take the item. */
  private consider(pool: Set<Agent>, item: Item, queue: QueuePolicy, pick: Pick): void {
    for (const agent of pool) {
      if (!meets(agent, item.needs) || !canTake(agent, item.input, queue.textDuringVoice)) continue;
      if (item.input.declinedBy.length && item.input.declinedBy.includes(agent.id)) continue;
      const score = matchScore(agent, item.needs);
      const best = pick.best;
      if (
        !best ||
        score > pick.score ||
        (score === pick.score && (agent.textLoad < best.textLoad || (agent.textLoad === best.textLoad && agent.idleSince < best.idleSince)))
      ) {
        pick.best = agent;
        pick.score = score;
      }
    }
  }

  /** The waiting item a free agent should get: highest priority, then longest waiting, among those it may take. */
  nextItemFor(agentId: string): string | undefined {
    const agent = this.agents.get(agentId);
    if (!agent || agent.room === 0) return undefined;
    let best: HeapEntry | undefined;
    for (const bucket of this.eligibleBuckets(agent)) {
      const head = this.head(bucket);
      if (!head) continue;
      const it = head.item.input;
      if (!canTake(agent, it, bucket.queue.textDuringVoice) || it.declinedBy.includes(agent.id)) continue;
      if (!best || waitsLonger(head, best)) best = head;
    }
    return best?.item.input.id;
  }

  /** Every waiting item in allocation order paired with its best agent, until agents or items run out. */
  *plan(limit = Infinity): Generator<{ itemId: string; agentId: string }> {
    const heads: HeapEntry[] = [];
    for (const bucket of this.buckets.values()) {
      const h = this.head(bucket);
      if (h) heads.push(h);
    }
    heads.sort((a, b) => (waitsLonger(a, b) ? -1 : 1));
    let n = 0;
    for (const h of heads) {
      if (n >= limit) return;
      if (h.item.input.phase !== 'queued') continue;
      const agentId = this.bestAgentFor(h.item.input.id);
      if (agentId) {
        n++;
        yield { itemId: h.item.input.id, agentId };
      }
    }
  }

  // ---- internals --------------------------------------------------------

  private head(bucket: Bucket): HeapEntry | undefined {
    for (;;) {
      const top = bucket.heap.peek();
      if (!top) return undefined;
      if (top.token === top.item.token && top.item.input.phase === 'queued' && this.items.get(top.item.input.id) === top.item) return top;
      bucket.heap.pop();
    }
  }

  private eligibleBuckets(agent: Agent): Bucket[] {
    if (!agent.eligible || agent.eligibleVersion !== this.bucketVersion) {
      agent.eligible = [...this.buckets.values()].filter((b) => meets(agent, b.needs));
      agent.eligibleVersion = this.bucketVersion;
    }
    return agent.eligible;
  }

  private bucketFor(queue: QueueEntry, channel: RoutingChannel, needs: SkillNeed[], plain: boolean): Bucket {
    const cached = plain ? queue.plain.get(channel) : undefined;
    if (cached) return cached;
    const key = `${queue.policy.id}|${channel}|${needs.map((n) => `${n.skill}:${n.minLevel}`).join(',')}`;
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = { key, queue: queue.policy, channel, needs, heap: new Heap(waitsLonger) };
      this.buckets.set(key, bucket);
      this.bucketVersion++;
    }
    if (plain) queue.plain.set(channel, bucket);
    return bucket;
  }

  private agentOrPlaceholder(id: string): Agent {
    // An item may name its agent before the agent's row reached this index.
    if (!this.agents.has(id)) this.setAgent({ id, available: false, skills: {}, limit: 0, idleSince: 0 });
    return this.agents.get(id)!;
  }

  private release(item: Item): void {
    const { phase, agentId } = item.input;
    if (phase !== 'queued' && agentId) {
      const agent = this.agents.get(agentId);
      if (agent) this.hold(agent, item, -1);
    }
  }

  private hold(agent: Agent, item: Item, sign: 1 | -1): void {
    if (isMedia(item.input.channel)) agent.mediaCount += sign;
    else agent.textLoad += sign * item.input.volume;
    this.index(agent, roomOf(agent));
  }

  /** Moves the agent between the open-agent indexes when what it has room for changes. */
  private index(agent: Agent, room: number): void {
    if (room === agent.room) return;
    for (const cls of ROOM_CLASSES) {
      const had = (agent.room & cls) !== 0;
      const has = (room & cls) !== 0;
      if (had === has) continue;
      const bySkill = this.openBySkill.get(cls)!;
      if (has) {
        this.openAgents.get(cls)!.add(agent);
        for (const [skill, level] of agent.skills) {
          let levels = bySkill.get(skill);
          if (!levels) bySkill.set(skill, (levels = []));
          (levels[level] ??= new Set()).add(agent);
        }
      } else {
        this.openAgents.get(cls)!.delete(agent);
        for (const [skill, level] of agent.skills) bySkill.get(skill)?.[level]?.delete(agent);
      }
    }
    agent.room = room;
  }
}
