/**
 * Rewards: programs that pay points for engaging with what brands show in calls,
 * a double-entry ledger of those points, and redemptions (to another user, or to
 * crypto at a configured rate).
 */

export const REWARD_PERIODS = ['day', 'week', 'month'] as const;
export type RewardPeriod = (typeof REWARD_PERIODS)[number];

export const REWARD_ACTIVITY_TYPES = ['call_content_viewed', 'branded_call_answered', 'card_completed', 'room_listened', 'survey', 'referral'] as const;
export type RewardActivityType = (typeof REWARD_ACTIVITY_TYPES)[number];

/** Each activity type in words: the reason an award shows when nothing more specific is known. */
export const REWARD_ACTIVITY_LABELS: Record<RewardActivityType, string> = {
  call_content_viewed: 'Viewed a branded call’s content',
  branded_call_answered: 'Answered a branded call',
  card_completed: 'Completed a confirmation card',
  room_listened: 'Listened to a sponsored room',
  survey: 'Answered a survey',
  referral: 'Referred someone',
};

export interface RewardProgram {
  id: string;
  name: string;
  /** Points the program may pay in one period. */
  budget: number;
  period: RewardPeriod;
  /** IANA time zone the periods start in (midnight; weeks start on Monday). */
  timeZone: string;
  /** The average points per activity the program aims at. */
  target: number;
  /** Relative weight of each activity type it rewards; absent types earn nothing. */
  weights: Partial<Record<RewardActivityType, number>>;
  /** Most points one user / one device may earn in a period (null: no cap). */
  userCap: number | null;
  deviceCap: number | null;
  /** Listening minutes a room_listened activity needs. */
  roomMinutes: number;
  startsAt: number;
  endsAt: number | null;
  createdAt: number;
  updatedAt: number;
}

export interface RewardProgramInput {
  name: string;
  budget: number;
  period: RewardPeriod;
  timeZone?: string;
  target: number;
  weights: Partial<Record<RewardActivityType, number>>;
  userCap?: number | null;
  deviceCap?: number | null;
  roomMinutes?: number;
  startsAt?: number;
  endsAt?: number | null;
}

/** A program's current period: the plan (budget spread evenly over the period) against what it paid. */
export interface RewardPacing {
  programId: string;
  periodKey: string;
  periodStart: number;
  periodEnd: number;
  budget: number;
  spent: number;
  awards: number;
  averagePayout: number;
  cappedCount: number;
  /** What one activity of each rewarded type would pay right now (the formula on the current state). */
  values: Partial<Record<RewardActivityType, number>>;
  /** Cumulative planned and actual payout at even steps through the period (up to now). */
  series: { at: number; planned: number; actual: number }[];
  topEarners: { userId: string; name: string; points: number; awards: number }[];
  /** Anomalies seen this period: caps hit, bursts of awards faster than planned. */
  flags: { kind: 'cap_hit' | 'burst'; at: number; detail: string }[];
}

export interface RewardActivityInput {
  activityId: string;
  type: RewardActivityType;
  userId: string;
  deviceId?: string;
  at?: number;
  reason?: string;
}

export type RewardAwardOutcome = 'awarded' | 'capped' | 'duplicate' | 'not_rewarded';

export interface RewardAward {
  outcome: RewardAwardOutcome;
  programId: string | null;
  points: number;
  entryId: string | null;
  /** Why nothing or less was paid (caps, budget, no matching program). */
  note: string | null;
}

export type RewardEntryKind = 'fund' | 'defund' | 'award' | 'transfer' | 'redeem_hold' | 'redeem_post' | 'redeem_void';

/** One immutable ledger entry: `amount` moves from the debit account to the credit account. */
export interface RewardEntry {
  id: string;
  seq: number;
  transferId: string;
  kind: RewardEntryKind;
  debitAccount: string;
  creditAccount: string;
  amount: number;
  programId: string | null;
  /** The user account this entry moves points of, for statements. */
  reason: string;
  at: number;
}

export interface RewardHistoryItem {
  entryId: string;
  kind: RewardEntryKind;
  /** Positive: points in; negative: points out. */
  points: number;
  reason: string;
  at: number;
  redemptionId: string | null;
}

export interface RewardWallet {
  userId: string;
  balance: number;
  /** Points held by redemptions still pending. */
  pending: number;
  history: RewardHistoryItem[];
  /** Crypto payout when the tenant configured one: what one point converts to. */
  payout: RewardPayoutInfo | null;
}

export interface RewardPayoutInfo {
  chainId: number;
  asset: 'native' | 'erc20';
  symbol: string;
  decimals: number;
  /** Base units of the asset per point (decimal string: can exceed 2^53). */
  unitsPerPoint: string;
  confirmations: number;
}

export interface RewardPayoutConfigInput {
  rpcUrl: string;
  chainId: number;
  /** ERC-20 token contract (EIP-55), or null to pay the chain's native coin. */
  tokenAddress: string | null;
  /** Base units of the asset per point, as a decimal string. */
  unitsPerPoint: string;
  confirmations?: number;
  /** The hot wallet's private key (0x + 64 hex); sealed, never returned. */
  privateKey: string;
}

export interface RewardPayoutConfig extends RewardPayoutInfo {
  rpcUrl: string;
  tokenAddress: string | null;
  /** The hot wallet's address (the key itself is never returned). */
  hotWallet: string;
}

export type RewardRedemptionStatus = 'pending' | 'submitted' | 'confirmed' | 'failed';

export interface RewardRedemption {
  id: string;
  requestId: string;
  userId: string;
  /** The redeeming person's name (staff lists show whose redemption it is). */
  userName: string | null;
  kind: 'transfer' | 'crypto';
  points: number;
  status: RewardRedemptionStatus;
  /** transfer: the receiving user; crypto: the EIP-55 address. */
  to: string;
  toName: string | null;
  /** crypto: base units sent (decimal string), the transaction and its confirmations. */
  amount: string | null;
  txHash: string | null;
  confirmations: number;
  error: string | null;
  createdAt: number;
  updatedAt: number;
}

export interface RewardRedeemInput {
  requestId: string;
  points: number;
  /** `{ kind: 'transfer', toUserId }` or `{ kind: 'crypto', address }`. */
  kind: 'transfer' | 'crypto';
  toUserId?: string;
  /** transfer: the receiving user by their email, as people know each other. */
  toEmail?: string;
  address?: string;
}

export interface RewardStatement {
  userId: string;
  /** 'YYYY-MM' (UTC). */
  period: string;
  opening: number;
  credits: number;
  debits: number;
  closing: number;
  entries: RewardEntry[];
  /** opening + credits − debits === closing, and closing matches the account when the period is current. */
  reconciled: boolean;
}

export interface RewardSeal {
  id: string;
  /** Entries seq (fromSeq, toSeq] of the tenant's ledger. */
  fromSeq: number;
  toSeq: number;
  count: number;
  root: string;
  sealedAt: number;
}

export interface RewardInclusionProof {
  sealId: string;
  root: string;
  entry: RewardEntry;
  leaf: string;
  index: number;
  /** Sibling hashes from the leaf up; `left`: the sibling is on the left. */
  path: { hash: string; left: boolean }[];
  algorithm: string;
}

/** A paid crypto redemption as the chain recorded it: read from the transaction's receipt when asked, and checked against the ledger. */
export interface RewardPaymentProof {
  redemptionId: string;
  points: number;
  chainId: number;
  txHash: string;
  /** Decimal string: block numbers can exceed 2^53. */
  blockNumber: string;
  blockHash: string;
  /** The tenant's hot wallet that paid. */
  from: string;
  to: string;
  /** The ERC-20 contract, or null for the chain's native coin. */
  token: string | null;
  symbol: string;
  decimals: number;
  /** Base units (decimal string) moved by the transaction: a decoded Transfer log (ERC-20) or the native value. */
  amount: string;
  confirmations: number;
  paidAt: number;
}
