import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Allocator, canTake, isMedia, ROUTING_CHANNELS, type ItemInput, type SkillNeed } from '../../src/routing/allocator.js';

/** Deterministic PRNG so a failure reproduces from its seed. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Long random streams of enqueue / presence / skill / limit changes / offers /
 * accept / reject / complete / cancel. A model kept by the test (not by the
 * allocator) checks after every step that each allocation obeyed the rule
 * against the true load, that no item was offered while not waiting (no double
 * allocation), and that every item is exactly once either waiting, held or done.
 */
for (const seed of [1, 2, 3, 42, 2026]) {
  test(`random stream, seed ${seed}: the rule never breaks, no item lost or allocated twice`, () => {
    const rand = rng(seed);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)];
    const skills = ['en', 'fr', 'loans', 'cards', 'vip'];
    const a = new Allocator();
    const queues = ['q1', 'q2', 'q3'].map((id, i) => ({ id, priority: i, skills: i === 0 ? [] : [{ skill: pick(skills), minLevel: 1 + Math.floor(rand() * 5) }], textDuringVoice: i === 2 }));
    for (const q of queues) a.setQueue(q);
    const agents = Array.from({ length: 12 }, (_, i) => ({
      id: `ag${i}`,
      available: rand() < 0.8,
      skills: Object.fromEntries(skills.filter(() => rand() < 0.6).map((s) => [s, 1 + Math.floor(rand() * 10)])),
      limit: Math.floor(rand() * 4),
      idleSince: Math.floor(rand() * 1000),
    }));
    for (const ag of agents) a.setAgent(ag);
    const items = new Map<string, ItemInput>();
    const done = new Set<string>();
    let created = 0;
    let allocations = 0;

    const trueLoad = (agentId: string) => {
      let mediaCount = 0;
      let textLoad = 0;
      for (const it of items.values()) {
        if (it.agentId !== agentId || it.phase === 'queued') continue;
        if (isMedia(it.channel)) mediaCount++;
        else textLoad += it.volume;
      }
      return { mediaCount, textLoad, limit: agents.find((x) => x.id === agentId)!.limit };
    };
    const queueOf = (id: string) => queues.find((q) => q.id === id)!;
    const qualifies = (agentId: string, it: ItemInput) => {
      const ag = agents.find((x) => x.id === agentId)!;
      const needs: SkillNeed[] = [...queueOf(it.queueId).skills, ...it.skills];
      return ag.available && needs.every((n) => (ag.skills[n.skill] ?? 0) >= n.minLevel) && !it.declinedBy.includes(agentId);
    };
    const offer = (itemId: string, agentId: string) => {
      const it = items.get(itemId);
      assert.ok(it, `allocated an unknown or finished item ${itemId}`);
      assert.equal(it.phase, 'queued', `item ${itemId} allocated while ${it.phase}: double allocation`);
      assert.ok(qualifies(agentId, it), `${agentId} lacks skills/presence for ${itemId}`);
      assert.ok(canTake(trueLoad(agentId), it, queueOf(it.queueId).textDuringVoice), `rule broken offering ${it.channel} v${it.volume} to ${agentId} ${JSON.stringify(trueLoad(agentId))}`);
      const next = { ...it, phase: 'offered' as const, agentId };
      items.set(itemId, next);
      a.setItem(next);
      allocations++;
    };

    for (let step = 0; step < 20_000; step++) {
      const r = rand();
      if (r < 0.25) {
        const q = pick(queues);
        const it: ItemInput = {
          id: `it${created++}`,
          queueId: q.id,
          channel: pick(ROUTING_CHANNELS),
          priority: Math.floor(rand() * 3),
          volume: 1 + Math.floor(rand() * 2),
          skills: rand() < 0.2 ? [{ skill: pick(skills), minLevel: 1 }] : [],
          enqueuedAt: step - Math.floor(rand() * 50),
          phase: 'queued',
          agentId: null,
          declinedBy: [],
        };
        items.set(it.id, it);
        a.setItem(it);
        const agentId = a.bestAgentFor(it.id);
        if (agentId) offer(it.id, agentId);
      } else if (r < 0.45) {
        const ag = pick(agents);
        const itemId = a.nextItemFor(ag.id);
        if (itemId) offer(itemId, ag.id);
      } else if (r < 0.52) {
        for (const { itemId, agentId } of a.plan(3)) offer(itemId, agentId);
      } else if (r < 0.62) {
        const ag = pick(agents);
        ag.available = rand() < 0.7;
        if (rand() < 0.3) ag.limit = Math.floor(rand() * 4);
        if (rand() < 0.2) ag.skills = { ...ag.skills, [pick(skills)]: 1 + Math.floor(rand() * 10) };
        a.setAgent(ag);
      } else {
        // Mostly act on held items, so agents free up and the stream keeps allocating.
        const all = [...items.values()];
        const held = all.filter((x) => x.phase !== 'queued');
        const it = held.length > 0 && rand() < 0.85 ? pick(held) : all.length > 0 ? pick(all) : undefined;
        if (!it) continue;
        const action = rand();
        if (it.phase === 'offered' && action < 0.5) {
          const next = { ...it, phase: 'assigned' as const };
          items.set(it.id, next);
          a.setItem(next);
        } else if (it.phase === 'offered' && action < 0.8) {
          const next = { ...it, phase: 'queued' as const, agentId: null, declinedBy: [...it.declinedBy, it.agentId!] };
          items.set(it.id, next);
          a.setItem(next);
        } else if (it.phase !== 'queued' || action < 0.1) {
          items.delete(it.id);
          done.add(it.id);
          a.removeItem(it.id);
        }
      }
      if (step % 97 === 0) {
        for (const ag of agents) assert.deepEqual(a.agentLoad(ag.id), trueLoad(ag.id), `load of ${ag.id} drifted at step ${step}`);
        assert.equal(a.size.items, items.size, 'allocator holds a different number of items than exist');
        for (const id of items.keys()) assert.deepEqual(a.getItem(id)?.phase, items.get(id)!.phase);
      }
    }
    assert.equal(items.size + done.size, created, 'an item was lost');
    assert.ok(allocations > 1000, `the stream exercised allocation (${allocations})`);
  });
}
