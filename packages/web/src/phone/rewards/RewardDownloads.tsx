import type { RewardRedemption } from '@callsight/sdk';
import { useState } from 'react';
import { client } from '../../shared/api';
import { ProblemBanner } from '../../shared/ProblemBanner';
import { saveFile } from '../../shared/save-file';
import { useAction } from '../../shared/use-action';

/** The last six UTC months, newest first, as the statement's `YYYY-MM` and in words. */
function recentMonths(now = new Date()): { period: string; label: string }[] {
  const words = new Intl.DateTimeFormat(undefined, { month: 'long', year: 'numeric', timeZone: 'UTC' });
  return Array.from({ length: 6 }, (_, i) => {
    const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - i, 1));
    return { period: d.toISOString().slice(0, 7), label: words.format(d) };
  });
}

/** Download a month's statement: every entry with its date, what it was for, points, worth and redemption. */
export function StatementDownload() {
  const months = recentMonths();
  const [period, setPeriod] = useState(months[0]!.period);
  const action = useAction();
  const download = () => action.run(async () => saveFile(`rewards-statement-${period}.csv`, await client.rewards.statementCsv(period), 'text/csv'));
  return (
    <div className="stack" style={{ gap: '0.4rem' }}>
      <div className="rewards-statement">
        <label className="field grow">
          <span className="small muted">Statement for</span>
          <select value={period} onChange={(e) => setPeriod(e.target.value)} data-testid="rewards-statement-period">
            {months.map((m) => (
              <option key={m.period} value={m.period}>
                {m.label}
              </option>
            ))}
          </select>
        </label>
        <button type="button" className="btn btn-small" onClick={download} disabled={action.busy} data-testid="rewards-statement-download">
          Download statement
        </button>
      </div>
      <ProblemBanner error={action.error} />
    </div>
  );
}

/** For a paid crypto redemption: the chain's record of the payment (transaction, chain, block, amount, address) as a file. */
export function PaymentProofButton({ r }: { r: RewardRedemption }) {
  const action = useAction();
  const download = () =>
    action.run(async () => {
      const proof = await client.rewards.paymentProof(r.id);
      saveFile(`rewards-payment-${proof.txHash.slice(0, 10)}.json`, JSON.stringify(proof, null, 2), 'application/json');
    });
  return (
    <>
      <button type="button" className="btn btn-ghost btn-small" onClick={download} disabled={action.busy} data-testid="rewards-proof-download">
        Proof of payment
      </button>
      <ProblemBanner error={action.error} />
    </>
  );
}
