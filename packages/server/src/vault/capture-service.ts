import type { CaptureProgress, CaptureRecord, CaptureResult, CardBrand, StartCaptureInput } from '@callsight/protocol';
import type { AppContext } from '../app-context.js';
import type { Principal } from '../auth/principal.js';
import type { Call, RecordingMask } from '../calls/call.js';
import { CallsightError, notFound } from '../core/errors.js';
import { newId } from '../core/ids.js';
import { KeypadCapture, wipeCard, type KeyedCard, type KeypadStep } from './keypad-capture.js';
import type { PaymentConnector } from './payment-connector.js';
import type { VaultCapturesTable } from './vault-tables.js';

/** No key for this long ends the capture ('timeout'). */
const KEY_TIMEOUT_MS = 60_000;

const toRecord = (r: VaultCapturesTable): CaptureRecord => ({
  id: r.id,
  callId: r.call_id,
  customerCallId: r.customer_call_id,
  customerId: r.customer_id,
  actor: r.actor,
  status: r.status,
  result: r.result as CaptureResult | null,
  brand: r.brand as CardBrand | null,
  last4: r.last4,
  paymentToken: r.payment_token,
  amount: r.amount == null ? null : Number(r.amount),
  currency: r.currency,
  idempotencyKey: r.idempotency_key,
  attempts: Number(r.attempts),
  startedAt: Number(r.started_at),
  endedAt: r.ended_at == null ? null : Number(r.ended_at),
  markers: JSON.parse(r.markers) as RecordingMask[],
});

interface Running {
  finish: (result: CaptureResult) => void;
}

/**
 * Agent-deaf keypad capture: the agent starts it on their call; the customer keys the
 * number, expiry and code on any keypad (a /phone, a SIP phone's RFC 4733 or INFO, or
 * in-band tones); the agent hears flat tones and sees counts and checks; the card goes
 * to the PaymentConnector once and only its token, brand and last 4 are kept.
 */
export class CaptureService {
  private readonly running = new Map<string, Running>();

  constructor(
    private readonly ctx: AppContext,
    private readonly connector: PaymentConnector,
    private readonly claim: (...callIds: string[]) => () => void,
  ) {}

  private get db() {
    return this.ctx.store.db;
  }

  async start(p: Principal, input: StartCaptureInput): Promise<CaptureRecord> {
    const key = input.idempotencyKey ?? newId('idk');
    const known = await this.db.selectFrom('vault_captures').selectAll().where('tenant_id', '=', p.tenantId).where('idempotency_key', '=', key).executeTakeFirst();
    if (known) return toRecord(known);
    const { agent, customer } = this.callsOf(p, input.callId);
    const release = this.claim(agent.id, customer.id);
    const party = /^user:(.+)$/.exec(customer.leg.remote)?.[1] ?? null;
    const row: VaultCapturesTable = {
      id: newId('vcp'),
      tenant_id: p.tenantId,
      call_id: agent.id,
      customer_call_id: customer.id,
      customer_id: party,
      actor: p.userId ?? p.apiKeyId ?? 'unknown',
      status: 'collecting',
      result: null,
      brand: null,
      last4: null,
      payment_token: null,
      amount: input.amount ?? null,
      currency: input.currency ?? null,
      idempotency_key: key,
      attempts: 1,
      started_at: Date.now(),
      ended_at: null,
      markers: '[]',
    };
    try {
      await this.db.insertInto('vault_captures').values(row).execute();
    } catch (err) {
      release();
      throw err;
    }
    const agentUser = /^user:(.+)$/.exec(agent.leg.remote)?.[1];
    const userIds = [...new Set([p.userId, agentUser, party].filter((u): u is string => !!u))];
    const interactionId = customer.record.interactionId;
    const publish = <T extends 'vault.capture.progress' | 'vault.card.captured' | 'vault.payment.result'>(type: T, data: import('../bus/event-map.js').EventMap[T]) =>
      this.ctx.bus.publish({ tenantId: p.tenantId, type, interactionId, userIds, data } as never).catch((err) => this.ctx.log.warn({ err: String(err), type }, 'publishing a capture event failed'));
    const base = { captureId: row.id, callId: agent.id, customerCallId: customer.id };

    const keypad = new KeypadCapture();
    let ended = false;
    let timer = setTimeout(() => finish('timeout'), KEY_TIMEOUT_MS);
    const progress = (status: CaptureProgress['status']) => void publish('vault.capture.progress', { ...base, ...keypad.state, status });
    let handle: { stop: () => Promise<RecordingMask[]> };
    const finish = (result: CaptureResult, card?: KeyedCard) => {
      if (ended) {
        if (card) wipeCard(card);
        return;
      }
      ended = true;
      clearTimeout(timer);
      keypad.wipe();
      this.running.delete(row.id);
      void this.settle(row, base, result, card, handle, publish, keypad.state.attempt).finally(release);
    };
    const onKey = (digit: string) => {
      const step: KeypadStep | null = keypad.press(digit);
      if (!step) return;
      clearTimeout(timer);
      timer = setTimeout(() => finish('timeout'), KEY_TIMEOUT_MS);
      if (step.kind === 'progress') progress('collecting');
      else if (step.kind === 'failed') finish(step.result);
      else finish('success', step.card);
    };
    try {
      handle = customer.captureConfidential(onKey);
    } catch (err) {
      clearTimeout(timer);
      release();
      await this.db.updateTable('vault_captures').set({ status: 'done', result: 'validation-error', ended_at: Date.now() }).where('id', '=', row.id).execute();
      throw err;
    }
    this.running.set(row.id, { finish });
    void customer.whenEnded().then(() => finish('caller-hung-up'));
    void agent.whenEnded().then(() => finish('agent-cancelled'));
    progress('collecting');
    return toRecord(row);
  }

  /** Ends the capture: the bridge comes back, the card (if any) goes to the connector once, only its token stays. */
  private async settle(
    row: VaultCapturesTable,
    base: { captureId: string; callId: string; customerCallId: string },
    outcome: CaptureResult,
    card: KeyedCard | undefined,
    handle: { stop: () => Promise<RecordingMask[]> },
    publish: (type: 'vault.capture.progress' | 'vault.card.captured' | 'vault.payment.result', data: never) => Promise<unknown>,
    attempts: number,
  ): Promise<void> {
    let result = outcome;
    let token: string | null = null;
    try {
      const markers = await handle.stop().catch(() => [] as RecordingMask[]);
      await this.db.updateTable('vault_captures').set({ status: card ? 'processing' : 'done', markers: JSON.stringify(markers), attempts, brand: card?.brand ?? null, last4: card?.last4 ?? null }).where('id', '=', row.id).execute();
      if (card) {
        void publish('vault.card.captured', { ...base, brand: card.brand, last4: card.last4 } as never);
        try {
          const answer = await this.connector.charge({ idempotencyKey: row.idempotency_key, amount: row.amount, currency: row.currency, description: null, card });
          if (answer.ok) token = answer.token;
          else result = 'payment-connector-error';
        } catch (err) {
          result = 'payment-connector-error';
          this.ctx.log.warn({ captureId: row.id, connector: this.connector.name, code: err instanceof CallsightError ? err.code : 'error' }, 'the payment connector failed');
        }
      }
    } finally {
      if (card) wipeCard(card);
    }
    await this.db.updateTable('vault_captures').set({ status: 'done', result, payment_token: token, ended_at: Date.now() }).where('id', '=', row.id).execute();
    await publish('vault.payment.result', { ...base, result, paymentToken: token, brand: card?.brand ?? null, last4: card?.last4 ?? null } as never);
  }

  /** The agent ends a capture still collecting ('agent-cancelled'); nothing is charged. */
  async cancel(p: Principal, id: string): Promise<CaptureRecord> {
    const row = await this.get(p, id);
    const running = this.running.get(id);
    if (running) running.finish('agent-cancelled');
    return row;
  }

  async get(p: Principal, id: string): Promise<CaptureRecord> {
    const row = await this.db.selectFrom('vault_captures').selectAll().where('tenant_id', '=', p.tenantId).where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound('Capture');
    return toRecord(row);
  }

  async list(tenantId: string, limit = 100): Promise<CaptureRecord[]> {
    return (await this.db.selectFrom('vault_captures').selectAll().where('tenant_id', '=', tenantId).orderBy('id', 'desc').limit(limit).execute()).map(toRecord);
  }

  /**
   * The agent's call and the customer's: an agent names the call on their softphone
   * (either side of the bridge, whichever is theirs); a supervisor or an API key names
   * the agent's call of any bridge.
   */
  private callsOf(p: Principal, callId: string): { agent: Call; customer: Call } {
    const call = this.ctx.services.maybe('telephony')?.manager.get(p.tenantId, callId);
    if (!call || call.state !== 'answered' || !call.bridgedTo || call.bridgedTo.state !== 'answered') {
      throw new CallsightError('vault_no_active_call', 'There is no connected call to collect the card on', { status: 409 });
    }
    const me = p.userId ? `user:${p.userId}` : null;
    if (call.leg.remote === me) return { agent: call, customer: call.bridgedTo };
    if (call.bridgedTo.leg.remote === me) return { agent: call.bridgedTo, customer: call };
    if (p.role === 'agent') throw new CallsightError('vault_not_on_call', 'You are not a party to this call', { status: 403 });
    return { agent: call, customer: call.bridgedTo };
  }
}
