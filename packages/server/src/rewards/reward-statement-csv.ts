import { toCsv, type RewardPayoutInfo, type RewardStatement } from '@callsight/protocol';
import { formatUnits } from 'viem';
import { accountOf } from './reward-ledger.js';
import { redemptionOf } from './reward-reports.js';
import type { RewardRedemptionsTable } from './reward-tables.js';

export const STATEMENT_CSV_COLUMNS = ['date', 'activity', 'points', 'value', 'asset', 'redemption'] as const;

/** What `points` are worth in the payout asset, exact (base units in bigint), e.g. "-0.85". */
export function pointsWorth(points: number, payout: RewardPayoutInfo): string {
  const units = BigInt(Math.abs(points)) * BigInt(payout.unitsPerPoint);
  return `${points < 0 ? '-' : ''}${formatUnits(units, payout.decimals)}`;
}

const STATE: Record<RewardRedemptionsTable['status'], string> = { pending: 'preparing', submitted: 'sent, confirming', confirmed: 'paid', failed: 'not paid, points returned' };

/** The redemption behind an entry, in words: where the points went and how it stands (a crypto one with its transaction). */
function redemptionWords(r: RewardRedemptionsTable, userId: string, names: Map<string, string>): string {
  if (r.kind === 'transfer') {
    return r.user_id === userId ? `Sent to ${names.get(r.to_ref) ?? 'another user'}` : `Received from ${names.get(r.user_id) ?? 'another user'}`;
  }
  return [`To wallet ${r.to_ref}`, STATE[r.status], r.tx_hash ? `transaction ${r.tx_hash}` : null].filter(Boolean).join(', ');
}

/**
 * A user's statement as CSV, one row per ledger entry of their account in the period:
 * when (UTC, ISO 8601), what it was for, the points in (+) or out (−), their worth in the
 * payout asset and its symbol (blank when the tenant pays none) and the redemption it belongs to.
 */
export function statementCsv(
  st: RewardStatement,
  payout: RewardPayoutInfo | null,
  redemptions: Map<string, RewardRedemptionsTable>,
  names: Map<string, string>,
): string {
  const account = accountOf.user(st.userId);
  const rows = st.entries.map((e) => {
    const points = e.creditAccount === account ? e.amount : -e.amount;
    const rid = redemptionOf(e.transferId);
    const r = rid ? redemptions.get(rid) : undefined;
    return [new Date(e.at).toISOString(), e.reason, points, payout ? pointsWorth(points, payout) : '', payout?.symbol ?? '', r ? redemptionWords(r, st.userId, names) : ''];
  });
  return toCsv([[...STATEMENT_CSV_COLUMNS], ...rows]);
}
