import type { RewardHistoryItem, RewardRedemption, RewardWallet } from '@callsight/sdk';
import { useState } from 'react';
import { formatRelative } from '../../shared/format';
import { ProblemBanner } from '../../shared/ProblemBanner';
import { RedeemSheet } from './RedeemSheet';
import { PaymentProofButton, StatementDownload } from './RewardDownloads';
import { formatPoints, isFinal, pointsValue, redemptionStatus, shortHex } from './reward-format';
import { useRewards } from './use-rewards';
import './rewards.css';

/**
 * "Rewards": points brands paid for engaging with what they showed (a branded call's
 * content, a confirmed card, a sponsored room), what they are worth, what earned them,
 * and redeeming them to another person or to the customer's own crypto wallet.
 */
export function RewardsWallet() {
  const { wallet, redemptions, error, earned, dismissEarned, reload } = useRewards();
  const [redeeming, setRedeeming] = useState(false);
  if (!wallet) {
    return (
      <section className="card rewards" aria-labelledby="rewards-title" data-testid="rewards">
        <h2 id="rewards-title">Rewards</h2>
        <ProblemBanner error={error} />
        {!error && <p className="muted" aria-busy="true">Loading your points…</p>}
      </section>
    );
  }
  const inFlight = redemptions.filter((r) => !isFinal(r));

  return (
    <section className="card rewards" aria-labelledby="rewards-title" data-testid="rewards">
      <div className="row">
        <h2 id="rewards-title" className="grow">
          Rewards
        </h2>
        <button type="button" className="btn btn-small btn-primary" onClick={() => setRedeeming(true)} disabled={wallet.balance < 1} data-testid="rewards-redeem-open">
          Redeem
        </button>
      </div>
      <ProblemBanner error={error} />
      {earned && (
        <div className="rewards-earned" role="status" data-testid="rewards-earned">
          <span className="rewards-earned-points">+{formatPoints(earned.points)}</span>
          <span className="grow">{earned.reason}</span>
          <button type="button" className="btn btn-ghost btn-small" onClick={dismissEarned} aria-label="Dismiss">
            ✕
          </button>
        </div>
      )}
      <div className="rewards-balance">
        <p className="rewards-points" data-testid="rewards-balance" data-points={wallet.balance}>
          {formatPoints(wallet.balance)}
        </p>
        {wallet.payout && (
          <p className="muted" data-testid="rewards-money">
            worth {pointsValue(wallet.balance, wallet.payout)}
          </p>
        )}
        {wallet.pending > 0 && <p className="muted small">{formatPoints(wallet.pending)} on the way to you or others</p>}
      </div>
      {inFlight.map((r) => (
        <RedemptionRow key={r.id} r={r} wallet={wallet} />
      ))}
      <History wallet={wallet} redemptions={redemptions} />
      {wallet.history.length > 0 && <StatementDownload />}
      {redeeming && (
        <RedeemSheet
          wallet={wallet}
          onChanged={reload}
          onClose={() => {
            setRedeeming(false);
            reload();
          }}
        />
      )}
    </section>
  );
}

function RedemptionRow({ r, wallet }: { r: RewardRedemption; wallet: RewardWallet }) {
  return (
    <div className="rewards-inflight" data-testid="rewards-inflight" data-status={r.status}>
      <span className="spinner" aria-hidden="true" />
      <span className="grow">
        {formatPoints(r.points)} to {r.toName ?? shortHex(r.to)} — {redemptionStatus(r, wallet.payout?.confirmations ?? null)}
      </span>
    </div>
  );
}

const KIND_ICON: Record<RewardHistoryItem['kind'], string> = { award: '★', transfer: '⇄', redeem_hold: '↗', redeem_post: '✓', redeem_void: '↩', fund: '', defund: '' };

function History({ wallet, redemptions }: { wallet: RewardWallet; redemptions: RewardRedemption[] }) {
  const byId = new Map(redemptions.map((r) => [r.id, r]));
  if (wallet.history.length === 0) {
    return <p className="muted">No points yet. Brands reward you for looking at what they show you: open the details of a branded call, or confirm a card an agent sends.</p>;
  }
  return (
    <div className="stack" style={{ gap: '0.4rem' }}>
      <h3 className="small muted">History</h3>
      <ul className="rewards-history" data-testid="rewards-history">
        {wallet.history.map((h) => {
          const r = h.redemptionId ? byId.get(h.redemptionId) : undefined;
          return (
            <li key={h.entryId} className="rewards-history-item" data-testid="rewards-history-item" data-kind={h.kind}>
              <span className={`rewards-icon rewards-icon-${h.points >= 0 ? 'in' : 'out'}`} aria-hidden="true">
                {KIND_ICON[h.kind]}
              </span>
              <span className="grow stack" style={{ gap: 0 }}>
                <span>{h.reason}</span>
                <span className="muted small">
                  <time dateTime={new Date(h.at).toISOString()} title={new Date(h.at).toLocaleString()}>
                    {formatRelative(h.at)}
                  </time>
                  {r?.txHash && h.kind === 'redeem_hold' && (
                    <>
                      {' · '}
                      <span className="mono" title={r.txHash}>
                        {shortHex(r.txHash, 6)}
                      </span>{' '}
                      {r.status === 'confirmed' ? 'paid' : r.status === 'failed' ? 'not paid' : 'pending'}
                    </>
                  )}
                </span>
                {r?.kind === 'crypto' && r.status === 'confirmed' && h.kind === 'redeem_hold' && <PaymentProofButton r={r} />}
              </span>
              <span className={`rewards-amount ${h.points >= 0 ? 'rewards-amount-in' : ''}`}>
                {h.points >= 0 ? '+' : '−'}
                {formatPoints(Math.abs(h.points))}
              </span>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
