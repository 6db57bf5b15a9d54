import type { AppContext } from '../app-context.js';
import { badRequest } from '../core/errors.js';
import type { CallbackService } from './callback-service.js';
import type { DeflectLinks } from './deflect-link.js';
import type { DeflectionAction } from '@callsight/protocol';
import type { DeflectionMetrics } from './deflection-metrics.js';
import { contextOf, stepPublisher } from './deflection-steps.js';
import type { DeflectionContext, DeflectionsTable } from './deflection-tables.js';
import { menuChoices, type MenuChoice } from './menu-choices.js';

/** What opening a link (or acting on its page) led to, for the page the caller sees. */
export type LinkOutcome =
  | { kind: 'chat'; tenantSlug: string; queue: string; visitorToken: string }
  | { kind: 'menu'; token: string; choices: MenuChoice[]; slots: number[] }
  | { kind: 'callback'; token: string; slots: number[] }
  | { kind: 'message_sent' }
  | { kind: 'callback_booked'; slotAt: number; asap: boolean }
  | { kind: 'invalid' | 'used' | 'expired' };

export interface LinkAction {
  action: DeflectionAction;
  /** The menu branch picked (digits), if any. */
  choice?: string;
  message?: string;
  slotAt?: number;
}

/** A menu or callback page stays usable this long after the link is first opened. */
const PAGE_GRACE_MS = 30 * 60_000;

/**
 * The caller's side of a deflection link (`/d/<token>`): opening it (once,
 * before expiry) and the choice made on a menu or callback page. A forged,
 * reused or expired link has no effect on any call.
 */
export class LinkActions {
  constructor(
    private readonly ctx: AppContext,
    private readonly links: DeflectLinks,
    private readonly callbacks: CallbackService,
    private readonly metrics: DeflectionMetrics,
  ) {}

  private publisher(row: DeflectionsTable) {
    return stepPublisher(this.ctx, this.metrics, row);
  }

  /**
   * GET /d/<token>: once, before expiry, it moves the caller on (ending the call
   * if one waits): to chat at once, or to the menu / callback page, which stays
   * usable for a while until the caller has chosen. Anything else has no effect.
   */
  async open(token: string): Promise<LinkOutcome> {
    const row = await this.byToken(token);
    if ('kind' in row) return row;
    const now = Date.now();
    if (row.target !== 'chat' && row.state === 'opened' && Number(row.opened_at) + PAGE_GRACE_MS > now) return this.pageFor(row, token);
    if (row.state !== 'offered') return { kind: row.state === 'opened' || row.state === 'completed' ? 'used' : 'expired' };
    if (Number(row.expires_at) <= now) return { kind: 'expired' };
    const won = await this.ctx.store.db
      .updateTable('deflections')
      .set({ state: 'opened', opened_at: now })
      .where('id', '=', row.id)
      .where('state', '=', 'offered')
      .where('expires_at', '>', now)
      .executeTakeFirst();
    if (won.numUpdatedRows === 0n) return { kind: 'used' };

    if (row.target !== 'chat') {
      await this.publisher(row)('deflect.link.opened', { conversationId: null });
      return this.pageFor({ ...row, state: 'opened', opened_at: now }, token);
    }
    let started;
    try {
      started = await this.startChat(row, null, null);
    } catch (err) {
      // No chat, no deflection: the offer stands and the caller stays on the line.
      await this.ctx.store.db.updateTable('deflections').set({ state: 'offered', opened_at: null }).where('id', '=', row.id).execute();
      throw err;
    }
    await this.ctx.store.db.updateTable('deflections').set({ conversation_id: started.conversationId }).where('id', '=', row.id).execute();
    await this.publisher(row)('deflect.link.opened', { conversationId: started.conversationId });
    return started.outcome;
  }

  /** POST /d/<token>: the caller's choice on a menu or callback page. Bad input → 400 with the field, nothing changes. */
  async act(token: string, input: LinkAction): Promise<LinkOutcome> {
    const row = await this.byToken(token);
    if ('kind' in row) return row;
    if (row.target === 'chat') return { kind: 'invalid' };
    if (row.state === 'completed') return { kind: 'used' };
    if (row.state !== 'opened' || Number(row.opened_at) + PAGE_GRACE_MS <= Date.now()) return { kind: 'expired' };

    const choices = row.target === 'menu' ? await this.choicesOf(row) : [];
    const choice = input.choice === undefined ? null : choices.find((c) => c.digits === input.choice);
    if (choice === undefined) throw badRequest('invalid_choice', 'Pick one of the menu’s choices', [{ path: 'body.choice', message: 'not one of the menu’s choices' }]);
    if (row.target === 'callback' && input.action !== 'callback') throw badRequest('invalid_action', 'This link books a call back', [{ path: 'body.action', message: 'must be callback' }]);
    const message = input.message?.trim();
    if (input.action === 'message' && !message) throw badRequest('invalid_message', 'Write a message', [{ path: 'body.message', message: 'required' }]);
    if (input.action === 'callback' && (input.slotAt === undefined || !this.callbacks.isOffered(input.slotAt)))
      throw badRequest('invalid_slot', 'Pick one of the offered times', [{ path: 'body.slotAt', message: 'not an offered time' }]);

    // One choice per link: whoever completes it first wins.
    const won = await this.ctx.store.db.updateTable('deflections').set({ state: 'completed', completed_at: Date.now() }).where('id', '=', row.id).where('state', '=', 'opened').executeTakeFirst();
    if (won.numUpdatedRows === 0n) return { kind: 'used' };
    const context: DeflectionContext = { ...contextOf(row), ...(choice ? { choice } : {}) };
    await this.ctx.store.db.updateTable('deflections').set({ context: JSON.stringify(context) }).where('id', '=', row.id).execute();

    let outcome: LinkOutcome;
    let conversationId: string | null = null;
    let callbackId: string | null = null;
    try {
      if (input.action === 'callback') {
        const cb = await this.callbacks.book({
          tenantId: row.tenant_id,
          interactionId: row.interaction_id,
          deflectionId: row.id,
          caller: row.caller,
          fromNumber: row.number_id ? ((await this.ctx.services.maybe('telephony')?.numbers.get(row.tenant_id, row.number_id))?.number ?? null) : null,
          queue: row.queue,
          slotAt: Math.max(input.slotAt!, Date.now()),
          context: { ...context, deflectedCallId: row.call_id, callerNumber: row.caller, digits: row.digits },
        });
        callbackId = cb.id;
        outcome = { kind: 'callback_booked', slotAt: cb.slotAt, asap: input.slotAt! <= Date.now() };
      } else {
        const started = await this.startChat({ ...row, context: JSON.stringify(context) }, choice, input.action === 'message' ? message! : null);
        conversationId = started.conversationId;
        await this.ctx.store.db.updateTable('deflections').set({ conversation_id: conversationId }).where('id', '=', row.id).execute();
        outcome = input.action === 'message' ? { kind: 'message_sent' } : started.outcome;
      }
    } catch (err) {
      // Nothing was handed over (no chat queue, store down…): the page stays usable for another try.
      await this.ctx.store.db.updateTable('deflections').set({ state: 'opened', completed_at: null, context: row.context }).where('id', '=', row.id).execute();
      throw err;
    }
    await this.publisher(row)('deflect.chosen', { action: input.action, choice: choice ?? null, conversationId, callbackId });
    return outcome;
  }

  private async byToken(token: string): Promise<DeflectionsTable | { kind: 'invalid' }> {
    const id = this.links.read(token);
    if (!id) return { kind: 'invalid' };
    const row = await this.ctx.store.db.selectFrom('deflections').selectAll().where('id', '=', id).executeTakeFirst();
    return row ?? { kind: 'invalid' };
  }

  private async pageFor(row: DeflectionsTable, token: string): Promise<LinkOutcome> {
    const slots = this.callbacks.slots();
    return row.target === 'menu' ? { kind: 'menu', token, choices: await this.choicesOf(row), slots } : { kind: 'callback', token, slots };
  }

  private async choicesOf(row: DeflectionsTable): Promise<MenuChoice[]> {
    if (!row.flow_id) return [];
    const flow = await this.ctx.services.maybe('telephony')?.flows.get(row.tenant_id, row.flow_id);
    return flow ? menuChoices(flow.verbs) : [];
  }

  /** A chat (or, with `message`, a left message) queued to agents with the call's context. */
  private async startChat(row: DeflectionsTable, choice: MenuChoice | null, message: string | null) {
    const context = contextOf(row);
    const tenant = (await this.ctx.tenants.get(row.tenant_id))!;
    const chat = this.ctx.services.get('chat');
    const via = context.campaign ? `after a call from campaign ${context.campaign} (${context.callOutcome})` : 'from a phone call';
    const started = await chat.startConversation({
      tenantId: row.tenant_id,
      name: row.caller,
      customerId: null,
      queueName: row.queue,
      subject: message ? `Message from ${row.caller}` : `Call from ${row.caller} moved to chat`,
      message,
      interactionId: row.interaction_id,
      context: {
        deflectedCallId: row.call_id,
        callerNumber: row.caller,
        digits: row.digits,
        interactionId: row.interaction_id,
        ...(context.campaign ? { campaign: context.campaign, callOutcome: context.callOutcome } : {}),
        ...(choice ? { menuChoice: choice.digits, menuLabel: choice.label } : {}),
        ...(message ? { leftMessage: true } : {}),
      },
    });
    const conv = started.conversation;
    const detail = [row.digits ? `menu digits ${row.digits}` : '', choice ? `chose “${choice.label}” (${choice.digits})` : ''].filter(Boolean).join(', ');
    await chat.post(conv, 'system', null, 'callsight', `Moved ${via} by ${row.caller}${detail ? ` (${detail})` : ''}.`);
    return { conversationId: conv.id, outcome: { kind: 'chat', tenantSlug: tenant.slug, queue: row.queue, visitorToken: started.token } as LinkOutcome };
  }
}
