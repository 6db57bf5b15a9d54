/** Call deflection (to chat, a visual menu, a callback): rules per number, stats, callbacks. */

export type DeflectionTarget = 'chat' | 'menu' | 'callback';
/** Which target an action was taken for, once the caller chose on a menu or callback page. */
export type DeflectionAction = 'chat' | 'message' | 'callback';

export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];
export const RULE_ACTIONS = ['deflect_chat', 'deflect_menu', 'deflect_callback', 'continue'] as const;
export type RuleAction = (typeof RULE_ACTIONS)[number];

/** A number's call-control rule; the first match of the call's direction wins. */
export interface CallRule {
  /** Default inbound. */
  direction?: 'inbound' | 'outbound';
  when: {
    callerType?: 'mobile' | 'landline' | 'any';
    /** The caller's number (the called party's on outbound calls) starts with one of `prefixes` or is one of `numbers`. */
    callerNumber?: { prefixes?: string[]; numbers?: string[] };
    /** Inside [from, to) local time (`HH:MM`); `to` before `from` spans midnight. */
    hours?: { from: string; to: string; tz: string };
    /** On these local weekdays or dates (`YYYY-MM-DD`). */
    calendar?: { tz: string; weekdays?: Weekday[]; dates?: string[] };
    queueWaitAbove?: number;
    noAgentsAvailable?: boolean;
    history?: { callsAtLeast?: number; withinDays?: number; openConversation?: boolean };
    /** Outbound only: the call was placed for one of these campaigns. */
    campaign?: string[];
  };
  then: RuleAction;
  options?: { queue?: string; timeoutSeconds?: number; announcement?: string };
}

/** Deflections of one number over a window. */
export interface DeflectionStats {
  numberId: string | null;
  number: string | null;
  offered: number;
  opened: number;
  completed: number;
  smsFailed: number;
  expired: number;
  byTarget: Record<DeflectionTarget, number>;
  /** opened / offered. */
  rate: number;
}

export type CallbackState = 'booked' | 'dialing' | 'connected' | 'failed' | 'cancelled';

export interface Callback {
  id: string;
  interactionId: string;
  deflectionId: string | null;
  caller: string;
  fromNumber: string | null;
  queue: string;
  slotAt: number;
  state: CallbackState;
  callId: string | null;
  context: Record<string, unknown>;
  createdAt: number;
}
