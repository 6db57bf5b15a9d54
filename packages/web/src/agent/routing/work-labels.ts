import { partyName } from '../../shared/format';
import type { RoutingChannel, WorkItem } from '@callsight/sdk';

export { partyName };

export const CHANNEL_LABEL: Record<RoutingChannel, string> = { voice: 'Call', video: 'Video call', chat: 'Chat', sms: 'SMS', email: 'Email' };

/** Who the item is about, from what the enqueuing channel put in its context. */
export function customerLabel(item: WorkItem): string {
  const c = item.context;
  return partyName(String(c.visitorName ?? c.callerName ?? c.from ?? c.callerNumber ?? 'Customer'));
}

