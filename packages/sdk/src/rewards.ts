import type {
  RewardActivityInput,
  RewardAward,
  RewardInclusionProof,
  RewardPaymentProof,
  RewardPacing,
  RewardPayoutConfig,
  RewardPayoutConfigInput,
  RewardProgram,
  RewardProgramInput,
  RewardRedeemInput,
  RewardRedemption,
  RewardSeal,
  RewardStatement,
  RewardWallet,
} from '@callsight/protocol';
import { enc, type Send } from './request.js';

/** The `client.rewards` methods: programs, the wallet, redemptions, statements and the sealed ledger. */
export function rewardMethods(send: Send) {
  return {
    programs: () => send<{ items: RewardProgram[] }>('GET', '/api/rewards/programs'),
    program: (id: string) => send<RewardProgram>('GET', `/api/rewards/programs/${enc(id)}`),
    createProgram: (input: RewardProgramInput) => send<RewardProgram>('POST', '/api/rewards/programs', { body: input }),
    updateProgram: (id: string, input: RewardProgramInput) => send<RewardProgram>('PUT', `/api/rewards/programs/${enc(id)}`, { body: input }),
    /** The program's current period: planned against actual payout, top earners, anomaly flags. */
    pacing: (id: string) => send<RewardPacing>('GET', `/api/rewards/programs/${enc(id)}/pacing`),
    /** Business systems: report an activity (survey, referral…); once per activity id. */
    reportActivity: (input: RewardActivityInput) => send<RewardAward>('POST', '/api/rewards/activities', { body: input }),
    /** Your balance, points held by pending redemptions and history (staff: `userId`). */
    wallet: (userId?: string) => send<RewardWallet>('GET', '/api/rewards/wallet', { query: { userId } }),
    redemptions: (userId?: string) => send<{ items: RewardRedemption[] }>('GET', '/api/rewards/redemptions', { query: { userId } }),
    /** Staff: every redemption of the tenant, newest first. */
    tenantRedemptions: () => send<{ items: RewardRedemption[] }>('GET', '/api/rewards/redemptions', { query: { scope: 'tenant' } }),
    redemption: (id: string) => send<RewardRedemption>('GET', `/api/rewards/redemptions/${enc(id)}`),
    /** Redeem points; the same requestId twice returns the first redemption. */
    redeem: (input: RewardRedeemInput) => send<RewardRedemption>('POST', '/api/rewards/redemptions', { body: input }),
    statement: (period: string, userId?: string) => send<RewardStatement>('GET', '/api/rewards/statement', { query: { period, userId } }),
    /** The statement as CSV (date, activity, points, value, redemption), one row per ledger entry. */
    statementCsv: (period: string, userId?: string) => send<string>('GET', '/api/rewards/statement.csv', { query: { period, userId }, accept: 'text/csv' }),
    /** The proof of a paid crypto redemption as the chain recorded it: transaction, chain, block, amount, address. */
    paymentProof: (redemptionId: string) => send<RewardPaymentProof>('GET', `/api/rewards/redemptions/${enc(redemptionId)}/proof`),
    checkLedger: () => send<{ ok: boolean; entries: number; totalDebits: number; totalCredits: number; problems: string[] }>('GET', '/api/rewards/ledger/check'),
    seal: () => send<RewardSeal>('POST', '/api/rewards/seals'),
    seals: () => send<{ items: RewardSeal[] }>('GET', '/api/rewards/seals'),
    /** The Merkle proof that an entry is in its sealed period. */
    proof: (entryId: string) => send<RewardInclusionProof>('GET', `/api/rewards/entries/${enc(entryId)}/proof`),
    payout: () => send<RewardPayoutConfig | null>('GET', '/api/rewards/payout'),
    configurePayout: (input: RewardPayoutConfigInput) => send<RewardPayoutConfig>('PUT', '/api/rewards/payout', { body: input }),
  };
}
