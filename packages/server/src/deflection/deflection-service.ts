import type { AppContext } from '../app-context.js';
import type { Subscription } from '../bus/event-bus.js';
import { CallsightError } from '../core/errors.js';
import { newId } from '../core/ids.js';
import type { Call } from '../calls/call.js';
import type { DeflectVerb, Verb } from '../calls/flows/flow-schema.js';
import type { PhoneNumber } from '../calls/number-repo.js';
import { callerTypeOf, phoneOf } from './caller-type.js';
import { DeflectLinks } from './deflect-link.js';
import { evaluateRules, needsRoutingFacts, rulesSchema, type DeflectionRule } from './deflection-rules.js';
import type { DeflectionsTable } from './deflection-tables.js';
import './deflection-events.js';

declare module '../core/services.js' {
  interface Services {
    deflection: DeflectionService;
  }
}

/** What opening a link led to, for the page the caller sees. */
export type LinkOutcome =
  | { kind: 'chat'; tenantSlug: string; queue: string; visitorToken: string }
  | { kind: 'invalid' | 'used' | 'expired' };

const DEFAULT_ANNOUNCEMENT = 'We have sent you a text message with a link to continue this conversation in chat.';
const DEFAULT_HOLD = 'Open the link in our text message to chat with us now, or stay on the line.';
/** Silence between hold announcements. */
const HOLD_GAP_MS = 3000;

/**
 * Moves a caller from the phone to web chat: a one-time SMS link, the call on
 * hold until it is opened (then the call ends and the chat, with the call's
 * context, is queued to agents) or the offer times out (the flow goes on).
 *
 * The link may be opened on any process; the process holding the call learns
 * it from `deflect.link.opened` on the bus (every process subscribes).
 */
export class DeflectionService {
  readonly links: DeflectLinks;
  private readonly waiters = new Map<string, () => void>();
  private subs: Subscription[] = [];

  constructor(
    private readonly ctx: AppContext,
    private readonly baseUrl: () => string,
  ) {
    this.links = new DeflectLinks(ctx.secretBox);
  }

  async start(): Promise<void> {
    this.subs.push(await this.ctx.bus.subscribe({ types: ['deflect.link.opened'] }, (e) => this.waiters.get((e.data as { deflectionId: string }).deflectionId)?.()));
  }

  async stop(): Promise<void> {
    for (const s of this.subs) await s.unsubscribe();
    for (const wake of this.waiters.values()) wake();
  }

  // ---- rules -------------------------------------------------------------------------

  async rules(tenantId: string, numberId: string): Promise<DeflectionRule[]> {
    const row = await this.ctx.store.db.selectFrom('deflection_rules').select('rules').where('tenant_id', '=', tenantId).where('number_id', '=', numberId).executeTakeFirst();
    return row ? rulesSchema.parse(JSON.parse(row.rules)) : [];
  }

  async saveRules(tenantId: string, numberId: string, rules: DeflectionRule[]): Promise<void> {
    const values = { number_id: numberId, tenant_id: tenantId, rules: JSON.stringify(rules), updated_at: Date.now() };
    await this.ctx.store.db
      .insertInto('deflection_rules')
      .values(values)
      .onConflict((oc) => oc.column('number_id').doUpdateSet({ rules: values.rules, updated_at: values.updated_at }))
      .execute();
  }

  /** The verbs to run before a number's flow: a `deflect` when its rules say so. */
  async verbsBefore(call: Call, number: PhoneNumber): Promise<Verb[]> {
    const rules = await this.rules(number.tenantId, number.id);
    if (rules.length === 0) return [];
    const facts = { callerType: callerTypeOf(phoneOf(call.record.from) ?? ''), now: new Date(), queueWaitSeconds: 0, agentsAvailable: 0 };
    if (needsRoutingFacts(rules)) Object.assign(facts, await this.routingFacts(number.tenantId));
    if (evaluateRules(rules, facts) !== 'deflect_chat') return [];
    return [{ verb: 'deflect', to: 'chat', queue: 'support', timeoutSeconds: 120 }];
  }

  private async routingFacts(tenantId: string): Promise<{ queueWaitSeconds: number; agentsAvailable: number }> {
    const routing = this.ctx.services.maybe('routing');
    if (!routing) return { queueWaitSeconds: 0, agentsAvailable: 0 };
    const [{ waiting }, agents] = await Promise.all([routing.repo.queueStats(tenantId, Date.now()), routing.repo.agents(tenantId)]);
    const oldest = Math.min(Date.now(), ...waiting.map((w) => Number(w.oldest ?? Date.now())));
    return { queueWaitSeconds: (Date.now() - oldest) / 1000, agentsAvailable: agents.filter((a) => a.presence === 'available').length };
  }

  // ---- the call side -----------------------------------------------------------------

  async deflect(call: Call, verb: DeflectVerb): Promise<'deflected' | 'resumed'> {
    const tenantId = call.record.tenantId;
    const caller = phoneOf(call.record.from);
    const now = Date.now();
    const row: DeflectionsTable = {
      id: newId('dfl'),
      tenant_id: tenantId,
      call_id: call.id,
      interaction_id: call.record.interactionId,
      caller: caller ?? call.record.from,
      target: verb.to,
      queue: verb.queue,
      state: 'offered',
      digits: call.digits,
      conversation_id: null,
      expires_at: now + verb.timeoutSeconds * 1000,
      opened_at: null,
      created_at: now,
    };
    await this.ctx.store.db.insertInto('deflections').values(row).execute();
    const ref = { deflectionId: row.id, callId: call.id };
    const publish = <T extends 'deflect.offered' | 'deflect.sms.sent' | 'deflect.sms.failed' | 'deflect.call.terminated' | 'deflect.resumed'>(
      type: T,
      data: Omit<import('../bus/event-map.js').EventMap[T], 'deflectionId' | 'callId'>,
    ) => this.ctx.bus.publish({ tenantId, type, interactionId: call.record.interactionId, data: { ...ref, ...data } as never });
    await publish('deflect.offered', { to: verb.to, caller: row.caller, expiresAt: row.expires_at });

    // Armed before the SMS leaves: a fast caller may open the link before send() returns.
    let wake!: () => void;
    const opened = new Promise<void>((r) => (wake = r));
    this.waiters.set(row.id, () => {
      wake();
      // Cut the announcement short: the caller has already moved on.
      call.stopPlayback();
    });
    try {
      const [sent] = await Promise.all([this.sendLink(tenantId, caller, row.id, call.record.interactionId), Promise.race([call.say(verb.announcement ?? DEFAULT_ANNOUNCEMENT), opened])]);
      if ('error' in sent) {
        await this.settle(row.id, 'failed');
        await publish('deflect.sms.failed', { code: sent.error.code, reason: sent.error.message });
        await publish('deflect.resumed', { reason: 'sms_failed' });
        return 'resumed';
      }
      await publish('deflect.sms.sent', { messageId: sent.messageId, to: caller! });

      const outcome = await Promise.race([
        opened.then(() => 'opened' as const),
        sleep(Math.max(0, row.expires_at - Date.now())).then(() => 'timeout' as const),
        call.whenEnded().then(() => 'ended' as const),
        this.holdLoop(call, verb.holdAnnouncement ?? DEFAULT_HOLD, opened),
      ]);
      // Losing the race to expire means the link was opened at the last moment: honour it.
      if (outcome === 'opened' || !(await this.settle(row.id, 'expired'))) {
        // The opener's event may still be on its way from another process; the row already says opened.
        await Promise.race([opened, sleep(2000)]);
        if (ended(call)) return 'resumed';
        call.stopPlayback();
        await call.hangup('deflected');
        await publish('deflect.call.terminated', { cause: 'deflected' });
        return 'deflected';
      }
      call.stopPlayback();
      if (outcome === 'timeout') await publish('deflect.resumed', { reason: 'timeout' });
      return 'resumed';
    } finally {
      this.waiters.delete(row.id);
    }
  }

  private async sendLink(tenantId: string, caller: string | null, id: string, interactionId: string): Promise<{ messageId: string } | { error: CallsightError }> {
    if (!caller) return { error: new CallsightError('no_caller_number', 'The caller has no phone number to text', { status: 409 }) };
    const sms = this.ctx.services.maybe('sms');
    if (!sms) return { error: new CallsightError('sms_not_configured', 'No SMS gateway is configured', { status: 503 }) };
    const link = `${this.baseUrl()}/d/${this.links.tokenFor(id)}`;
    try {
      return await sms.send(tenantId, { to: caller, text: `Continue in chat: ${link}`, interactionId });
    } catch (err) {
      return { error: err instanceof CallsightError ? err : new CallsightError('sms_failed', String(err), { status: 502 }) };
    }
  }

  /** The hold announcement, again and again, until the link is opened or the call ends (never resolves first). */
  private async holdLoop(call: Call, text: string, opened: Promise<void>): Promise<never> {
    let done = false;
    void opened.then(() => (done = true));
    while (!done && !ended(call)) {
      await sleep(HOLD_GAP_MS);
      if (done || ended(call)) break;
      await call.say(text).catch(() => {});
    }
    return new Promise<never>(() => {});
  }

  /** offered → `state`; false when the offer was already settled (opened, most likely). */
  private async settle(id: string, state: 'expired' | 'failed'): Promise<boolean> {
    const r = await this.ctx.store.db.updateTable('deflections').set({ state }).where('id', '=', id).where('state', '=', 'offered').executeTakeFirst();
    return r.numUpdatedRows > 0n;
  }

  // ---- the link side -----------------------------------------------------------------

  /** GET /d/<token>: once, before expiry, it moves the caller to chat; anything else has no effect. */
  async open(token: string): Promise<LinkOutcome> {
    const id = this.links.read(token);
    if (!id) return { kind: 'invalid' };
    const row = await this.ctx.store.db.selectFrom('deflections').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) return { kind: 'invalid' };
    const now = Date.now();
    if (row.state !== 'offered') return { kind: row.state === 'opened' ? 'used' : 'expired' };
    if (Number(row.expires_at) <= now) return { kind: 'expired' };
    const won = await this.ctx.store.db
      .updateTable('deflections')
      .set({ state: 'opened', opened_at: now })
      .where('id', '=', id)
      .where('state', '=', 'offered')
      .where('expires_at', '>', now)
      .executeTakeFirst();
    if (won.numUpdatedRows === 0n) return { kind: 'used' };

    const tenant = (await this.ctx.tenants.get(row.tenant_id))!;
    let started;
    try {
      started = await this.ctx.services.get('chat').startConversation({
        tenantId: row.tenant_id,
        name: row.caller,
        customerId: null,
        queueName: row.queue,
        subject: `Call from ${row.caller} moved to chat`,
        message: null,
        interactionId: row.interaction_id,
        context: { deflectedCallId: row.call_id, callerNumber: row.caller, digits: row.digits, interactionId: row.interaction_id },
      });
    } catch (err) {
      // No chat, no deflection: the offer stands and the caller stays on the line.
      await this.ctx.store.db.updateTable('deflections').set({ state: 'offered', opened_at: null }).where('id', '=', id).execute();
      throw err;
    }
    const conv = started.conversation;
    await this.ctx.services.get('chat').post(conv, 'system', null, 'callsight', `Moved from a phone call by ${row.caller}${row.digits ? ` (menu digits ${row.digits})` : ''}.`);
    await this.ctx.store.db.updateTable('deflections').set({ conversation_id: conv.id }).where('id', '=', id).execute();
    await this.ctx.bus.publish({ tenantId: row.tenant_id, type: 'deflect.link.opened', interactionId: row.interaction_id, data: { deflectionId: id, callId: row.call_id, conversationId: conv.id } });
    return { kind: 'chat', tenantSlug: tenant.slug, queue: row.queue, visitorToken: started.token };
  }
}

/** A function, so TypeScript does not narrow a state that changes while we await. */
const ended = (call: Call) => call.state === 'ended';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref());
