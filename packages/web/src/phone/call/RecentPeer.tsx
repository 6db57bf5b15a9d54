import type { MyCall } from '@callsight/sdk';
import { VerifiedBadge } from '../lockscreen/VerifiedBadge';
import { rememberedCaller } from './caller-memory';

/** A Recent row's caller as the call rang: the verified brand with logo and reason, a named colleague, else the number. */
export function RecentPeer({ call }: { call: MyCall }) {
  const known = rememberedCaller(call.id);
  if (!known) return <strong>{call.peer}</strong>;
  return (
    <span className="recent-peer" data-testid="recent-peer" data-verified={known.verified}>
      {known.logo && <img className="recent-logo" src={known.logo} alt="" />}
      <span className="recent-peer-text">
        <strong>
          {known.name}
          {known.verified && <VerifiedBadge className="call-verified" size={14} />}
        </strong>
        {known.reason && <span className="muted small recent-reason">{known.reason}</span>}
      </span>
    </span>
  );
}
