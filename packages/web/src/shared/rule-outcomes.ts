import type { RuleOutcome } from '@callsight/sdk';

/** A trace outcome in words, with the pill tone it is shown in (admin and agent desktop alike). */
export const OUTCOME: Record<RuleOutcome, { label: string; tone: 'ok' | 'warn' | 'bad' | 'muted' }> = {
  fired: { label: 'Acted', tone: 'ok' },
  shadow_fired: { label: 'Would act (dry run)', tone: 'warn' },
  no_match: { label: 'No match', tone: 'muted' },
  progressed: { label: 'Waiting for more', tone: 'muted' },
  state_not_met: { label: 'Not in the right state', tone: 'muted' },
  capped: { label: 'Limit reached', tone: 'warn' },
  once_per_interaction: { label: 'Already acted on this contact', tone: 'muted' },
  duplicate: { label: 'Repeat ignored', tone: 'muted' },
  loop_stopped: { label: 'Stopped a loop', tone: 'bad' },
  late: { label: 'Arrived late', tone: 'warn' },
};
