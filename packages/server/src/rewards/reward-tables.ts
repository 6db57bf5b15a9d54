/** Row types of the rewards tables (migration 0016-rewards), merged into the store's Database. */
export interface RewardProgramsTable {
  id: string;
  tenant_id: string;
  name: string;
  budget: number;
  period: string;
  time_zone: string;
  target: number;
  /** JSON: { [activityType]: weight }. */
  weights: string;
  user_cap: number | null;
  device_cap: number | null;
  room_minutes: number;
  starts_at: number;
  ends_at: number | null;
  created_at: number;
  updated_at: number;
}

export interface RewardAccountsTable {
  /** `user:<usr_…>`, `budget:<prg_…>:<period>`, `pending:<ten_…>`, `payout:<ten_…>`, `issuer:<ten_…>`. */
  id: string;
  tenant_id: string;
  kind: 'user' | 'budget' | 'pending' | 'payout' | 'issuer';
  debits: number;
  credits: number;
  entries: number;
  guarded: number;
  created_at: number;
}

export interface RewardEntriesTable {
  id: string;
  tenant_id: string;
  seq: number;
  transfer_id: string;
  kind: string;
  debit_account: string;
  credit_account: string;
  amount: number;
  program_id: string | null;
  reason: string;
  at: number;
}

export interface RewardCountersTable {
  /** `<prg>:<period>:<subject>`; subject `period` (the whole period), `u:<usr>` or `d:<device>`. */
  id: string;
  tenant_id: string;
  program_id: string;
  period_key: string;
  subject: string;
  points: number;
  awards: number;
  weight_sum: number;
  capped: number;
}

export interface RewardRedemptionsTable {
  id: string;
  tenant_id: string;
  request_id: string;
  user_id: string;
  kind: 'transfer' | 'crypto';
  points: number;
  status: 'pending' | 'submitted' | 'confirmed' | 'failed';
  to_ref: string;
  amount: string | null;
  nonce: number | null;
  /** The signed transaction, stored before it is broadcast: a restart re-sends the same bytes (same hash), never a second payment. */
  raw_tx: string | null;
  tx_hash: string | null;
  confirmations: number;
  attempts: number;
  error: string | null;
  lease_until: number;
  created_at: number;
  updated_at: number;
}

export interface RewardPayoutConfigsTable {
  tenant_id: string;
  rpc_url: string;
  chain_id: number;
  token_address: string | null;
  symbol: string;
  decimals: number;
  units_per_point: string;
  confirmations: number;
  hot_wallet: string;
  /** The hot wallet's key, sealed with the secret box (aad: the tenant). */
  key_sealed: string;
  updated_at: number;
}

export interface RewardSealsTable {
  id: string;
  tenant_id: string;
  from_seq: number;
  to_seq: number;
  count: number;
  root: string;
  sealed_at: number;
}

declare module '../store/schema.js' {
  interface Database {
    reward_programs: RewardProgramsTable;
    reward_accounts: RewardAccountsTable;
    reward_entries: RewardEntriesTable;
    reward_counters: RewardCountersTable;
    reward_redemptions: RewardRedemptionsTable;
    reward_payout_configs: RewardPayoutConfigsTable;
    reward_seals: RewardSealsTable;
  }
}
