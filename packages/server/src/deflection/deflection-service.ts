import type { AppContext } from '../app-context.js';
import type { Subscription } from '../bus/event-bus.js';
import { CallsightError } from '../core/errors.js';
import { newId } from '../core/ids.js';
import type { Call } from '../calls/call.js';
import type { Verb } from '../calls/flows/flow-schema.js';
import type { DeflectVerb } from './deflect-verb.js';
import type { PhoneNumber } from '../calls/number-repo.js';
import { gatherFacts } from './call-facts.js';
import { CallbackService } from './callback-service.js';
import { phoneOf } from './caller-type.js';
import { DeflectLinks } from './deflect-link.js';
import { DeflectionMetrics } from './deflection-metrics.js';
import { stepPublisher } from './deflection-steps.js';
import { LinkActions } from './link-actions.js';
import { matchRule, rulesSchema, type DeflectionRule, type RuleAction } from './deflection-rules.js';
import type { DeflectionContext, DeflectionsTable, DeflectionTarget } from './deflection-tables.js';

declare module '../core/services.js' {
  interface Services {
    deflection: DeflectionService;
  }
}

const DEFAULT_ANNOUNCEMENT: Record<DeflectionTarget, string> = {
  chat: 'We have sent you a text message with a link to continue this conversation in chat.',
  menu: 'We have sent you a text message with a link to our menu, where you can chat with us, leave a message or book a call back.',
  callback: 'We have sent you a text message with a link to book a call back at a time that suits you.',
};
const DEFAULT_HOLD = 'Open the link in our text message to continue, or stay on the line.';
const SMS_TEXT: Record<DeflectionTarget, string> = {
  chat: 'Continue in chat',
  menu: 'Choose how we can help',
  callback: 'Book a call back',
};
/** Silence between hold announcements. */
const HOLD_GAP_MS = 3000;
/** Outbound calls that end with these causes before an answer may get a link (`cancelled`: our ring timeout ran out). */
const UNANSWERED = new Set(['busy', 'declined', 'no_answer', 'unavailable', 'cancelled', 'failed']);
const ACTION_TARGET: Record<Exclude<RuleAction, 'continue'>, DeflectionTarget> = { deflect_chat: 'chat', deflect_menu: 'menu', deflect_callback: 'callback' };

/**
 * Moves a caller from the phone to the web: a one-time SMS link, the call on
 * hold until it is opened (then the call ends and the caller continues in
 * chat, on a visual menu or on a callback booking page, with the call's
 * context) or the offer times out (the flow goes on). Outbound campaign calls
 * that are not answered get the same link by SMS, per the number's rules.
 *
 * The link may be opened on any process; the process holding the call learns
 * it from `deflect.link.opened` on the bus (every process subscribes).
 */
export class DeflectionService {
  readonly links: DeflectLinks;
  readonly metrics: DeflectionMetrics;
  readonly callbacks: CallbackService;
  /** The link pages' side: opening a link, choosing on its page. */
  readonly pages: LinkActions;
  private readonly waiters = new Map<string, () => void>();
  private subs: Subscription[] = [];

  constructor(
    private readonly ctx: AppContext,
    private readonly baseUrl: () => string,
  ) {
    this.links = new DeflectLinks(ctx.secretBox);
    this.metrics = new DeflectionMetrics(ctx.metrics.registry);
    this.callbacks = new CallbackService(ctx, this.metrics);
    this.pages = new LinkActions(ctx, this.links, this.callbacks, this.metrics);
  }

  async start(): Promise<void> {
    this.subs.push(await this.ctx.bus.subscribe({ types: ['deflect.link.opened'] }, (e) => this.waiters.get((e.data as { deflectionId: string }).deflectionId)?.()));
    this.callbacks.start();
  }

  async stop(): Promise<void> {
    this.callbacks.stop();
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

  /** The verbs to run before a number's flow: a `deflect` when its inbound rules say so. */
  async verbsBefore(call: Call, number: PhoneNumber): Promise<Verb[]> {
    const rules = await this.rules(number.tenantId, number.id);
    if (!rules.some((r) => (r.direction ?? 'inbound') === 'inbound')) return [];
    const facts = await gatherFacts(this.ctx, rules, {
      tenantId: number.tenantId,
      direction: 'inbound',
      otherParty: phoneOf(call.record.from),
      interactionId: call.record.interactionId,
    });
    const rule = matchRule(rules, facts);
    if (!rule || rule.then === 'continue') return [];
    return [deflectOptions(rule)];
  }

  // ---- the call side -----------------------------------------------------------------

  async deflect(call: Call, verb: DeflectVerb): Promise<'deflected' | 'resumed'> {
    const tenantId = call.record.tenantId;
    const caller = phoneOf(call.record.from);
    const number = await this.ctx.services.maybe('telephony')?.numbers.lookup(call.record.to);
    const row = await this.insert({
      tenantId,
      callId: call.id,
      interactionId: call.record.interactionId,
      caller: caller ?? call.record.from,
      target: verb.to,
      queue: verb.queue,
      digits: call.digits,
      expiresAt: Date.now() + verb.timeoutSeconds * 1000,
      numberId: number?.tenantId === tenantId ? number.id : null,
      flowId: call.record.flowId ?? (number?.tenantId === tenantId ? number.flowId : null),
      context: { direction: 'inbound' },
    });
    const publish = this.publisher(row);

    // Armed before the SMS leaves: a fast caller may open the link before send() returns.
    let wake!: () => void;
    const opened = new Promise<void>((r) => (wake = r));
    this.waiters.set(row.id, () => {
      wake();
      // Cut the announcement short: the caller has already moved on.
      call.stopPlayback();
    });
    try {
      const [sent] = await Promise.all([this.sendLink(row), Promise.race([call.say(verb.announcement ?? DEFAULT_ANNOUNCEMENT[verb.to]), opened])]);
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

  /**
   * An outbound call placed for `campaign`: when it ends unanswered (busy,
   * declined, no answer…), the calling number's outbound rules decide whether
   * the called party gets a link by SMS. There is no call to hold: the link
   * opens chat, the menu or a callback page with the campaign's context.
   */
  watchCampaignCall(call: Call, campaign: string): void {
    let answered = false;
    call.leg.once('answered', () => (answered = true));
    void call
      .whenEnded()
      .then(async (cause) => {
        if (answered || call.record.answeredAt || !UNANSWERED.has(cause)) return;
        await this.offerAfterUnanswered(call, campaign, cause);
      })
      .catch((err) => this.ctx.log.error({ err, callId: call.id }, 'campaign deflection failed'));
  }

  private async offerAfterUnanswered(call: Call, campaign: string, cause: string): Promise<void> {
    const tenantId = call.record.tenantId;
    const number = await this.ctx.services.get('telephony').numbers.lookup(phoneOf(call.record.from) ?? call.record.from);
    if (!number || number.tenantId !== tenantId) return;
    const rules = await this.rules(tenantId, number.id);
    if (!rules.some((r) => r.direction === 'outbound')) return;
    const called = phoneOf(call.record.to);
    const facts = await gatherFacts(this.ctx, rules, { tenantId, direction: 'outbound', otherParty: called, interactionId: call.record.interactionId, campaign });
    const rule = matchRule(rules, facts);
    if (!rule || rule.then === 'continue') return;
    const opts = deflectOptions(rule);
    const row = await this.insert({
      tenantId,
      callId: call.id,
      interactionId: call.record.interactionId,
      caller: called ?? call.record.to,
      target: opts.to,
      queue: opts.queue,
      digits: '',
      // No caller waits on the line: the link stays valid for hours, not minutes.
      expiresAt: Date.now() + Math.max(opts.timeoutSeconds, 24 * 3600) * 1000,
      numberId: number.id,
      flowId: number.flowId,
      context: { direction: 'outbound', campaign, callOutcome: cause },
    });
    const publish = this.publisher(row);
    const sent = await this.sendLink(row, number.number);
    if ('error' in sent) {
      await this.settle(row.id, 'failed');
      await publish('deflect.sms.failed', { code: sent.error.code, reason: sent.error.message });
      return;
    }
    await publish('deflect.sms.sent', { messageId: sent.messageId, to: row.caller });
  }

  private async insert(i: {
    tenantId: string;
    callId: string;
    interactionId: string;
    caller: string;
    target: DeflectionTarget;
    queue: string;
    digits: string;
    expiresAt: number;
    numberId: string | null;
    flowId: string | null;
    context: DeflectionContext;
  }): Promise<DeflectionsTable> {
    const row: DeflectionsTable = {
      id: newId('dfl'),
      tenant_id: i.tenantId,
      call_id: i.callId,
      interaction_id: i.interactionId,
      caller: i.caller,
      target: i.target,
      queue: i.queue,
      state: 'offered',
      digits: i.digits,
      conversation_id: null,
      expires_at: i.expiresAt,
      opened_at: null,
      created_at: Date.now(),
      number_id: i.numberId,
      flow_id: i.flowId,
      context: JSON.stringify(i.context),
      completed_at: null,
    };
    await this.ctx.store.db.insertInto('deflections').values(row).execute();
    await this.publisher(row)('deflect.offered', {
      to: row.target,
      caller: row.caller,
      expiresAt: row.expires_at,
      direction: i.context.direction,
      ...(i.context.campaign ? { campaign: i.context.campaign } : {}),
    });
    return row;
  }

  private publisher(row: DeflectionsTable) {
    return stepPublisher(this.ctx, this.metrics, row);
  }

  private async sendLink(row: DeflectionsTable, from?: string): Promise<{ messageId: string } | { error: CallsightError }> {
    if (!phoneOf(row.caller)) return { error: new CallsightError('no_caller_number', 'The caller has no phone number to text', { status: 409 }) };
    const sms = this.ctx.services.maybe('sms');
    if (!sms) return { error: new CallsightError('sms_not_configured', 'No SMS gateway is configured', { status: 503 }) };
    const link = `${this.baseUrl()}/d/${this.links.tokenFor(row.id)}`;
    try {
      return await sms.send(row.tenant_id, { to: row.caller, from, text: `${SMS_TEXT[row.target]}: ${link}`, interactionId: row.interaction_id });
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

}

function deflectOptions(rule: DeflectionRule): DeflectVerb {
  const o = rule.options ?? {};
  return {
    verb: 'deflect',
    to: ACTION_TARGET[rule.then as Exclude<RuleAction, 'continue'>],
    queue: o.queue ?? 'support',
    timeoutSeconds: o.timeoutSeconds ?? 120,
    ...(o.announcement ? { announcement: o.announcement } : {}),
  };
}

/** A function, so TypeScript does not narrow a state that changes while we await. */
const ended = (call: Call) => call.state === 'ended';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref());
