import type { AppContext } from '../app-context.js';
import type { EventMap } from '../bus/event-map.js';
import type { DeflectionMetrics, DeflectionStep } from './deflection-metrics.js';
import type { DeflectionContext, DeflectionsTable } from './deflection-tables.js';

export type StepEvent = 'deflect.offered' | 'deflect.sms.sent' | 'deflect.sms.failed' | 'deflect.call.terminated' | 'deflect.resumed' | 'deflect.link.opened' | 'deflect.chosen';

const STEP_OF: Record<StepEvent, DeflectionStep> = {
  'deflect.offered': 'offered',
  'deflect.sms.sent': 'sms_sent',
  'deflect.sms.failed': 'sms_failed',
  'deflect.link.opened': 'opened',
  'deflect.call.terminated': 'terminated',
  'deflect.resumed': 'resumed',
  'deflect.chosen': 'completed',
};

export const contextOf = (row: DeflectionsTable): DeflectionContext => (row.context ? (JSON.parse(row.context) as DeflectionContext) : { direction: 'inbound' });

/** Publishes the steps of one deflection on its interaction's timeline, and counts each in the metrics. */
export function stepPublisher(ctx: AppContext, metrics: DeflectionMetrics, row: DeflectionsTable) {
  const ref = { deflectionId: row.id, callId: row.call_id };
  const direction = contextOf(row).direction;
  return async <T extends StepEvent>(type: T, data: Omit<EventMap[T], 'deflectionId' | 'callId'>) => {
    metrics.step(STEP_OF[type], row.target, direction);
    await ctx.bus.publish({ tenantId: row.tenant_id, type, interactionId: row.interaction_id, data: { ...ref, ...data } as never });
  };
}
