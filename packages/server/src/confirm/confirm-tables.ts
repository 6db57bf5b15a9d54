/** Row types of the confirm tables (migration 0006-confirm), merged into the store's Database. */
export interface ConfirmTemplatesTable {
  id: string;
  tenant_id: string;
  name: string;
  kind: string;
  title: string;
  /** JSON: the template's preset content (fields, values, items, slots). */
  body: string;
  created_at: number;
}

export interface ConfirmCardsTable {
  id: string;
  tenant_id: string;
  interaction_id: string;
  customer_id: string;
  version: number;
  kind: string;
  /** JSON of the current version's content: exactly what the customer is shown. */
  content: string;
  content_hash: string;
  status: 'presented' | 'confirmed' | 'corrected' | 'rejected' | 'expired';
  /** `usr_…` or `key_…`: who pushed the current version. */
  presented_by: string;
  expires_at: number;
  /** JSON of the answer, null until answered. */
  answer: string | null;
  answered_at: number | null;
  created_at: number;
  updated_at: number;
}

export interface ConfirmLinksTable {
  id: string;
  tenant_id: string;
  card_id: string;
  expires_at: number;
  used_at: number | null;
  created_at: number;
}

export interface ConfirmRecordsTable {
  id: string;
  tenant_id: string;
  interaction_id: string;
  seq: number;
  card_id: string;
  card_version: number;
  type: 'presented' | 'answered' | 'expired';
  actor: string;
  at: number;
  /** Canonical JSON of what was shown or answered. */
  content: string;
  content_hash: string;
  prev_hash: string;
  hash: string;
}

declare module '../store/schema.js' {
  interface Database {
    confirm_templates: ConfirmTemplatesTable;
    confirm_cards: ConfirmCardsTable;
    confirm_links: ConfirmLinksTable;
    confirm_records: ConfirmRecordsTable;
  }
}
