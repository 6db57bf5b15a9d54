import { verifyCallMetadata, type CallMetadata } from '@callsight/sdk';
import { useEffect, useState } from 'react';
import { fetchAppKey } from './app-key';
import './lockscreen.css';

export interface LockscreenCall {
  /** Signed call metadata from callsight; absent for a call nobody vouched for. */
  metadataToken?: string;
  /** The number as the network presented it. */
  callerNumber: string;
  onAccept(): void;
  onDecline(): void;
}

/** What the screen may claim, decided only after the token's signature checked out. */
type Shown =
  | { state: 'checking' }
  | { state: 'verified'; meta: CallMetadata & { b: NonNullable<CallMetadata['b']> } }
  | { state: 'unverified' }
  | { state: 'spoofed'; why: string[] };

function decide(meta: CallMetadata | undefined, hadToken: boolean): Shown {
  if (!hadToken) return { state: 'unverified' };
  // A token that does not verify is as suspicious as a failed STIR check.
  if (!meta) return { state: 'spoofed', why: ['metadata_invalid'] };
  if (meta.vs === 'TN-Validation-Failed') return { state: 'spoofed', why: meta.why ?? [] };
  if (meta.vs === 'TN-Validation-Passed' && meta.b) return { state: 'verified', meta: { ...meta, b: meta.b } };
  return { state: 'unverified' };
}

function useClock(): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const t = setInterval(() => setNow(new Date()), 10_000);
    return () => clearInterval(t);
  }, []);
  return now;
}

/**
 * The locked phone ringing: time and date, then who is calling. A verified
 * brand gets its logo, name, check badge, reason and a link to the call's
 * content; an unvouched call shows only the number, marked unverified; a call
 * that failed verification shows a spoof warning and never any brand.
 */
export function Lockscreen({ call, jwk }: { call: LockscreenCall; jwk?: JsonWebKey }) {
  const now = useClock();
  const [shown, setShown] = useState<Shown>({ state: 'checking' });

  useEffect(() => {
    let live = true;
    const token = call.metadataToken;
    if (!token) {
      setShown({ state: 'unverified' });
      return;
    }
    setShown({ state: 'checking' });
    (jwk ? Promise.resolve(jwk) : fetchAppKey())
      .then((key) => verifyCallMetadata(token, key))
      .then(
        (meta) => live && setShown(decide(meta, true)),
        () => live && setShown(decide(undefined, true)),
      );
    return () => {
      live = false;
    };
  }, [call.metadataToken, jwk]);

  return (
    <section className={`lockscreen lockscreen-${shown.state}`} role="dialog" aria-modal="true" aria-label="Incoming call" data-testid="lockscreen" data-state={shown.state}>
      <header className="lockscreen-clock">
        <time className="lockscreen-time" dateTime={now.toISOString()}>
          {now.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' })}
        </time>
        <p className="lockscreen-date">{now.toLocaleDateString(undefined, { weekday: 'long', month: 'long', day: 'numeric' })}</p>
      </header>

      <div className="lockscreen-caller">
        <p className="lockscreen-label">Incoming call</p>
        {shown.state === 'verified' ? <VerifiedCaller meta={shown.meta} /> : <PlainCaller number={call.callerNumber} shown={shown} />}
      </div>

      <div className="lockscreen-actions">
        <button type="button" className="lockscreen-btn lockscreen-decline" onClick={call.onDecline} data-testid="lockscreen-decline">
          Decline
        </button>
        <button type="button" className="lockscreen-btn lockscreen-accept" onClick={call.onAccept} data-testid="lockscreen-accept">
          Accept
        </button>
      </div>
    </section>
  );
}

function VerifiedCaller({ meta }: { meta: CallMetadata & { b: NonNullable<CallMetadata['b']> } }) {
  return (
    <>
      {meta.b.logo && <img className="lockscreen-logo" src={meta.b.logo} alt={`${meta.b.n} logo`} data-testid="lockscreen-logo" />}
      <h2 className="lockscreen-name" data-testid="lockscreen-name">
        {meta.b.n}
        <span className="lockscreen-badge" title="Caller verified" aria-label="Verified caller" data-testid="lockscreen-verified">
          <svg viewBox="0 0 20 20" width="22" height="22" aria-hidden="true">
            <circle cx="10" cy="10" r="10" fill="currentColor" />
            <path d="M5.5 10.5l3 3 6-7" fill="none" stroke="#fff" strokeWidth="2.2" strokeLinecap="round" strokeLinejoin="round" />
          </svg>
        </span>
      </h2>
      <p className="lockscreen-number">{meta.tn}</p>
      {meta.b.r && (
        <p className="lockscreen-reason" data-testid="lockscreen-reason">
          {meta.b.r}
        </p>
      )}
      {meta.link && (
        <a className="lockscreen-link" href={meta.link} target="_blank" rel="noopener noreferrer" data-testid="lockscreen-link">
          See details
        </a>
      )}
    </>
  );
}

function PlainCaller({ number, shown }: { number: string; shown: Shown }) {
  return (
    <>
      <h2 className="lockscreen-name" data-testid="lockscreen-number">
        {number}
      </h2>
      {shown.state === 'checking' && <p className="lockscreen-mark">Checking caller…</p>}
      {shown.state === 'unverified' && (
        <p className="lockscreen-mark lockscreen-mark-unverified" data-testid="lockscreen-unverified">
          Unverified caller
        </p>
      )}
      {shown.state === 'spoofed' && (
        <p className="lockscreen-mark lockscreen-mark-spoofed" role="alert" data-testid="lockscreen-spoofed">
          Possible spoofed call — this number could not be verified. Do not share codes or card details.
        </p>
      )}
    </>
  );
}
