import type { AppContext } from '../app-context.js';
import type { DeflectionTarget } from './deflection-tables.js';

/**
 * Deflections per number created within the last `windowMs`: offered, opened,
 * completed (a menu or callback choice made), SMS failures, expired, per target,
 * and the deflection rate opened / offered. Read from the store, so every
 * process answers the same (the Prometheus counters are per process).
 */
export async function deflectionStats(ctx: AppContext, tenantId: string, windowMs: number) {
  const rows = await ctx.store.db
    .selectFrom('deflections')
    .select(['number_id', 'target', 'state', 'opened_at'])
    .where('tenant_id', '=', tenantId)
    .where('created_at', '>=', Date.now() - windowMs)
    .execute();
  const byNumber = new Map<string | null, { offered: number; opened: number; completed: number; smsFailed: number; expired: number; byTarget: Record<DeflectionTarget, number> }>();
  for (const r of rows) {
    let s = byNumber.get(r.number_id);
    if (!s) byNumber.set(r.number_id, (s = { offered: 0, opened: 0, completed: 0, smsFailed: 0, expired: 0, byTarget: { chat: 0, menu: 0, callback: 0 } }));
    s.offered++;
    s.byTarget[r.target]++;
    if (r.opened_at !== null) s.opened++;
    if (r.state === 'completed') s.completed++;
    if (r.state === 'failed') s.smsFailed++;
    if (r.state === 'expired') s.expired++;
  }
  const numbers = await ctx.services.get('telephony').numbers.list(tenantId);
  return [...byNumber].map(([numberId, s]) => ({
    numberId,
    number: numbers.find((n) => n.id === numberId)?.number ?? null,
    ...s,
    rate: s.offered ? s.opened / s.offered : 0,
  }));
}
