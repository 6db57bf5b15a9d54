/**
 * The dynamic value of an activity (README: "Rewards: how points are valued").
 *
 *   points = floor-at-0( round( (w_type / w̄) × target × c ) ), at most budget − spent
 *   c      = clamp(1 + KP × e_pace + KI × e_avg, C_MIN, C_MAX)
 *   e_pace = (f × budget − spent) / budget        f: elapsed fraction of the period (plan = budget spread evenly)
 *   e_avg  = (target × n − spent) / (target × n)   n: awards so far (0 when n = 0)
 *   w̄      = (Σ w of awards so far + K_PRIOR × mean configured weight) / (n + K_PRIOR)
 *
 * e_pace is the proportional term (paying ahead of plan lowers values, behind raises them);
 * e_avg is the integral term: the accumulated payout error of every award so far, per
 * award, so the period's average payout is pulled to the target. Dividing by w̄ keeps the
 * average at the target whatever the mix of activity types, and every award at one moment
 * shares c, so values keep the ratio of their types' weights. c is bounded, the result is
 * never negative and never more than the budget left.
 */
export const VALUE_GAINS = { kp: 1.2, ki: 0.8, cMin: 0.25, cMax: 2, kPrior: 20 } as const;

export interface PacingState {
  budget: number;
  spent: number;
  /** Awards paid so far this period. */
  awards: number;
  /** Σ weight of those awards. */
  weightSum: number;
  /** 0…1: how far through the period we are. */
  elapsed: number;
  /** Mean of the program's configured weights (the prior for w̄). */
  meanWeight: number;
}

export function correction(target: number, s: PacingState): number {
  const ePace = s.budget > 0 ? (Math.min(1, Math.max(0, s.elapsed)) * s.budget - s.spent) / s.budget : 0;
  const eAvg = s.awards > 0 && target > 0 ? (target * s.awards - s.spent) / (target * s.awards) : 0;
  const c = 1 + VALUE_GAINS.kp * ePace + VALUE_GAINS.ki * eAvg;
  return Math.min(VALUE_GAINS.cMax, Math.max(VALUE_GAINS.cMin, Number.isFinite(c) ? c : 1));
}

export function meanWeightSoFar(s: PacingState): number {
  const k = VALUE_GAINS.kPrior;
  return (s.weightSum + k * s.meanWeight) / (s.awards + k);
}

/** Points for one activity of weight `weight` (integer, 0 ≤ points ≤ budget − spent). */
export function awardValue(weight: number, target: number, s: PacingState): number {
  if (!(weight > 0) || !(target > 0)) return 0;
  const wBar = meanWeightSoFar(s);
  const raw = (weight / (wBar > 0 ? wBar : weight)) * target * correction(target, s);
  const left = Math.max(0, s.budget - s.spent);
  return Math.max(0, Math.min(left, Math.round(raw)));
}
