import type { Queue } from './routing-model.js';
import type { RoutingRepo } from './routing-repo.js';

/** The window of "the last hour" for answered work and SLA, shared by the queue stats and the wallboard. */
export const SLA_WINDOW_MS = 3600_000;

/** One queue's live figures from `RoutingRepo.queueStats`: waiting, longest wait, answered and SLA % in the window. */
export function queueFigures(q: Queue, stats: Awaited<ReturnType<RoutingRepo['queueStats']>>, now: number) {
  const w = stats.waiting.find((x) => x.queue_id === q.id);
  const answered = stats.answered.filter((a) => a.queue_id === q.id);
  const inSla = answered.filter((a) => Number(a.assigned_at) - Number(a.enqueued_at) <= q.slaSeconds * 1000).length;
  return {
    queueId: q.id,
    name: q.name,
    waiting: Number(w?.n ?? 0),
    longestWaitMs: w?.oldest != null ? now - Number(w.oldest) : 0,
    answered: answered.length,
    slaPercent: answered.length ? Math.round((inSla / answered.length) * 100) : null,
  };
}
