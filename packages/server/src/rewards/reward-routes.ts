import { z } from 'zod';
import type { AppContext } from '../app-context.js';
import { isStaff, type Principal } from '../auth/principal.js';
import { CallsightError, forbidden } from '../core/errors.js';
import { idParam } from '../http/common-schemas.js';
import type { HttpApp } from '../http/http-types.js';
import { RewardRedemptions } from './reward-redemptions.js';
import type { RewardsService } from './rewards-service.js';
import {
  activityInputSchema,
  awardSchema,
  pacingSchema,
  paymentProofSchema,
  payoutConfigSchema,
  payoutInputSchema,
  programInputSchema,
  programSchema,
  proofSchema,
  redeemInputSchema,
  redemptionSchema,
  sealSchema,
  statementSchema,
  walletSchema,
} from './reward-schemas.js';

/** Customers see their own wallet; staff may name a user (`?userId=`). */
const whose = (p: Principal, userId: string | undefined): string => {
  if (userId && userId !== p.userId) {
    if (!isStaff(p)) throw forbidden('Only staff see another person’s rewards');
    return userId;
  }
  if (!p.userId) throw new CallsightError('validation_failed', 'An API key names the user with ?userId=', { status: 400, fields: [{ path: 'query.userId', message: 'is required' }] });
  return p.userId;
};

const userQuery = z.object({ userId: z.string().max(64).optional() }).strict();
const statementQuery = z.object({ period: z.string().regex(/^\d{4}-\d{2}$/), userId: z.string().max(64).optional() }).strict();

export function rewardRoutes(svc: RewardsService) {
  return async (app: HttpApp, _ctx: AppContext): Promise<void> => {
    app.get(
      '/api/rewards/programs',
      { config: { role: 'supervisor' }, schema: { tags: ['rewards'], summary: 'Reward programs of the tenant', response: { 200: z.object({ items: z.array(programSchema) }) } } },
      async (req) => ({ items: await svc.programs.list(req.principal.tenantId) }),
    );
    app.post(
      '/api/rewards/programs',
      { config: { role: 'admin' }, schema: { tags: ['rewards'], summary: 'Create a reward program', body: programInputSchema, response: { 201: programSchema } } },
      async (req, reply) => reply.code(201).send(await svc.programs.create(req.principal.tenantId, req.body)),
    );
    app.get(
      '/api/rewards/programs/:id',
      { config: { role: 'supervisor' }, schema: { tags: ['rewards'], summary: 'One reward program', params: idParam('prg'), response: { 200: programSchema } } },
      async (req) => svc.programs.get(req.principal.tenantId, req.params.id),
    );
    app.put(
      '/api/rewards/programs/:id',
      {
        config: { role: 'admin' },
        schema: { tags: ['rewards'], summary: 'Edit a reward program (a budget below what this period paid is refused)', params: idParam('prg'), body: programInputSchema, response: { 200: programSchema } },
      },
      async (req) => svc.programs.update(req.principal.tenantId, req.params.id, req.body),
    );
    app.get(
      '/api/rewards/programs/:id/pacing',
      {
        config: { role: 'supervisor' },
        schema: { tags: ['rewards'], summary: 'The current period: planned against actual payout, top earners, anomaly flags', params: idParam('prg'), response: { 200: pacingSchema } },
      },
      async (req) => svc.reports.pacing(req.principal.tenantId, req.params.id),
    );

    app.post(
      '/api/rewards/activities',
      {
        config: { role: 'admin' },
        schema: {
          tags: ['rewards'],
          summary: 'Report a rewardable activity from a business system (surveys, referrals); once per activity id',
          body: activityInputSchema,
          response: { 200: awardSchema },
        },
      },
      async (req) => {
        const user = await svc.ctx.users.get(req.principal.tenantId, req.body.userId);
        if (!user) throw new CallsightError('rewards_recipient_invalid', 'No such user in this tenant', { status: 400, fields: [{ path: 'body.userId', message: 'unknown user' }] });
        return svc.awards.award(req.principal.tenantId, req.body);
      },
    );

    app.get(
      '/api/rewards/wallet',
      { schema: { tags: ['rewards'], summary: 'Balance, pending redemptions and history with the reason for each entry', querystring: userQuery, response: { 200: walletSchema } } },
      async (req) => svc.wallet(req.principal.tenantId, whose(req.principal, req.query.userId)),
    );
    app.get(
      '/api/rewards/redemptions',
      {
        schema: {
          tags: ['rewards'],
          summary: 'Redemptions, newest first: your own, a named user’s, or (staff, `?scope=tenant`) everyone’s',
          querystring: userQuery.extend({ scope: z.enum(['mine', 'tenant']).optional() }),
          response: { 200: z.object({ items: z.array(redemptionSchema) }) },
        },
      },
      async (req) => {
        if (req.query.scope === 'tenant') {
          if (!isStaff(req.principal)) throw forbidden('Only staff see everyone’s redemptions');
          return { items: await svc.redemptions.list(req.principal.tenantId, null) };
        }
        return { items: await svc.redemptions.list(req.principal.tenantId, whose(req.principal, req.query.userId)) };
      },
    );
    app.get(
      '/api/rewards/redemptions/:id',
      { schema: { tags: ['rewards'], summary: 'One redemption', params: idParam('rdm'), response: { 200: redemptionSchema } } },
      async (req) => {
        const r = await svc.redemptions.dto(req.principal.tenantId, req.params.id);
        if (!r || (!isStaff(req.principal) && r.userId !== req.principal.userId)) throw new CallsightError('not_found', 'Redemption not found', { status: 404 });
        return r;
      },
    );
    app.get(
      '/api/rewards/redemptions/:id/proof',
      {
        schema: {
          tags: ['rewards'],
          summary: 'Download the proof of a paid crypto redemption, read from the chain: transaction, chain, block, amount, address (customers: their own)',
          params: idParam('rdm'),
          response: { 200: paymentProofSchema },
        },
      },
      async (req, reply) => {
        const proof = await svc.redemptions.paymentProof(req.principal.tenantId, req.params.id, isStaff(req.principal) ? null : (req.principal.userId ?? ''));
        reply.header('content-disposition', 'attachment; filename="rewards-payment-proof.json"');
        return proof;
      },
    );
    app.post(
      '/api/rewards/redemptions',
      {
        config: { role: 'customer' },
        schema: {
          tags: ['rewards'],
          summary: 'Redeem points: to another user, or to crypto at the configured rate (idempotent by requestId)',
          body: redeemInputSchema,
          response: { 201: redemptionSchema, 200: redemptionSchema },
        },
      },
      async (req, reply) => {
        if (!req.principal.userId) throw forbidden('Redemptions are made by a signed-in user');
        const { redemption, duplicate } = await svc.redemptions.redeem(req.principal.tenantId, req.principal.userId, req.body);
        return reply.code(duplicate ? 200 : 201).send(redemption);
      },
    );

    app.get(
      '/api/rewards/statement',
      {
        schema: {
          tags: ['rewards'],
          summary: 'A user’s statement for a month (UTC): opening, entries, closing, reconciled against the ledger',
          querystring: statementQuery,
          response: { 200: statementSchema },
        },
      },
      async (req) => svc.reports.statement(req.principal.tenantId, whose(req.principal, req.query.userId), req.query.period),
    );
    app.get(
      '/api/rewards/statement.csv',
      {
        schema: {
          tags: ['rewards'],
          summary: 'Download a user’s statement for a month (UTC) as CSV: date, activity, points, value, redemption — one row per ledger entry',
          querystring: statementQuery,
          response: { 200: z.string().describe('text/csv') },
        },
      },
      async (req, reply) => {
        const userId = whose(req.principal, req.query.userId);
        const csv = await svc.statementCsv(req.principal.tenantId, userId, req.query.period);
        // A string with a non-JSON content type is sent as it is, not through the JSON serializer.
        return reply
          .header('content-type', 'text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="rewards-statement-${req.query.period}.csv"`)
          .header('cache-control', 'no-store')
          .send(csv);
      },
    );
    app.get(
      '/api/rewards/ledger/check',
      {
        config: { role: 'admin' },
        schema: {
          tags: ['rewards'],
          summary: 'Σ debits = Σ credits, and every account’s totals against its entries',
          response: { 200: z.object({ ok: z.boolean(), entries: z.number(), totalDebits: z.number(), totalCredits: z.number(), problems: z.array(z.string()) }) },
        },
      },
      async (req) => svc.ledger.check(req.principal.tenantId),
    );
    app.post(
      '/api/rewards/seals',
      { config: { role: 'admin' }, schema: { tags: ['rewards'], summary: 'Seal every ledger entry since the last seal under a Merkle root', response: { 201: sealSchema } } },
      async (req, reply) => reply.code(201).send(await svc.reports.seal(req.principal.tenantId)),
    );
    app.get(
      '/api/rewards/seals',
      { schema: { tags: ['rewards'], summary: 'Sealed periods of the ledger and their Merkle roots', response: { 200: z.object({ items: z.array(sealSchema) }) } } },
      async (req) => ({ items: await svc.reports.seals(req.principal.tenantId) }),
    );
    app.get(
      '/api/rewards/entries/:id/proof',
      {
        schema: { tags: ['rewards'], summary: 'Download the proof that an entry is in its sealed period (customers: their own entries)', params: idParam('rwe'), response: { 200: proofSchema } },
      },
      async (req, reply) => {
        const proof = await svc.reports.proof(req.principal.tenantId, req.params.id, isStaff(req.principal) ? null : req.principal.userId);
        reply.header('content-disposition', `attachment; filename="${req.params.id}-proof.json"`);
        return proof;
      },
    );

    app.get(
      '/api/rewards/payout',
      { config: { role: 'admin' }, schema: { tags: ['rewards'], summary: 'Crypto payout settings (the hot wallet key is never returned)', response: { 200: payoutConfigSchema.nullable() } } },
      async (req) => {
        const r = await svc.redemptions.payoutRow(req.principal.tenantId);
        return r ? RewardRedemptions.info(r) : null;
      },
    );
    app.put(
      '/api/rewards/payout',
      {
        config: { role: 'admin' },
        schema: { tags: ['rewards'], summary: 'Set crypto payouts: chain, token (or native), rate, confirmations and the hot wallet key (sealed)', body: payoutInputSchema, response: { 200: payoutConfigSchema } },
      },
      async (req) => svc.redemptions.configurePayout(req.principal.tenantId, req.body),
    );
  };
}
