import type { RewardPaymentProof, RewardPayoutConfig, RewardPayoutConfigInput, RewardPayoutInfo, RewardRedeemInput, RewardRedemption } from '@callsight/protocol';
import type { Address, Hex } from 'viem';
import type { AppContext } from '../app-context.js';
import { CallsightError } from '../core/errors.js';
import { newId } from '../core/ids.js';
import { addressOfKey, broadcast, isChecksummedAddress, judgePayout, nextNonce, paymentReceipt, signPayout, tokenInfo, watchHeads, type ChainTarget } from './reward-chain.js';
import { accountOf, InsufficientFunds, isUniqueViolation, type Ledger } from './reward-ledger.js';
import type { RewardPayoutConfigsTable, RewardRedemptionsTable } from './reward-tables.js';

/** How long one process holds a redemption it works on before another may take it over. */
const LEASE_MS = 15_000;
/** A redemption that could not even be signed and sent for this long is voided (its points go back). */
export const UNSENT_TIMEOUT_MS = 60 * 60_000;
/** How long a chain's blocks are watched after the last payout that waited on it. */
const WATCH_IDLE_MS = 30_000;

const err = (code: 'rewards_insufficient_balance' | 'rewards_request_reused' | 'rewards_address_invalid' | 'rewards_recipient_invalid' | 'rewards_payout_not_configured' | 'rewards_payout_config_invalid', status: number, message: string, path?: string) =>
  new CallsightError(code, message, { status, fields: path ? [{ path, message }] : undefined });

/**
 * Redemptions: points to another user (one ledger transfer), or to crypto. A crypto
 * redemption is two-phase: its points are held (user → pending) when requested, then
 * posted (pending → external payouts) once the chain confirms the payment, or voided
 * (pending → user) when the transaction fails. The signed transaction is stored before
 * it is sent, so a restart re-sends the same bytes (the chain accepts a nonce once):
 * a redemption can never pay twice.
 */
export class RewardRedemptions {
  private working = false;
  private again = false;
  private readonly watches = new Map<string, { until: number; stop: () => void }>();

  constructor(
    private readonly ctx: AppContext,
    private readonly ledger: Ledger,
  ) {}

  private get db() {
    return this.ctx.store.db;
  }

  private async toDto(r: RewardRedemptionsTable): Promise<RewardRedemption> {
    const [toName, userName] = await Promise.all([
      r.kind === 'transfer' ? this.ctx.users.get(r.tenant_id, r.to_ref).then((u) => u?.name ?? null) : null,
      this.ctx.users.get(r.tenant_id, r.user_id).then((u) => u?.name ?? null),
    ]);
    return {
      id: r.id,
      requestId: r.request_id,
      userId: r.user_id,
      userName,
      kind: r.kind,
      points: Number(r.points),
      status: r.status,
      to: r.to_ref,
      toName,
      amount: r.amount,
      txHash: r.tx_hash,
      confirmations: r.confirmations,
      error: r.error,
      createdAt: Number(r.created_at),
      updatedAt: Number(r.updated_at),
    };
  }

  /** A user's redemptions, or (`userId` null) the whole tenant's, newest first. */
  async list(tenantId: string, userId: string | null, limit = 50): Promise<RewardRedemption[]> {
    let q = this.db.selectFrom('reward_redemptions').selectAll().where('tenant_id', '=', tenantId);
    if (userId != null) q = q.where('user_id', '=', userId);
    const rows = await q.orderBy('created_at', 'desc').limit(limit).execute();
    return Promise.all(rows.map((r) => this.toDto(r)));
  }

  async get(tenantId: string, id: string): Promise<RewardRedemptionsTable | undefined> {
    return this.db.selectFrom('reward_redemptions').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
  }

  async dto(tenantId: string, id: string): Promise<RewardRedemption | undefined> {
    const r = await this.get(tenantId, id);
    return r && this.toDto(r);
  }

  /** A redemption's rows keyed by id (statements name the redemption behind each entry). */
  async byIds(tenantId: string, ids: string[]): Promise<Map<string, RewardRedemptionsTable>> {
    if (ids.length === 0) return new Map();
    const rows = await this.db.selectFrom('reward_redemptions').selectAll().where('tenant_id', '=', tenantId).where('id', 'in', ids).execute();
    return new Map(rows.map((r) => [r.id, r]));
  }

  /**
   * The proof of a paid crypto redemption, read from the chain now (not from our own rows):
   * its block and the amount it moved, which must equal the ledger's. `userId` set: only
   * that user's redemptions.
   */
  async paymentProof(tenantId: string, id: string, userId: string | null): Promise<RewardPaymentProof> {
    const r = await this.get(tenantId, id);
    if (!r || (userId != null && r.user_id !== userId)) throw new CallsightError('not_found', 'Redemption not found', { status: 404 });
    const cfg = await this.payoutRow(tenantId);
    if (r.kind !== 'crypto' || r.status !== 'confirmed' || !r.tx_hash || !cfg) throw new CallsightError('rewards_payment_not_confirmed', 'Only a paid crypto redemption has a payment proof', { status: 409 });
    const target: ChainTarget = { rpcUrl: cfg.rpc_url, chainId: cfg.chain_id };
    const token = (cfg.token_address as Address | null) ?? null;
    const expect = { token, from: cfg.hot_wallet as Address, to: r.to_ref as Address, amount: BigInt(r.amount!) };
    let receipt: Awaited<ReturnType<typeof paymentReceipt>>;
    try {
      receipt = await paymentReceipt(target, r.tx_hash as Hex, expect);
    } catch (e) {
      this.ctx.log.warn({ redemption: r.id, err: String((e as Error).message ?? e) }, 'reward payment proof: chain unreadable');
      throw new CallsightError('rewards_chain_unavailable', 'The chain could not be read just now: try again shortly', { status: 503 });
    }
    if (!receipt) throw new CallsightError('rewards_chain_unavailable', 'The chain no longer shows this payment as the ledger holds it', { status: 503 });
    return {
      redemptionId: r.id,
      points: Number(r.points),
      chainId: cfg.chain_id,
      txHash: r.tx_hash,
      blockNumber: receipt.blockNumber.toString(),
      blockHash: receipt.blockHash,
      from: cfg.hot_wallet,
      to: r.to_ref,
      token,
      symbol: cfg.symbol,
      decimals: cfg.decimals,
      amount: receipt.amount.toString(),
      confirmations: receipt.confirmations,
      paidAt: Number(r.updated_at),
    };
  }

  /** Points held by this user's redemptions still in flight. */
  async pendingPoints(tenantId: string, userId: string): Promise<number> {
    const r = await this.db
      .selectFrom('reward_redemptions')
      .select((eb) => eb.fn.sum<number>('points').as('p'))
      .where('tenant_id', '=', tenantId)
      .where('user_id', '=', userId)
      .where('status', 'in', ['pending', 'submitted'])
      .executeTakeFirst();
    return Number(r?.p ?? 0);
  }

  // ---- payout settings ----

  async payoutRow(tenantId: string): Promise<RewardPayoutConfigsTable | undefined> {
    return this.db.selectFrom('reward_payout_configs').selectAll().where('tenant_id', '=', tenantId).executeTakeFirst();
  }

  static info(r: RewardPayoutConfigsTable): RewardPayoutConfig {
    return {
      chainId: r.chain_id,
      asset: r.token_address ? 'erc20' : 'native',
      symbol: r.symbol,
      decimals: r.decimals,
      unitsPerPoint: r.units_per_point,
      confirmations: r.confirmations,
      rpcUrl: r.rpc_url,
      tokenAddress: r.token_address,
      hotWallet: r.hot_wallet,
    };
  }

  async payoutInfo(tenantId: string): Promise<RewardPayoutInfo | null> {
    const r = await this.payoutRow(tenantId);
    if (!r) return null;
    const { rpcUrl: _u, tokenAddress: _t, hotWallet: _h, ...info } = RewardRedemptions.info(r);
    return info;
  }

  /** Saves the payout settings: checks the node is the chain named and reads the token's decimals() and symbol(). */
  async configurePayout(tenantId: string, input: RewardPayoutConfigInput): Promise<RewardPayoutConfig> {
    if (!/^0x[0-9a-fA-F]{64}$/.test(input.privateKey)) throw err('rewards_payout_config_invalid', 400, 'The hot wallet key is 0x and 64 hex digits', 'body.privateKey');
    if (input.tokenAddress != null && !isChecksummedAddress(input.tokenAddress)) throw err('rewards_address_invalid', 400, 'The token address is not EIP-55 checksummed', 'body.tokenAddress');
    if (!/^[1-9][0-9]{0,40}$/.test(input.unitsPerPoint)) throw err('rewards_payout_config_invalid', 400, 'unitsPerPoint is a whole number above 0', 'body.unitsPerPoint');
    await this.ctx.egress.checkField(input.rpcUrl, tenantId, 'body.rpcUrl');
    const target = { rpcUrl: input.rpcUrl, chainId: input.chainId };
    let token: { symbol: string; decimals: number };
    try {
      token = await tokenInfo(target, (input.tokenAddress as Address | null) ?? null);
    } catch (e) {
      throw err('rewards_payout_config_invalid', 400, `The chain could not be read: ${String((e as Error).message).split('\n')[0]}`, 'body.rpcUrl');
    }
    const row: RewardPayoutConfigsTable = {
      tenant_id: tenantId,
      rpc_url: input.rpcUrl,
      chain_id: input.chainId,
      token_address: input.tokenAddress,
      symbol: token.symbol,
      decimals: token.decimals,
      units_per_point: input.unitsPerPoint,
      confirmations: input.confirmations ?? 1,
      hot_wallet: addressOfKey(input.privateKey as Hex),
      key_sealed: this.ctx.secretBox.seal(input.privateKey, `reward-hot-wallet:${tenantId}`),
      updated_at: Date.now(),
    };
    await this.db
      .insertInto('reward_payout_configs')
      .values(row)
      .onConflict((oc) => oc.column('tenant_id').doUpdateSet({ ...row }))
      .execute();
    return RewardRedemptions.info(row);
  }

  // ---- requests ----

  async redeem(tenantId: string, userId: string, input: RewardRedeemInput): Promise<{ redemption: RewardRedemption; duplicate: boolean }> {
    if (!Number.isSafeInteger(input.points) || input.points < 1) throw err('rewards_insufficient_balance', 400, 'Redeem a whole number of points, at least 1', 'body.points');
    let toRef: string;
    let toName: string | null = null;
    let amount: string | null = null;
    if (input.kind === 'transfer') {
      const byEmail = !input.toUserId && input.toEmail ? await this.ctx.users.byEmailWithHash(input.toEmail.trim()) : undefined;
      const to = input.toUserId ? await this.ctx.users.get(tenantId, input.toUserId) : byEmail?.tenantId === tenantId ? byEmail : undefined;
      if (!to || to.disabled) throw err('rewards_recipient_invalid', 400, 'That person is not a user of this service', input.toUserId ? 'body.toUserId' : 'body.toEmail');
      if (to.id === userId) throw err('rewards_recipient_invalid', 400, 'Points cannot go to yourself', 'body.toUserId');
      toRef = to.id;
      toName = to.name;
    } else {
      if (!input.address || !isChecksummedAddress(input.address)) throw err('rewards_address_invalid', 400, 'Type the wallet address with its checksum (EIP-55 mixed case)', 'body.address');
      const cfg = await this.payoutRow(tenantId);
      if (!cfg) throw err('rewards_payout_not_configured', 409, 'Crypto payouts are not set up');
      toRef = input.address;
      amount = (BigInt(input.points) * BigInt(cfg.units_per_point)).toString();
    }
    const existing = await this.byRequest(tenantId, userId, input.requestId);
    if (existing) return { redemption: await this.sameOrRefuse(existing, input, toRef), duplicate: true };

    const now = Date.now();
    const row: RewardRedemptionsTable = {
      id: newId('rdm', now),
      tenant_id: tenantId,
      request_id: input.requestId,
      user_id: userId,
      kind: input.kind,
      points: input.points,
      status: input.kind === 'transfer' ? 'confirmed' : 'pending',
      to_ref: toRef,
      amount,
      nonce: null,
      raw_tx: null,
      tx_hash: null,
      confirmations: 0,
      attempts: 0,
      error: null,
      lease_until: 0,
      created_at: now,
      updated_at: now,
    };
    // Nothing outside `trx` inside the transaction: SQLite has one connection.
    const fromName = input.kind === 'transfer' ? ((await this.ctx.users.get(tenantId, userId))?.name ?? 'another user') : '';
    const reason = input.kind === 'transfer' ? `Points from ${fromName} to ${toName ?? 'another user'}` : `Redeemed to ${short(toRef)}`;
    try {
      await this.db.transaction().execute(async (trx) => {
        await trx.insertInto('reward_redemptions').values(row).execute();
        await this.ledger.apply(trx, {
          tenantId,
          transferId: `${input.kind === 'transfer' ? 'transfer' : 'hold'}:${row.id}`,
          kind: input.kind === 'transfer' ? 'transfer' : 'redeem_hold',
          debit: accountOf.user(userId),
          credit: input.kind === 'transfer' ? accountOf.user(toRef) : accountOf.pending(tenantId),
          amount: input.points,
          reason,
          at: now,
        });
      });
    } catch (e) {
      if (e instanceof InsufficientFunds) throw err('rewards_insufficient_balance', 409, 'Your balance is lower than that', 'body.points');
      if (isUniqueViolation(e)) {
        const again = await this.byRequest(tenantId, userId, input.requestId);
        if (again) return { redemption: await this.sameOrRefuse(again, input, toRef), duplicate: true };
      }
      throw e;
    }
    const dto = await this.toDto(row);
    if (row.kind === 'transfer') {
      await this.ctx.bus.publish({ tenantId, type: 'rewards.redemption.confirmed', userIds: [userId, toRef], data: { redemption: dto } });
    } else {
      // The payout worker wakes on this event, in whichever process.
      await this.ctx.bus.publish({ tenantId, type: 'rewards.redemption.requested', userIds: [userId], data: { redemption: dto } });
    }
    return { redemption: dto, duplicate: false };
  }

  private byRequest(tenantId: string, userId: string, requestId: string) {
    return this.db.selectFrom('reward_redemptions').selectAll().where('tenant_id', '=', tenantId).where('user_id', '=', userId).where('request_id', '=', requestId).executeTakeFirst();
  }

  private async sameOrRefuse(r: RewardRedemptionsTable, input: RewardRedeemInput, toRef: string): Promise<RewardRedemption> {
    if (r.kind !== input.kind || Number(r.points) !== input.points || r.to_ref !== toRef) throw err('rewards_request_reused', 409, 'This request id was used for a different redemption');
    return this.toDto(r);
  }

  // ---- the payout worker ----

  /** Works through open crypto redemptions now (one at a time per process; a lease keeps processes apart). */
  kick(): void {
    if (this.working) {
      this.again = true;
      return;
    }
    this.working = true;
    void (async () => {
      try {
        do {
          this.again = false;
          await this.workOnce();
        } while (this.again);
      } catch (e) {
        this.ctx.log.warn({ err: e }, 'reward payout round failed');
      } finally {
        this.working = false;
      }
    })();
  }

  /** One pass over open redemptions whose lease is free; returns how many it moved on. */
  async workOnce(): Promise<number> {
    const now = Date.now();
    const open = await this.db
      .selectFrom('reward_redemptions')
      .selectAll()
      .where('status', 'in', ['pending', 'submitted'])
      .where('lease_until', '<', now)
      .orderBy('created_at')
      .limit(20)
      .execute();
    let moved = 0;
    for (const r of open) {
      const claim = await this.db
        .updateTable('reward_redemptions')
        .set({ lease_until: now + LEASE_MS })
        .where('id', '=', r.id)
        .where('lease_until', '=', r.lease_until)
        .where('status', 'in', ['pending', 'submitted'])
        .executeTakeFirst();
      if (Number(claim.numUpdatedRows) !== 1) continue;
      try {
        if (await this.advance(r)) moved++;
      } catch (e) {
        const msg = String((e as Error).message ?? e).split('\n')[0]!.slice(0, 300);
        this.ctx.log.warn({ redemption: r.id, err: msg }, 'reward payout attempt failed; retrying');
        // Unreachable chain and the like: the redemption stays as it is, retried with backoff.
        const backoff = Math.min(30_000, 500 * 2 ** Math.min(6, r.attempts));
        await this.db.updateTable('reward_redemptions').set({ attempts: r.attempts + 1, error: msg, lease_until: Date.now() + backoff, updated_at: Date.now() }).where('id', '=', r.id).execute();
      }
    }
    return moved;
  }

  private async advance(r: RewardRedemptionsTable): Promise<boolean> {
    const cfg = await this.payoutRow(r.tenant_id);
    if (!cfg) throw new Error('payout settings were removed');
    const target: ChainTarget = { rpcUrl: cfg.rpc_url, chainId: cfg.chain_id };
    const token = (cfg.token_address as Address | null) ?? null;
    const from = cfg.hot_wallet as Address;
    const to = r.to_ref as Address;
    const amount = BigInt(r.amount!);

    if (!r.raw_tx) {
      if (Date.now() - Number(r.created_at) > UNSENT_TIMEOUT_MS) {
        await this.finish(r, 'failed', 'The payment could not be sent in time', r.confirmations);
        return true;
      }
      const key = this.ctx.secretBox.open(cfg.key_sealed, `reward-hot-wallet:${r.tenant_id}`) as Hex;
      // The next nonce: the chain's pending count, but past every payout already signed and not yet mined.
      const signed = await this.db
        .selectFrom('reward_redemptions')
        .select((eb) => eb.fn.max<number>('nonce').as('n'))
        .where('tenant_id', '=', r.tenant_id)
        .where('status', 'in', ['pending', 'submitted'])
        .where('nonce', 'is not', null)
        .executeTakeFirst();
      const chainNonce = await nextNonce(target, from);
      const nonce = Math.max(chainNonce, signed?.n == null ? 0 : Number(signed.n) + 1);
      const tx = await signPayout(target, key, { token, to, amount, nonce });
      // Stored before it is sent: from here on only these bytes are ever sent for this redemption.
      const res = await this.db
        .updateTable('reward_redemptions')
        .set({ raw_tx: tx.raw, tx_hash: tx.hash, nonce, updated_at: Date.now() })
        .where('id', '=', r.id)
        .where('raw_tx', 'is', null)
        .executeTakeFirst();
      if (Number(res.numUpdatedRows) !== 1) return false;
      r = { ...r, raw_tx: tx.raw, tx_hash: tx.hash, nonce };
    }

    const expect = { token, from, to, amount, confirmations: cfg.confirmations };
    let verdict = await judgePayout(target, r.tx_hash as Hex, expect);
    if (verdict.state === 'unknown') {
      await broadcast(target, r.raw_tx as Hex);
      const now = Date.now();
      if (r.status === 'pending') {
        await this.db.updateTable('reward_redemptions').set({ status: 'submitted', error: null, updated_at: now, lease_until: now + 300 }).where('id', '=', r.id).execute();
        const dto = await this.toDto({ ...r, status: 'submitted', error: null, updated_at: now });
        await this.ctx.bus.publish({ tenantId: r.tenant_id, type: 'rewards.redemption.submitted', userIds: [r.user_id], data: { redemption: dto } });
        r = { ...r, status: 'submitted', error: null, updated_at: now };
      }
      // A chain that mines on arrival has the receipt already: judged now, not on the next sweep.
      verdict = await judgePayout(target, r.tx_hash as Hex, expect);
      if (verdict.state === 'unknown') {
        await this.db.updateTable('reward_redemptions').set({ lease_until: Date.now() + 300 }).where('id', '=', r.id).execute();
        this.watchChain(target);
        return true;
      }
    }
    if (verdict.state === 'waiting') {
      // Free at once: the chain's next block wakes the worker to count again.
      await this.db
        .updateTable('reward_redemptions')
        .set({ status: 'submitted', confirmations: verdict.confirmations, error: null, lease_until: Date.now(), updated_at: Date.now() })
        .where('id', '=', r.id)
        .execute();
      this.watchChain(target);
      return false;
    }
    await this.finish(r, verdict.state, verdict.state === 'failed' ? verdict.reason : null, verdict.confirmations);
    return true;
  }

  /**
   * Wakes the worker on each new block of a chain a payout waits on (to be mined, or for
   * confirmations), instead of waiting for the next sweep. The watch ends once no payout
   * has asked for it for a while.
   */
  private watchChain(target: ChainTarget): void {
    const key = `${target.chainId}|${target.rpcUrl}`;
    const until = Date.now() + WATCH_IDLE_MS;
    const w = this.watches.get(key);
    if (w) {
      w.until = until;
      return;
    }
    const watch = {
      until,
      stop: watchHeads(target, () => {
        if (Date.now() > watch.until) return this.unwatch(key);
        this.kick();
      }),
    };
    this.watches.set(key, watch);
  }

  private unwatch(key: string): void {
    this.watches.get(key)?.stop();
    this.watches.delete(key);
  }

  /** Ends the block watches (the feature stops). */
  stop(): void {
    for (const key of [...this.watches.keys()]) this.unwatch(key);
  }

  /** Posts (confirmed) or voids (failed) the held points, once: the ledger's transfer ids make a second try a no-op. */
  private async finish(r: RewardRedemptionsTable, state: 'confirmed' | 'failed', error: string | null, confirmations: number) {
    const now = Date.now();
    await this.db.transaction().execute(async (trx) => {
      const res = await trx
        .updateTable('reward_redemptions')
        .set({ status: state, error, confirmations, updated_at: now })
        .where('id', '=', r.id)
        .where('status', 'in', ['pending', 'submitted'])
        .executeTakeFirst();
      if (Number(res.numUpdatedRows) !== 1) return;
      await this.ledger.apply(trx, {
        tenantId: r.tenant_id,
        transferId: `${state === 'confirmed' ? 'post' : 'void'}:${r.id}`,
        kind: state === 'confirmed' ? 'redeem_post' : 'redeem_void',
        debit: accountOf.pending(r.tenant_id),
        credit: state === 'confirmed' ? accountOf.payout(r.tenant_id) : accountOf.user(r.user_id),
        amount: Number(r.points),
        reason: state === 'confirmed' ? `Paid to ${short(r.to_ref)}` : `Redemption returned: ${error ?? 'failed'}`,
        at: now,
      });
    });
    const dto = await this.toDto({ ...r, status: state, error, confirmations, updated_at: now });
    await this.ctx.bus.publish({ tenantId: r.tenant_id, type: state === 'confirmed' ? 'rewards.redemption.confirmed' : 'rewards.redemption.failed', userIds: [r.user_id], data: { redemption: dto } });
  }
}

const short = (address: string) => `${address.slice(0, 6)}…${address.slice(-4)}`;
