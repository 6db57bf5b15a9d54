/** One offer to move a call to another channel, and its one-time link. */
export interface DeflectionsTable {
  id: string;
  tenant_id: string;
  call_id: string;
  interaction_id: string;
  caller: string;
  target: 'chat';
  /** The chat queue the caller joins. */
  queue: string;
  /** offered → opened (link used) | expired (timeout, flow resumed) | failed (SMS not sent). */
  state: 'offered' | 'opened' | 'expired' | 'failed';
  digits: string;
  conversation_id: string | null;
  expires_at: number;
  opened_at: number | null;
  created_at: number;
}

/** The deflection rules of one number, as validated JSON. */
export interface DeflectionRulesTable {
  number_id: string;
  tenant_id: string;
  rules: string;
  updated_at: number;
}

declare module '../store/schema.js' {
  interface Database {
    deflections: DeflectionsTable;
    deflection_rules: DeflectionRulesTable;
  }
}
