import type { CallMetadata } from '@callsight/sdk';
import { useEffect, useState } from 'react';
import { VerifiedBadge } from './VerifiedBadge';
import { useVerifiedCaller, type CallerCheck } from './use-verified-caller';
import './lockscreen.css';

/** What an incoming-call notification says: the brand (or caller) and why. */
export interface IncomingAlert {
  title: string;
  body: string;
  icon?: string;
  /** Who the title names: a verified brand, a colleague the server named, or only a number. */
  kind: 'brand' | 'colleague' | 'number';
}

export interface LockscreenCall {
  /** Signed call metadata from callsight; absent for a call nobody vouched for. */
  metadataToken?: string;
  /** The number as the network presented it. */
  callerNumber: string;
  /** Who the server knows the caller to be (a colleague at this business), when it does. */
  callerName?: string;
  /** The business the named caller works for (this app's tenant). */
  callerOrg?: string;
  onAccept(): void;
  onDecline(): void;
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
 * content; an unvouched call shows the number (and the network's caller name, quoted), marked unverified; a call
 * that failed verification shows a spoof warning and never any brand.
 */
export function Lockscreen({ call, jwk, onShown }: { call: LockscreenCall; jwk?: JsonWebKey; onShown?: (alert: IncomingAlert) => void }) {
  const now = useClock();
  const shown = useVerifiedCaller(call.metadataToken, jwk);
  // Once it is known who is calling, say so outside the page too (a notification when the tab is hidden).
  useEffect(() => {
    if (shown.state === 'checking' || !onShown) return;
    if (shown.state === 'verified') onShown({ title: shown.meta.b.n, body: shown.meta.b.r ?? 'Verified caller', icon: shown.meta.b.logo, kind: 'brand' });
    else if (shown.state === 'spoofed') onShown({ title: call.callerNumber, body: 'Possible spoofed call', kind: 'number' });
    else if (call.callerName) onShown({ title: call.callerName, body: call.callerOrg ? `${call.callerOrg} is calling` : 'Incoming call', kind: 'colleague' });
    else if (shown.state === 'unverified' && shown.carrierName) onShown({ title: shown.number ?? call.callerNumber, body: `Unverified caller · “${shown.carrierName}”`, kind: 'number' });
    else onShown({ title: call.callerNumber, body: 'Unverified caller', kind: 'number' });
  }, [shown, onShown, call.callerNumber, call.callerName, call.callerOrg]);

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
        {shown.state === 'verified' ? <VerifiedCaller meta={shown.meta} /> : <PlainCaller number={call.callerNumber} name={call.callerName} org={call.callerOrg} shown={shown} />}
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
        <VerifiedBadge className="lockscreen-badge" testId="lockscreen-verified" />
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

function PlainCaller({ number, name, org, shown }: { number: string; name?: string; org?: string; shown: CallerCheck }) {
  // A colleague the server knows (a logged-in agent of this business) is named, not marked unverified.
  if (name && shown.state !== 'spoofed') {
    return (
      <>
        <h2 className="lockscreen-name" data-testid="lockscreen-name">{name}</h2>
        <p className="lockscreen-number">{number}</p>
        <p className="lockscreen-mark lockscreen-mark-unverified" data-testid="lockscreen-staff">{org ? `${org} team` : 'Your account team'}</p>
      </>
    );
  }
  return (
    <>
      <h2 className="lockscreen-name" data-testid="lockscreen-number">
        {(shown.state === 'unverified' && shown.number) || number}
      </h2>
      {shown.state === 'checking' && <p className="lockscreen-mark">Checking caller…</p>}
      {shown.state === 'unverified' && shown.carrierName && (
        // The network's name for the number, below it and quoted: it is what the caller claims, not who they are.
        <p className="lockscreen-carrier-name" data-testid="lockscreen-carrier-name">
          “{shown.carrierName}”
        </p>
      )}
      {shown.state === 'unverified' && (
        <p className="lockscreen-mark lockscreen-mark-unverified" data-testid="lockscreen-unverified">
          {shown.carrierName ? 'Unverified caller · name not checked' : 'Unverified caller'}
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
