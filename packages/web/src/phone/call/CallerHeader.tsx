import type { PhoneCall } from '@callsight/sdk';
import { initials } from '../../shared/softphone/Softphone';
import { useVerifiedCaller } from '../lockscreen/use-verified-caller';
import { VerifiedBadge } from '../lockscreen/VerifiedBadge';

/**
 * Who is on the call screen: the verified brand stays as it rang (logo, name,
 * badge, reason, its details link); a known colleague by name; otherwise the number.
 */
export function CallerHeader({ call, org }: { call: PhoneCall; org: string }) {
  const shown = useVerifiedCaller(call.remote.metadataToken);
  if (shown.state === 'verified') {
    const { b, tn, link } = shown.meta;
    return (
      <>
        {b.logo ? <img className="call-avatar call-avatar-logo" src={b.logo} alt={`${b.n} logo`} data-testid="call-brand-logo" /> : <span className="call-avatar" aria-hidden="true">{initials(b.n)}</span>}
        <h2 className="call-screen-name" data-testid="call-remote-name">
          {b.n}
          <VerifiedBadge className="call-verified" testId="call-verified" size={18} />
        </h2>
        <p className="call-screen-number">{tn}</p>
        {b.r && <p className="call-screen-reason" data-testid="call-reason">{b.r}</p>}
        {link && (
          <a className="call-screen-link" href={link} target="_blank" rel="noopener noreferrer" data-testid="call-details-link">
            See details
          </a>
        )}
      </>
    );
  }
  const name = shown.state !== 'spoofed' ? call.remote.name : undefined;
  return (
    <>
      <span className="call-avatar" aria-hidden="true">{initials(name ?? call.remote.number)}</span>
      <h2 className="call-screen-name" data-testid="call-remote-name">{name ?? call.remote.number}</h2>
      {name && <p className="call-screen-number">{org} · {call.remote.number}</p>}
      {shown.state === 'spoofed' && (
        <p className="call-screen-warning" role="alert" data-testid="call-spoofed">
          This number could not be verified. Do not share codes or card details.
        </p>
      )}
    </>
  );
}
