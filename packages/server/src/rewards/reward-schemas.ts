import type {
  RewardAward,
  RewardEntry,
  RewardInclusionProof,
  RewardPaymentProof,
  RewardPacing,
  RewardPayoutConfig,
  RewardPayoutInfo,
  RewardProgram,
  RewardRedemption,
  RewardSeal,
  RewardStatement,
  RewardWallet,
} from '@callsight/protocol';
import { REWARD_ACTIVITY_TYPES, REWARD_PERIODS } from '@callsight/protocol';
import { z } from 'zod';
import { wire } from '../http/wire-schema.js';

const activityType = z.enum(REWARD_ACTIVITY_TYPES);

export const programInputSchema = z
  .object({
    name: z.string().min(1).max(120),
    budget: z.number().int().min(1).max(1e12),
    period: z.enum(REWARD_PERIODS),
    timeZone: z.string().max(64).optional(),
    target: z.number().int().min(1),
    weights: z.partialRecord(activityType, z.number().positive().max(100)),
    userCap: z.number().int().min(1).nullable().optional(),
    deviceCap: z.number().int().min(1).nullable().optional(),
    roomMinutes: z.number().int().min(1).max(600).optional(),
    startsAt: z.number().int().optional(),
    endsAt: z.number().int().nullable().optional(),
  })
  .strict();

export const programSchema = wire<RewardProgram>()(
  z.object({
    id: z.string(),
    name: z.string(),
    budget: z.number(),
    period: z.enum(REWARD_PERIODS),
    timeZone: z.string(),
    target: z.number(),
    weights: z.partialRecord(activityType, z.number()),
    userCap: z.number().nullable(),
    deviceCap: z.number().nullable(),
    roomMinutes: z.number(),
    startsAt: z.number(),
    endsAt: z.number().nullable(),
    createdAt: z.number(),
    updatedAt: z.number(),
  }),
);

const entryKind = z.enum(['fund', 'defund', 'award', 'transfer', 'redeem_hold', 'redeem_post', 'redeem_void']);
export const entrySchema = wire<RewardEntry>()(
  z.object({
    id: z.string(),
    seq: z.number(),
    transferId: z.string(),
    kind: entryKind,
    debitAccount: z.string(),
    creditAccount: z.string(),
    amount: z.number(),
    programId: z.string().nullable(),
    reason: z.string(),
    at: z.number(),
  }),
);

export const payoutInfoSchema = wire<RewardPayoutInfo>()(
  z.object({ chainId: z.number(), asset: z.enum(['native', 'erc20']), symbol: z.string(), decimals: z.number(), unitsPerPoint: z.string(), confirmations: z.number() }),
);
export const payoutConfigSchema = wire<RewardPayoutConfig>()(
  z.object({
    chainId: z.number(),
    asset: z.enum(['native', 'erc20']),
    symbol: z.string(),
    decimals: z.number(),
    unitsPerPoint: z.string(),
    confirmations: z.number(),
    rpcUrl: z.string(),
    tokenAddress: z.string().nullable(),
    hotWallet: z.string(),
  }),
);
export const payoutInputSchema = z
  .object({
    rpcUrl: z.string().url().max(500),
    chainId: z.number().int().min(1),
    tokenAddress: z.string().max(42).nullable(),
    unitsPerPoint: z.string().max(42),
    confirmations: z.number().int().min(1).max(100).optional(),
    privateKey: z.string().max(66),
  })
  .strict();

export const walletSchema = wire<RewardWallet>()(
  z.object({
    userId: z.string(),
    balance: z.number(),
    pending: z.number(),
    history: z.array(
      z.object({ entryId: z.string(), kind: entryKind, points: z.number(), reason: z.string(), at: z.number(), redemptionId: z.string().nullable() }),
    ),
    payout: payoutInfoSchema.nullable(),
  }),
);

export const redemptionSchema = wire<RewardRedemption>()(
  z.object({
    id: z.string(),
    requestId: z.string(),
    userId: z.string(),
    userName: z.string().nullable(),
    kind: z.enum(['transfer', 'crypto']),
    points: z.number(),
    status: z.enum(['pending', 'submitted', 'confirmed', 'failed']),
    to: z.string(),
    toName: z.string().nullable(),
    amount: z.string().nullable(),
    txHash: z.string().nullable(),
    confirmations: z.number(),
    error: z.string().nullable(),
    createdAt: z.number(),
    updatedAt: z.number(),
  }),
);

export const redeemInputSchema = z
  .object({
    requestId: z.string().min(1).max(100),
    points: z.number().int(),
    kind: z.enum(['transfer', 'crypto']),
    toUserId: z.string().max(64).optional(),
    toEmail: z.string().max(254).optional(),
    address: z.string().max(100).optional(),
  })
  .strict();

export const activityInputSchema = z
  .object({
    activityId: z.string().min(1).max(200),
    type: activityType,
    userId: z.string().max(64),
    deviceId: z.string().max(200).optional(),
    at: z.number().int().optional(),
    reason: z.string().max(200).optional(),
  })
  .strict();

export const awardSchema = wire<RewardAward>()(
  z.object({
    outcome: z.enum(['awarded', 'capped', 'duplicate', 'not_rewarded']),
    programId: z.string().nullable(),
    points: z.number(),
    entryId: z.string().nullable(),
    note: z.string().nullable(),
  }),
);

export const statementSchema = wire<RewardStatement>()(
  z.object({
    userId: z.string(),
    period: z.string(),
    opening: z.number(),
    credits: z.number(),
    debits: z.number(),
    closing: z.number(),
    entries: z.array(entrySchema),
    reconciled: z.boolean(),
  }),
);

export const sealSchema = wire<RewardSeal>()(z.object({ id: z.string(), fromSeq: z.number(), toSeq: z.number(), count: z.number(), root: z.string(), sealedAt: z.number() }));

export const proofSchema = wire<RewardInclusionProof>()(
  z.object({
    sealId: z.string(),
    root: z.string(),
    entry: entrySchema,
    leaf: z.string(),
    index: z.number(),
    path: z.array(z.object({ hash: z.string(), left: z.boolean() })),
    algorithm: z.string(),
  }),
);

export const pacingSchema = wire<RewardPacing>()(
  z.object({
    programId: z.string(),
    periodKey: z.string(),
    periodStart: z.number(),
    periodEnd: z.number(),
    budget: z.number(),
    spent: z.number(),
    awards: z.number(),
    averagePayout: z.number(),
    cappedCount: z.number(),
    values: z.partialRecord(activityType, z.number()),
    series: z.array(z.object({ at: z.number(), planned: z.number(), actual: z.number() })),
    topEarners: z.array(z.object({ userId: z.string(), name: z.string(), points: z.number(), awards: z.number() })),
    flags: z.array(z.object({ kind: z.enum(['cap_hit', 'burst']), at: z.number(), detail: z.string() })),
  }),
);

export const paymentProofSchema = wire<RewardPaymentProof>()(
  z.object({
    redemptionId: z.string(),
    points: z.number(),
    chainId: z.number(),
    txHash: z.string(),
    blockNumber: z.string(),
    blockHash: z.string(),
    from: z.string(),
    to: z.string(),
    token: z.string().nullable(),
    symbol: z.string(),
    decimals: z.number(),
    amount: z.string(),
    confirmations: z.number(),
    paidAt: z.number(),
  }),
);
