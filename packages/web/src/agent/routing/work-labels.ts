import type { WorkItem } from './routing-api';

/** Who the item is about, from what the enqueuing channel put in its context. */
export function customerLabel(item: WorkItem): string {
  const c = item.context;
  return String(c.visitorName ?? c.callerName ?? c.from ?? c.callerNumber ?? 'Customer');
}
