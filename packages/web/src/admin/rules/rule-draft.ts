import type { CxAction, CxActionKind, RuleDefinition, RuleStep, RuleTrigger, RuleWhile } from '@callsight/sdk';

/**
 * The editor's form state and its conversion to and from a rule definition. The form
 * keeps every step (so switching the trigger kind back and forth loses nothing); the
 * definition takes only the steps its kind uses.
 */
export type TriggerKind = RuleTrigger['kind'];

export interface RuleDraft {
  name: string;
  kind: TriggerKind;
  steps: RuleStep[];
  withinSeconds: number;
  count: number;
  correlate: 'customer' | 'interaction';
  while: RuleWhile | '';
  oncePerInteraction: boolean;
  priority: number;
  actions: CxAction[];
}

export const TRIGGER_KINDS: { kind: TriggerKind; label: string; hint: string }[] = [
  { kind: 'event', label: 'An event happens', hint: 'Every matching event, e.g. an order is delayed.' },
  { kind: 'sequence', label: 'Events in order', hint: 'e.g. a chat, then a call from the same customer within 10 minutes.' },
  { kind: 'count', label: 'Events add up', hint: 'e.g. 3 failed payments within 10 minutes.' },
  { kind: 'absence', label: 'Something does not happen', hint: 'e.g. no agent reply within 2 minutes of a chat message.' },
];

/** Event types people pick from; any other (a business event such as order.delayed) can be typed. */
export const EVENT_TYPES: { type: string; label: string }[] = [
  { type: 'chat.message', label: 'Chat message' },
  { type: 'chat.', label: 'Any chat event' },
  { type: 'sms.received', label: 'SMS received' },
  { type: 'call.created', label: 'Call started' },
  { type: 'call.answered', label: 'Call answered' },
  { type: 'call.ended', label: 'Call ended' },
  { type: 'routing.queued', label: 'Contact queued' },
  { type: 'routing.assigned', label: 'Agent assigned' },
  { type: 'confirm.confirmed', label: 'Card confirmed' },
  { type: 'app.order.cancel_tapped', label: 'Customer tapped “cancel” in the app' },
  { type: 'order.delayed', label: 'Order delayed (business event)' },
  { type: 'payment.failed', label: 'Payment failed (business event)' },
];

export const ACTION_KINDS: { kind: CxActionKind; label: string }[] = [
  { kind: 'whisper', label: 'Whisper a note to the agent' },
  { kind: 'card', label: 'Show a card on the caller’s screen' },
  { kind: 'chat_message', label: 'Post in the customer’s chat' },
  { kind: 'sms', label: 'Text the customer' },
  { kind: 'say', label: 'Say something in the call' },
  { kind: 'route_to_last_agent', label: 'Route to the agent who served them before' },
  { kind: 'deflect', label: 'Offer the caller another channel' },
  { kind: 'callback', label: 'Book a callback' },
  { kind: 'end_call', label: 'End the call' },
  { kind: 'webhook', label: 'Call a webhook' },
];

export function newAction(kind: CxActionKind): CxAction {
  switch (kind) {
    case 'card':
      return { kind, card: { kind: 'order', title: '', message: '' } };
    case 'whisper':
    case 'chat_message':
    case 'sms':
    case 'say':
      return { kind, text: '' };
    case 'deflect':
      return { kind, to: 'chat' };
    case 'callback':
      return { kind, inMinutes: 15 };
    case 'webhook':
      return { kind, url: 'https://' };
    case 'route_to_last_agent':
    case 'end_call':
      return { kind };
  }
}

export const emptyDraft = (): RuleDraft => ({
  name: '',
  kind: 'event',
  steps: [{ type: 'order.delayed', when: '' }, { type: 'call.created', when: '' }],
  withinSeconds: 600,
  count: 3,
  correlate: 'customer',
  while: 'call_active',
  oncePerInteraction: true,
  priority: 100,
  actions: [{ kind: 'whisper', text: '' }],
});

/** How many steps each kind takes: its labels, in order. */
export function stepLabels(d: RuleDraft): string[] {
  switch (d.kind) {
    case 'event':
      return ['Event'];
    case 'count':
      return ['Event counted'];
    case 'absence':
      return ['After this event', 'this one does not follow'];
    case 'sequence':
      return d.steps.map((_, i) => (i === 0 ? 'First' : `Then (step ${i + 1})`));
  }
}

const clean = (s: RuleStep): RuleStep => ({ type: s.type.trim(), ...(s.when?.trim() ? { when: s.when.trim() } : {}) });

export function toDefinition(d: RuleDraft): RuleDefinition {
  const steps = d.steps.length >= 2 ? d.steps : [...d.steps, { type: '', when: '' }];
  const trigger: RuleTrigger =
    d.kind === 'event'
      ? { kind: 'event', event: clean(steps[0]!) }
      : d.kind === 'count'
        ? { kind: 'count', event: clean(steps[0]!), count: d.count, withinSeconds: d.withinSeconds }
        : d.kind === 'absence'
          ? { kind: 'absence', after: clean(steps[0]!), missing: clean(steps[1]!), withinSeconds: d.withinSeconds }
          : { kind: 'sequence', steps: steps.map(clean), withinSeconds: d.withinSeconds };
  return {
    name: d.name.trim(),
    priority: d.priority,
    correlate: d.correlate,
    trigger,
    ...(d.while ? { while: d.while } : {}),
    ...(d.oncePerInteraction ? { oncePerInteraction: true } : {}),
    actions: d.actions.map((a) => (a.kind === 'card' ? { ...a, card: { ...a.card, ...(a.card.title ? {} : { title: undefined }), ...(a.card.message ? {} : { message: undefined }) } } : a)),
  };
}

export function fromDefinition(def: RuleDefinition): RuleDraft {
  const t = def.trigger;
  const base = emptyDraft();
  const steps = t.kind === 'sequence' ? t.steps : t.kind === 'absence' ? [t.after, t.missing] : [t.event, base.steps[1]!];
  return {
    name: def.name,
    kind: t.kind,
    steps: steps.map((s) => ({ type: s.type, when: s.when ?? '' })),
    withinSeconds: t.kind === 'event' ? base.withinSeconds : t.withinSeconds,
    count: t.kind === 'count' ? t.count : base.count,
    correlate: def.correlate ?? 'customer',
    while: def.while ?? '',
    oncePerInteraction: !!def.oncePerInteraction,
    priority: def.priority ?? 100,
    actions: def.actions,
  };
}

/** The form field a server-side issue path (`definition.trigger.steps.1.when`) belongs to. */
export function fieldOf(path: string): string {
  const p = path.replace(/^(body\.)?definition\.?/, '');
  const m = /^trigger\.(?:event|after|missing|steps\.(\d+))\.(type|when)/.exec(p);
  if (m) {
    const idx = p.startsWith('trigger.missing') ? 1 : m[1] ? Number(m[1]) : 0;
    return `step.${idx}.${m[2]}`;
  }
  const a = /^actions\.(\d+)/.exec(p);
  if (a) return `action.${a[1]}`;
  if (p.startsWith('trigger.withinSeconds')) return 'within';
  if (p.startsWith('trigger.count')) return 'count';
  return p.split('.')[0] || 'form';
}
