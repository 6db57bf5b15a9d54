import type { RewardRedemption } from '@callsight/sdk';
import { useEffect } from 'react';
import { client } from '../../shared/api';
import { formatDateTime } from '../../shared/format';
import { ProblemBanner } from '../../shared/ProblemBanner';
import { useResource } from '../../shared/use-resource';
import { TableState } from '../Section';

const STATUS: Record<RewardRedemption['status'], { text: string; tone: string }> = {
  pending: { text: 'Preparing', tone: 'pill-muted' },
  submitted: { text: 'Sent, confirming', tone: 'pill-warn' },
  confirmed: { text: 'Paid', tone: 'pill-ok' },
  failed: { text: 'Failed, returned', tone: 'pill-bad' },
};

const short = (hex: string, keep = 4) => (hex.length > 2 + keep * 2 ? `${hex.slice(0, 2 + keep)}…${hex.slice(-keep)}` : hex);

/** Every redemption of the tenant, newest first, with where it went and its on-chain state. */
export function RedemptionsCard({ tick }: { tick: number }) {
  const list = useResource(() => client.rewards.tenantRedemptions());
  useEffect(() => list.reload(), [tick]);
  const items = list.data?.items ?? [];
  return (
    <section className="card stack" aria-labelledby="reward-redemptions-title" data-testid="reward-redemptions">
      <h2 id="reward-redemptions-title">Redemptions</h2>
      <ProblemBanner error={list.error} />
      <TableState loading={list.loading} error={list.error} empty={items.length === 0} what="redemptions" />
      {items.length > 0 && (
        <div className="table-wrap">
          <table className="table table-cards">
            <thead>
              <tr>
                <th>When</th>
                <th>Who</th>
                <th>Points</th>
                <th>To</th>
                <th>Status</th>
                <th>Transaction</th>
              </tr>
            </thead>
            <tbody>
              {items.map((r) => (
                <tr key={r.id} data-testid="reward-redemption-row" data-status={r.status}>
                  <td className="nowrap" data-label="When">{formatDateTime(r.createdAt)}</td>
                  <td data-label="Who">{r.userName ?? 'Former user'}</td>
                  <td data-label="Points">{r.points.toLocaleString()}</td>
                  <td data-label="To">{r.kind === 'transfer' ? (r.toName ?? 'another user') : <span className="mono" title={r.to}>{short(r.to)}</span>}</td>
                  <td data-label="Status">
                    <span className={`pill ${STATUS[r.status].tone}`}>{STATUS[r.status].text}</span>
                    {r.status === 'submitted' && <span className="muted small"> {r.confirmations} confirmations</span>}
                  </td>
                  <td data-label="Transaction">{r.txHash ? <span className="mono" title={r.txHash}>{short(r.txHash, 6)}</span> : <span className="muted">—</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
