import { CallsightApiError, type RewardRedemption, type RewardWallet } from '@callsight/sdk';
import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { client } from '../../shared/api';
import { ProblemBanner } from '../../shared/ProblemBanner';
import { addressProblem, formatPoints, isFinal, pointsValue, redemptionStatus, shortHex } from './reward-format';
import '../../shared/cards.css';

type Kind = 'crypto' | 'transfer';
type Phase = { kind: 'form' } | { kind: 'confirm' } | { kind: 'tracking'; redemption: RewardRedemption };

/**
 * Redeem points: to the customer's own crypto wallet (the address checked as typed,
 * then confirmed, then followed until the network has confirmed the payment), or to
 * another person of the service by their email.
 */
export function RedeemSheet({ wallet, onClose, onChanged }: { wallet: RewardWallet; onClose: () => void; onChanged: () => void }) {
  const [kind, setKind] = useState<Kind>(wallet.payout ? 'crypto' : 'transfer');
  const [points, setPoints] = useState(String(wallet.balance));
  const [address, setAddress] = useState('');
  const [email, setEmail] = useState('');
  const [touched, setTouched] = useState(false);
  const [phase, setPhase] = useState<Phase>({ kind: 'form' });
  const [problem, setProblem] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  // One request id per confirmed intent: a retry after a lost answer cannot pay twice.
  const requestId = useMemo(() => `web-${crypto.randomUUID()}`, [kind, points, address, email]);

  const n = Number(points);
  const pointsError = !/^\d+$/.test(points) || n < 1 ? 'Choose at least 1 point' : n > wallet.balance ? `You have ${formatPoints(wallet.balance)}` : null;
  const addrError = kind === 'crypto' ? addressProblem(address) : null;
  const emailError = kind === 'transfer' && !/^[^@\s]+@[^@\s]+$/.test(email.trim()) ? 'Type the email address they sign in with' : null;
  const ready = !pointsError && !addrError && !emailError;

  useEffect(() => {
    if (phase.kind !== 'tracking' || isFinal(phase.redemption)) return;
    const id = phase.redemption.id;
    const timer = setInterval(() => {
      client.rewards.redemption(id).then(
        (r) => {
          setPhase((p) => (p.kind === 'tracking' && p.redemption.id === r.id ? { kind: 'tracking', redemption: r } : p));
          if (isFinal(r)) onChanged();
        },
        () => undefined,
      );
    }, 1000);
    return () => clearInterval(timer);
  }, [phase, onChanged]);

  function review(e: FormEvent) {
    e.preventDefault();
    setTouched(true);
    if (ready) setPhase({ kind: 'confirm' });
  }

  async function send() {
    setBusy(true);
    setProblem(null);
    try {
      const r = await client.rewards.redeem(kind === 'crypto' ? { requestId, points: n, kind, address: address.trim() } : { requestId, points: n, kind, toEmail: email.trim() });
      setPhase({ kind: 'tracking', redemption: r });
      onChanged();
    } catch (err) {
      setProblem(err);
      if (err instanceof CallsightApiError && err.status < 500) setPhase({ kind: 'form' });
    } finally {
      setBusy(false);
    }
  }

  const worth = wallet.payout && kind === 'crypto' && !pointsError ? pointsValue(n, wallet.payout) : null;
  const recipient = kind === 'crypto' ? shortHex(address.trim()) : email.trim();

  return (
    <div className="sheet-backdrop">
      <section className="sheet rewards-sheet" role="dialog" aria-modal="true" aria-labelledby="redeem-title" data-testid="redeem-sheet" data-phase={phase.kind}>
        <div className="sheet-grip" aria-hidden="true" />
        {phase.kind === 'form' && (
          <form className="stack" onSubmit={review} noValidate>
            <h2 id="redeem-title">Redeem points</h2>
            <div className="row wrap" role="radiogroup" aria-label="Where the points go">
              {wallet.payout && (
                <button type="button" role="radio" aria-checked={kind === 'crypto'} className={`chip ${kind === 'crypto' ? 'chip-on' : ''}`} onClick={() => setKind('crypto')} data-testid="redeem-kind-crypto">
                  To my wallet ({wallet.payout.symbol})
                </button>
              )}
              <button type="button" role="radio" aria-checked={kind === 'transfer'} className={`chip ${kind === 'transfer' ? 'chip-on' : ''}`} onClick={() => setKind('transfer')} data-testid="redeem-kind-transfer">
                To a person
              </button>
            </div>
            <label className="field">
              Points
              <input inputMode="numeric" value={points} onChange={(e) => setPoints(e.target.value.replace(/\D/g, ''))} aria-invalid={touched && !!pointsError} aria-describedby="redeem-points-hint" data-testid="redeem-points" />
              <span id="redeem-points-hint" className={`small ${touched && pointsError ? 'field-error' : 'muted'}`}>
                {touched && pointsError ? pointsError : worth ? `You get ${worth}` : `Up to ${formatPoints(wallet.balance)}`}
              </span>
            </label>
            {kind === 'crypto' ? (
              <label className="field">
                Your wallet address
                <input
                  className="mono"
                  value={address}
                  onChange={(e) => setAddress(e.target.value)}
                  onBlur={() => address && setTouched(true)}
                  placeholder="0x…"
                  autoComplete="off"
                  spellCheck={false}
                  aria-invalid={(touched || address.length >= 42) && !!addrError}
                  aria-describedby="redeem-address-hint"
                  data-testid="redeem-address"
                />
                <span id="redeem-address-hint" className={`small ${(touched || address.length >= 42) && addrError ? 'field-error' : 'muted'}`} data-testid="redeem-address-hint">
                  {(touched || address.length >= 42) && addrError ? addrError : !addrError ? '✓ Checksum matches' : 'Paste it from your wallet app (Ethereum-compatible, mixed case)'}
                </span>
              </label>
            ) : (
              <label className="field">
                Their email
                <input type="email" value={email} onChange={(e) => setEmail(e.target.value)} aria-invalid={touched && !!emailError} autoComplete="off" data-testid="redeem-email" />
                {touched && emailError && <span className="small field-error">{emailError}</span>}
              </label>
            )}
            <ProblemBanner error={problem} />
            <div className="sheet-actions">
              <button type="button" className="btn" onClick={onClose}>
                Cancel
              </button>
              <button type="submit" className="btn btn-primary grow" data-testid="redeem-review">
                Review
              </button>
            </div>
          </form>
        )}
        {phase.kind === 'confirm' && (
          <div className="stack">
            <h2 id="redeem-title">Send {formatPoints(n)}?</h2>
            <dl className="rewards-summary">
              <dt>To</dt>
              <dd className={kind === 'crypto' ? 'mono break' : ''} data-testid="redeem-confirm-to">
                {kind === 'crypto' ? address.trim() : email.trim()}
              </dd>
              {worth && (
                <>
                  <dt>You get</dt>
                  <dd data-testid="redeem-confirm-worth">{worth}</dd>
                </>
              )}
              {kind === 'crypto' && wallet.payout && (
                <>
                  <dt>Arrives</dt>
                  <dd>after {wallet.payout.confirmations} network {wallet.payout.confirmations === 1 ? 'confirmation' : 'confirmations'}</dd>
                </>
              )}
            </dl>
            {kind === 'crypto' && <p className="muted small">Payments on a blockchain cannot be undone. Check that the address is yours.</p>}
            <ProblemBanner error={problem} />
            <div className="sheet-actions">
              <button type="button" className="btn" onClick={() => setPhase({ kind: 'form' })} disabled={busy}>
                Back
              </button>
              <button type="button" className="btn btn-primary grow" onClick={() => void send()} disabled={busy} data-testid="redeem-confirm">
                {busy ? 'Sending…' : `Send to ${recipient}`}
              </button>
            </div>
          </div>
        )}
        {phase.kind === 'tracking' && <Tracking r={phase.redemption} wallet={wallet} onClose={onClose} />}
      </section>
    </div>
  );
}

function Tracking({ r, wallet, onClose }: { r: RewardRedemption; wallet: RewardWallet; onClose: () => void }) {
  const done = isFinal(r);
  const ok = r.status === 'confirmed';
  return (
    <div className="stack" data-testid="redeem-status" data-status={r.status}>
      <div className={`rewards-status-mark ${done ? (ok ? 'rewards-status-ok' : 'rewards-status-bad') : ''}`} aria-hidden="true">
        {done ? (ok ? '✓' : '!') : <span className="spinner" />}
      </div>
      <h2 id="redeem-title" className="center-text">
        {redemptionStatus(r, wallet.payout?.confirmations ?? null)}
      </h2>
      <p className="muted center-text">
        {formatPoints(r.points)} to {r.toName ?? shortHex(r.to)}
        {r.kind === 'crypto' && wallet.payout && ` · ${pointsValue(r.points, wallet.payout)}`}
      </p>
      {r.txHash && (
        <p className="center-text small">
          Transaction{' '}
          <span className="mono" title={r.txHash} data-testid="redeem-tx">
            {shortHex(r.txHash, 6)}
          </span>
        </p>
      )}
      {r.status === 'failed' && r.error && <p className="banner banner-warn">{r.error}</p>}
      <div className="sheet-actions">
        <button type="button" className="btn btn-primary grow" onClick={onClose} data-testid="redeem-close">
          {done ? 'Done' : 'Close — it keeps going'}
        </button>
      </div>
    </div>
  );
}
