import type { CxAction, RuleDefinition, RuleStep } from './rules.js';

/**
 * Rules in words, for people: the server's traces and backtests and the admin
 * editor's preview say the same thing because they use these functions.
 */

/** What an action does, in a few words (traces, backtests, shadow results, the editor). */
export function describeAction(a: CxAction): string {
  switch (a.kind) {
    case 'card':
      return `show the card “${a.card.title ?? a.card.kind}” on the caller’s screen`;
    case 'whisper':
      return `whisper “${a.text}” to the agent`;
    case 'chat_message':
      return `post “${a.text}” in the customer’s chat`;
    case 'sms':
      return `text the customer “${a.text}”`;
    case 'route_to_last_agent':
      return 'route to the agent who served the customer before';
    case 'deflect':
      return `offer the caller ${a.to === 'chat' ? 'a chat' : a.to === 'menu' ? 'the visual menu' : 'a callback booking'} by SMS`;
    case 'end_call':
      return 'end the call';
    case 'say':
      return `say “${a.text}” in the call`;
    case 'callback':
      return `book a callback in ${a.inMinutes} min`;
    case 'webhook':
      return `call the webhook ${a.url}`;
  }
}

const OPS: [RegExp, string][] = [
  [/\s*&&\s*/g, ' and '],
  [/\s*\|\|\s*/g, ' or '],
  [/\s*==\s*/g, ' is '],
  [/\s*!=\s*/g, ' is not '],
  [/\s*>=\s*/g, ' is at least '],
  [/\s*<=\s*/g, ' is at most '],
  [/\s*>\s*/g, ' is more than '],
  [/\s*<\s*/g, ' is less than '],
  [/!\s*/g, 'not '],
  [/\bevent\.data\./g, ''],
  [/\bcustomer\.activeCalls\b/g, 'the customer’s live calls'],
  [/\bcustomer\.activeChats\b/g, 'the customer’s open chats'],
  [/\bcustomer\.lastAgentId\b/g, 'the customer’s last agent'],
  [/\bevent\.source\b/g, 'the source'],
  [/\bevent\.type\b/g, 'the event type'],
  [/\.contains\(([^)]*)\)/g, ' contains $1'],
  [/\.startsWith\(([^)]*)\)/g, ' starts with $1'],
  [/\bin\s+\[/g, 'is one of ['],
];

/** A CEL condition read out loud: `event.data.amount > 100 && event.data.tier == "gold"` → `amount is more than 100 and tier is "gold"`. */
export function describeCondition(when: string): string {
  let s = when.trim();
  for (const [re, to] of OPS) s = s.replace(re, to);
  return s;
}

/** An event type in words: `chat.` → "any chat event". */
export const describeType = (type: string) => (type.endsWith('.') ? `any ${type.slice(0, -1)} event` : type);

const step = (s: RuleStep) => `${describeType(s.type)}${s.when?.trim() ? ` where ${describeCondition(s.when)}` : ''}`;

function duration(seconds: number): string {
  if (seconds % 3600 === 0) return `${seconds / 3600} h`;
  if (seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}

/** The whole rule as one sentence: "When order.delayed where … while a call is active, whisper … to the agent." */
export function describeRule(d: RuleDefinition): string {
  const t = d.trigger;
  const who = (d.correlate ?? 'customer') === 'customer' ? 'the same customer' : 'the same contact';
  const when =
    t.kind === 'event'
      ? `When ${step(t.event)}`
      : t.kind === 'sequence'
        ? `When ${t.steps.map(step).join(', then ')} (from ${who}, within ${duration(t.withinSeconds)})`
        : t.kind === 'count'
          ? `When ${t.count} × ${step(t.event)} (from ${who}, within ${duration(t.withinSeconds)})`
          : `When ${step(t.after)} is not followed by ${step(t.missing)} within ${duration(t.withinSeconds)}`;
  const state =
    d.while === 'call_active' ? ' while a call with the customer is live' : d.while === 'chat_active' ? ' while a chat with the customer is open' : d.while === 'no_call_active' ? ' while no call with the customer is live' : '';
  const limits = [d.oncePerInteraction ? 'at most once per contact' : '', d.cap ? `at most ${d.cap.max} times per ${duration(d.cap.perSeconds)}` : ''].filter(Boolean);
  const actions = d.actions.length ? d.actions.map(describeAction).join(', then ') : 'do nothing yet';
  return `${when}${state}: ${actions}${limits.length ? ` (${limits.join(', ')})` : ''}.`;
}
