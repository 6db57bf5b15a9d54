import { toCsv, type Report } from '@callsight/sdk';

const seconds = (ms: number | null) => (ms == null ? null : Math.round(ms / 1000));

/** A report as CSV (one row per queue or agent; times in seconds; wrap-up codes as `code: n` pairs). */
export function reportCsv(r: Report): string {
  const head = [r.by === 'queue' ? 'queue' : 'agent', 'handled', 'abandoned', 'avg_wait_s', 'avg_handle_s', 'sla_percent', 'wrap_up_codes'];
  const rows = r.rows.map((x) => [x.name, x.handled, x.abandoned, seconds(x.avgWaitMs), seconds(x.avgHandleMs), x.slaPercent, Object.entries(x.wrapUpCodes).map(([c, n]) => `${c}: ${n}`).join('; ')]);
  return toCsv([head, ...rows]);
}
