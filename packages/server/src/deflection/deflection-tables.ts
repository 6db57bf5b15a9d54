import type { DeflectionTarget } from '@callsight/protocol';
/** One offer to move a call to another channel, and its one-time link. */
export interface DeflectionsTable {
  id: string;
  tenant_id: string;
  call_id: string;
  interaction_id: string;
  caller: string;
  target: DeflectionTarget;
  /** The queue the caller's chat, message or callback joins. */
  queue: string;
  /**
   * offered → opened (link used) | expired (timeout, flow resumed) | failed (SMS not sent);
   * a menu or callback link, once opened, → completed when the caller chose.
   */
  state: 'offered' | 'opened' | 'completed' | 'expired' | 'failed';
  digits: string;
  conversation_id: string | null;
  expires_at: number;
  opened_at: number | null;
  created_at: number;
  /** The number whose rule or flow made the offer (stats per number); null for API-run flows. */
  number_id: string | null;
  /** The flow whose `gather` choices the visual menu mirrors. */
  flow_id: string | null;
  /** JSON `DeflectionContext`. */
  context: string | null;
  completed_at: number | null;
}

export type { DeflectionTarget };

/** What travels with a deflection to the agent. */
export interface DeflectionContext {
  direction: 'inbound' | 'outbound';
  campaign?: string;
  /** Why an outbound call led to a link: busy, declined, no_answer… */
  callOutcome?: string;
  /** The visual-menu choice: branch digits and label. */
  choice?: { digits: string; label: string };
}

/** The deflection rules of one number, as validated JSON. */
export interface DeflectionRulesTable {
  number_id: string;
  tenant_id: string;
  rules: string;
  updated_at: number;
}

/** A call back to a customer at a booked time, into a queue. */
export interface CallbacksTable {
  id: string;
  tenant_id: string;
  interaction_id: string;
  deflection_id: string | null;
  /** The number to call (E.164). */
  caller: string;
  /** Our number shown to the customer. */
  from_number: string | null;
  queue: string;
  slot_at: number;
  /** booked → dialing → connected | failed; booked → cancelled. */
  state: 'booked' | 'dialing' | 'connected' | 'failed' | 'cancelled';
  call_id: string | null;
  /** JSON: the deflection's context and the caller's choice. */
  context: string;
  created_at: number;
}

declare module '../store/schema.js' {
  interface Database {
    deflections: DeflectionsTable;
    deflection_rules: DeflectionRulesTable;
    callbacks: CallbacksTable;
  }
}
