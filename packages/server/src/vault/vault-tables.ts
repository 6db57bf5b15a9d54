import type { VaultRefusalReason } from '@callsight/protocol';

/** Row types of the vault tables (migration 0013-vault), merged into the store's Database. */
export interface VaultCardsTable {
  /** `vtk_…`: the card's token. */
  id: string;
  tenant_id: string;
  customer_id: string;
  brand: string;
  last4: string;
  exp_month: number;
  exp_year: number;
  holder_name: string;
  /** HMAC-SHA-256 of the whole number (keyed, per tenant): duplicates only. */
  pan_hash: string;
  /** base64: iv | tag | AES-256-GCM ciphertext of the number under the card's data key. */
  sealed: string;
  /** base64: the data key wrapped by KEK version `key_version`. */
  wrapped_key: string;
  key_version: number;
  status: 'active' | 'revoked';
  created_at: number;
  revoked_at: number | null;
}

export interface VaultSpeaksTable {
  id: string;
  tenant_id: string;
  card_id: string;
  customer_id: string;
  last4: string;
  brand: string;
  call_id: string;
  other_call_id: string | null;
  started_at: number;
  duration_ms: number | null;
  status: 'speaking' | 'completed' | 'stopped' | 'failed';
  /** 'card': the customer read the card; 'repeat': the agent asked for the last group again. */
  kind: 'card' | 'repeat';
  /** `usr_…` who started it. */
  actor: string;
  /** JSON: RecordingMarker[] (token and last 4 only). */
  markers: string;
}

export interface VaultCapturesTable {
  id: string;
  tenant_id: string;
  /** The agent's call and the customer's (whose keys were captured). */
  call_id: string;
  customer_call_id: string;
  customer_id: string | null;
  actor: string;
  status: 'collecting' | 'processing' | 'done';
  result: string | null;
  brand: string | null;
  last4: string | null;
  payment_token: string | null;
  amount: number | null;
  currency: string | null;
  idempotency_key: string;
  attempts: number;
  started_at: number;
  ended_at: number | null;
  /** JSON: where the recordings hold comfort noise ({recordingId, offsetMs, durationMs}[]). */
  markers: string;
}

/** A refused reading or repeat (migration 0034-vault-refusals): ids only of what exists in the tenant. */
export interface VaultRefusalsTable {
  id: string;
  tenant_id: string;
  at: number;
  attempt: 'speak' | 'repeat';
  reason: VaultRefusalReason;
  /** Who asked (`usr_…` or an API key); null in the card's tenant when someone of another one asked. */
  actor: string | null;
  card_id: string | null;
  customer_id: string | null;
  brand: string | null;
  last4: string | null;
  call_id: string | null;
}

declare module '../store/schema.js' {
  interface Database {
    vault_cards: VaultCardsTable;
    vault_speaks: VaultSpeaksTable;
    vault_captures: VaultCapturesTable;
    vault_refusals: VaultRefusalsTable;
  }
}
