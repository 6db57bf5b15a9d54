import assert from 'node:assert/strict';
import { test } from 'node:test';
import { awardValue, correction, VALUE_GAINS, type PacingState } from '../../src/rewards/reward-value.js';

/** A seeded PRNG (mulberry32) so a failing run can be replayed. */
function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface SimResult {
  spent: number;
  awards: number;
  min: number;
  ratioViolations: number;
}

/**
 * N activities over one period arriving in bursts (some stretches at 20× the base rate,
 * some quiet), awarded in concurrent batches that all read the same stale state (as
 * parallel requests would); the ledger's budget guard clips what would overdraw.
 */
function simulate(seed: number, n: number, weights: Record<string, number>, target: number, budget: number, batch: number): SimResult {
  const r = rng(seed);
  const types = Object.keys(weights);
  const meanWeight = types.reduce((a, t) => a + weights[t]!, 0) / types.length;
  // Arrival times: piecewise rate; bursts cover 5 % of the period with 20× the rate.
  const segs = 200;
  const rate = Array.from({ length: segs }, () => (r() < 0.05 ? 20 : r() < 0.2 ? 0.1 : 1));
  const total = rate.reduce((a, b) => a + b, 0);
  const times: number[] = [];
  for (let i = 0; i < segs; i++) {
    const k = Math.round((n * rate[i]!) / total);
    for (let j = 0; j < k; j++) times.push((i + r()) / segs);
  }
  times.sort((a, b) => a - b);
  const s: PacingState = { budget, spent: 0, awards: 0, weightSum: 0, elapsed: 0, meanWeight };
  let min = Infinity;
  let ratioViolations = 0;
  for (let i = 0; i < times.length; i += batch) {
    const group = times.slice(i, i + batch);
    const snapshot = { ...s, elapsed: group[0]! };
    const vals = group.map(() => {
      const type = types[Math.floor(r() * types.length)]!;
      return { type, points: awardValue(weights[type]!, target, snapshot) };
    });
    // Same state, two types: the values keep the weights' ratio (within rounding).
    const c = correction(target, snapshot);
    for (const v of vals) {
      const exact = (weights[v.type]! / ((snapshot.weightSum + VALUE_GAINS.kPrior * meanWeight) / (snapshot.awards + VALUE_GAINS.kPrior))) * target * c;
      if (v.points < Math.min(budget - snapshot.spent, exact) - 0.5 - 1e-9 || v.points > exact + 0.5 + 1e-9) ratioViolations++;
    }
    for (const v of vals) {
      const paid = Math.min(v.points, s.budget - s.spent);
      min = Math.min(min, paid);
      s.spent += paid;
      s.awards += 1;
      s.weightSum += weights[v.type]!;
    }
  }
  return { spent: s.spent, awards: s.awards, min, ratioViolations };
}

const weights = { call_content_viewed: 1, branded_call_answered: 2, card_completed: 3, room_listened: 5 };

test('over 100,000 bursty activities the average payout is within 5 % of the target and the budget is never exceeded', () => {
  for (const [seed, batch] of [
    [1, 1],
    [2, 16],
    [3, 64],
  ] as const) {
    const target = 50;
    const n = 100_000;
    const res = simulate(seed, n, weights, target, target * n, batch);
    const avg = res.spent / res.awards;
    if (process.env.SIM_DEBUG) console.log(seed, batch, avg, res.spent);
    assert.ok(res.awards >= n * 0.98, `awards ${res.awards}`);
    assert.ok(Math.abs(avg - target) / target <= 0.05, `seed ${seed} batch ${batch}: average ${avg.toFixed(2)} vs target ${target}`);
    assert.ok(res.spent <= target * n, `spent ${res.spent} > budget`);
    assert.ok(res.min >= 0, 'a value went negative');
    assert.equal(res.ratioViolations, 0, 'values at one moment keep the ratio of their weights');
  }
});

test('a budget smaller than the activity needs is spent to the point and never beyond', () => {
  const res = simulate(7, 100_000, weights, 50, 1_000_000, 32);
  assert.ok(res.spent <= 1_000_000);
  assert.ok(res.spent >= 990_000, `spent ${res.spent}`);
  assert.ok(res.min >= 0);
});

test('values keep the ratio of type weights and the correction stays bounded', () => {
  for (const spent of [0, 10, 5_000, 9_999, 10_000]) {
    for (const elapsed of [0, 0.3, 0.99]) {
      const s: PacingState = { budget: 10_000, spent, awards: 200, weightSum: 400, elapsed, meanWeight: 2 };
      const c = correction(10, s);
      assert.ok(c >= VALUE_GAINS.cMin && c <= VALUE_GAINS.cMax);
      const a = awardValue(1, 100, s);
      const b = awardValue(4, 100, s);
      assert.ok(a >= 0 && b >= 0 && b <= 10_000 - spent);
      if (b < 10_000 - spent) assert.ok(Math.abs(b - 4 * a) <= 2.5, `${a} ${b}`);
    }
  }
  assert.equal(awardValue(0, 10, { budget: 10, spent: 0, awards: 0, weightSum: 0, elapsed: 0, meanWeight: 1 }), 0);
  assert.equal(awardValue(-1, 10, { budget: 10, spent: 0, awards: 0, weightSum: 0, elapsed: 0, meanWeight: 1 }), 0);
});
