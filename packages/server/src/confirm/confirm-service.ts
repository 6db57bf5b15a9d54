import type { AppContext } from '../app-context.js';
import { isStaff, type Principal } from '../auth/principal.js';
import { badRequest, CallsightError, conflict, forbidden, notFound } from '../core/errors.js';
import { newId } from '../core/ids.js';
import { canonicalJson, contentHash } from './canonical-json.js';
import { CardLinks, type SendSms } from './card-links.js';
import { diffValues, isCorrection, mergeAnswer, orderTotal, templateFields, validateValues, type CardValues, type FieldIssue } from '@callsight/protocol';
import type { Card, CardAnswer, CardAnswerInput, CardContent, CardInput } from '@callsight/protocol';
import { ConfirmationChain } from './confirmation-chain.js';
import type { ConfirmCardsTable } from './confirm-tables.js';

export const DEFAULT_TTL_SECONDS = 300;

/** Why a card stopped waiting for an answer. */
export type CardExpiry = 'timeout' | 'call_ended';

const DEFAULT_TITLES: Record<CardInput['kind'], string> = {
  address: 'Confirm your address',
  payment: 'Confirm the payment',
  appointment: 'Choose an appointment',
  order: 'Confirm your order',
  identity: 'Confirm your identity',
  form: 'Please check these details',
};

const toCard = (r: ConfirmCardsTable): Card => ({
  id: r.id,
  interactionId: r.interaction_id,
  customerId: r.customer_id,
  version: Number(r.version),
  kind: r.kind as Card['kind'],
  content: JSON.parse(r.content) as CardContent,
  contentHash: r.content_hash,
  status: r.status,
  presentedBy: r.presented_by,
  expiresAt: Number(r.expires_at),
  answer: r.answer ? (JSON.parse(r.answer) as CardAnswer) : null,
  createdAt: Number(r.created_at),
  updatedAt: Number(r.updated_at),
});

const invalid = (issues: FieldIssue[]) =>
  badRequest('card_invalid', `Card values do not pass validation: ${issues.map((i) => `${i.path} ${i.message}`).join('; ')}`, issues);

/** Builds exactly what the customer will see from the agent's input, and checks it. */
export function buildContent(input: CardInput): CardContent {
  if (input.kind === 'form' && !input.fields?.length) throw badRequest('card_invalid', 'A form card needs fields', [{ path: 'body.fields', message: 'is required for form cards' }]);
  if (input.kind !== 'form' && input.fields) throw badRequest('card_invalid', `A ${input.kind} card has fixed fields`, [{ path: 'body.fields', message: 'only form cards take fields' }]);
  if (input.kind === 'appointment' && !input.slots?.length) throw badRequest('card_invalid', 'An appointment card needs slots', [{ path: 'body.slots', message: 'is required for appointment cards' }]);
  if (input.kind === 'order' && !input.items?.length) throw badRequest('card_invalid', 'An order card needs items', [{ path: 'body.items', message: 'is required for order cards' }]);
  const fields = input.kind === 'form' ? input.fields! : templateFields(input.kind, { slots: input.slots });
  if (input.kind === 'form') {
    const names = new Set<string>();
    for (const [i, f] of fields.entries()) {
      if (names.has(f.name)) throw badRequest('card_invalid', `Field name ${f.name} is used twice`, [{ path: `body.fields.${i}.name`, message: 'is a duplicate' }]);
      names.add(f.name);
      if (f.type === 'enum' && !f.options?.length) throw badRequest('card_invalid', `Enum field ${f.name} needs options`, [{ path: `body.fields.${i}.options`, message: 'is required for enum fields' }]);
    }
  }
  const values: CardValues = { ...(input.values ?? {}) };
  if (input.kind === 'order') values.total = orderTotal(input.items!);
  const issues = validateValues(fields, values, { complete: false, pathPrefix: 'body.values' });
  if (issues.length) throw invalid(issues);
  return {
    kind: input.kind,
    title: input.title ?? DEFAULT_TITLES[input.kind],
    message: input.message ?? null,
    fields,
    values,
    items: input.kind === 'order' ? input.items! : null,
  };
}

declare module '../core/services.js' {
  interface Services {
    /** Cards on a customer's screen during a call (`present`): the rules engine pushes cards through it. */
    confirm: ConfirmService;
  }
}

/** Who answers: the logged-in customer, or whoever holds a one-time link. */
export type Answerer = { via: 'app'; principal: Principal } | { via: 'link'; tenantId: string; linkId: string };

/**
 * Cards pushed into a live interaction and the customer's answers. Every
 * presented version and every answer lands in the interaction's hash chain; the
 * card row holds the current state for fast reads.
 */
export class ConfirmService {
  readonly chain: ConfirmationChain;
  readonly links: CardLinks;

  constructor(
    private readonly ctx: AppContext,
    private readonly opts: { sendSms?: SendSms; onPresented?: (tenantId: string, card: Card) => void } = {},
  ) {
    this.chain = new ConfirmationChain(ctx.store);
    this.links = new CardLinks(ctx.store, ctx.secretBox);
  }

  async present(p: Principal, interactionId: string, input: CardInput): Promise<Card> {
    const interaction = await this.ctx.interactions.get(p.tenantId, interactionId);
    if (!interaction) throw notFound('Interaction');
    if (interaction.state !== 'open') throw conflict('interaction_closed', 'The interaction is closed: cards go to live interactions only');
    if (!interaction.customerId) throw conflict('interaction_without_customer', 'The interaction has no customer to show a card to');
    const content = buildContent(input);
    const now = Date.now();
    const row: ConfirmCardsTable = {
      id: newId('card'),
      tenant_id: p.tenantId,
      interaction_id: interactionId,
      customer_id: interaction.customerId,
      version: 1,
      kind: content.kind,
      content: canonicalJson(content),
      content_hash: contentHash(content),
      status: 'presented',
      presented_by: actorOf(p),
      expires_at: now + (input.ttlSeconds ?? DEFAULT_TTL_SECONDS) * 1000,
      answer: null,
      answered_at: null,
      created_at: now,
      updated_at: now,
    };
    await this.ctx.store.db.insertInto('confirm_cards').values(row).execute();
    const card = toCard(row);
    await this.recordPresented(p.tenantId, card, now);
    return card;
  }

  /** An agent's edit: a new version replaces what the customer sees; answers to the old one are refused. */
  async revise(p: Principal, cardId: string, expectedVersion: number, input: CardInput): Promise<Card> {
    const current = await this.getForStaff(p, cardId);
    if (current.version !== expectedVersion) throw staleVersion(current.version, expectedVersion);
    if (input.kind !== current.kind) throw badRequest('card_invalid', `This card is a ${current.kind} card`, [{ path: 'body.kind', message: `must be ${current.kind}` }]);
    const content = buildContent(input);
    const now = Date.now();
    const next = {
      version: current.version + 1,
      content: canonicalJson(content),
      content_hash: contentHash(content),
      status: 'presented' as const,
      presented_by: actorOf(p),
      expires_at: now + (input.ttlSeconds ?? DEFAULT_TTL_SECONDS) * 1000,
      answer: null,
      answered_at: null,
      updated_at: now,
    };
    const res = await this.ctx.store.db
      .updateTable('confirm_cards')
      .set(next)
      .where('tenant_id', '=', p.tenantId)
      .where('id', '=', cardId)
      .where('version', '=', expectedVersion)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) throw staleVersion((await this.find(p.tenantId, cardId))!.version, expectedVersion);
    const card = (await this.find(p.tenantId, cardId))!;
    await this.recordPresented(p.tenantId, card, now);
    return card;
  }

  async answer(who: Answerer, cardId: string, input: CardAnswerInput): Promise<Card> {
    const tenantId = who.via === 'app' ? who.principal.tenantId : who.tenantId;
    const card = await this.find(tenantId, cardId);
    if (who.via === 'app') {
      if (isStaff(who.principal) || !who.principal.userId) throw forbidden('Only the customer the card was shown to can answer it');
      // Another customer's card reads as absent, never as "not yours".
      if (!card || card.customerId !== who.principal.userId) throw notFound('Card');
    }
    if (!card) throw notFound('Card');
    if (card.version !== input.version) throw staleVersion(card.version, input.version);
    const now = Date.now();
    if (card.status === 'expired' || (card.status === 'presented' && card.expiresAt <= now)) {
      await this.expire(tenantId, card, now);
      throw new CallsightError('card_expired', `Card ${card.id} expired at ${new Date(card.expiresAt).toISOString()}; nothing was recorded`, { status: 409 });
    }
    if (card.status !== 'presented') throw conflict('card_already_answered', `Card ${card.id} version ${card.version} was already answered (${card.status})`);

    const answer = this.buildAnswer(card, input, who, now);
    const res = await this.ctx.store.db
      .updateTable('confirm_cards')
      .set({ status: answer.status, answer: canonicalJson(answer), answered_at: now, updated_at: now })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', card.id)
      .where('version', '=', card.version)
      .where('status', '=', 'presented')
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) {
      const latest = (await this.find(tenantId, card.id))!;
      if (latest.version !== input.version) throw staleVersion(latest.version, input.version);
      throw conflict('card_already_answered', `Card ${card.id} version ${card.version} was already answered (${latest.status})`);
    }
    const record = await this.chain.append({
      tenantId,
      interactionId: card.interactionId,
      cardId: card.id,
      cardVersion: card.version,
      type: 'answered',
      actor: answer.answeredBy,
      at: now,
      content: { shownContentHash: card.contentHash, answer },
    });
    const answered: Card = { ...card, status: answer.status, answer, updatedAt: now };
    await this.ctx.bus.publish({
      tenantId,
      type: 'confirm.answered',
      interactionId: card.interactionId,
      userIds: [card.customerId],
      data: {
        cardId: card.id,
        version: card.version,
        kind: card.kind,
        title: card.content.title,
        customerId: card.customerId,
        status: answer.status,
        values: answer.values,
        changes: answer.changes,
        reason: answer.reason,
        via: answer.via,
        answeredAt: now,
        contentHash: card.contentHash,
        recordHash: record.hash,
      },
    });
    return answered;
  }

  private buildAnswer(card: Card, input: CardAnswerInput, who: Answerer, now: number): CardAnswer {
    const base = { version: card.version, answeredBy: who.via === 'app' ? who.principal.userId! : `link:${who.linkId}`, via: who.via, at: now };
    if (input.decision === 'reject') {
      if (!input.reason?.trim()) throw badRequest('card_invalid', 'A rejection needs a reason', [{ path: 'body.reason', message: 'is required when rejecting' }]);
      return { ...base, decision: 'reject', status: 'rejected', values: null, changes: [], reason: input.reason.trim() };
    }
    const { fields, values: shown } = card.content;
    const edits = input.values ?? {};
    const issues: FieldIssue[] = [];
    for (const name of Object.keys(edits)) {
      const field = fields.find((f) => f.name === name);
      if (!field) issues.push({ path: `body.values.${name}`, message: 'is not a field of this card' });
      else if (field.readOnly && edits[name] !== (shown[name] ?? null)) issues.push({ path: `body.values.${name}`, message: `${field.label} cannot be changed` });
    }
    const values = mergeAnswer(fields, shown, edits);
    issues.push(...validateValues(fields, values, { complete: true, pathPrefix: 'body.values' }));
    if (issues.length) throw invalid(issues);
    const changes = diffValues(fields, shown, values);
    return { ...base, decision: 'confirm', status: isCorrection(changes) ? 'corrected' : 'confirmed', values, changes, reason: null };
  }

  /**
   * Marks a presented card expired once (any process may sweep), records and announces it.
   * `reason` says why: its time ran out, or the call it was shown on ended.
   */
  async expire(tenantId: string, card: Card, now = Date.now(), reason: CardExpiry = 'timeout'): Promise<boolean> {
    const res = await this.ctx.store.db
      .updateTable('confirm_cards')
      .set({ status: 'expired', updated_at: now })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', card.id)
      .where('version', '=', card.version)
      .where('status', '=', 'presented')
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) return false;
    await this.chain.append({
      tenantId,
      interactionId: card.interactionId,
      cardId: card.id,
      cardVersion: card.version,
      type: 'expired',
      actor: 'system',
      at: now,
      content: { expiresAt: card.expiresAt, reason },
    });
    await this.ctx.bus.publish({
      tenantId,
      type: 'confirm.expired',
      interactionId: card.interactionId,
      userIds: [card.customerId],
      data: { cardId: card.id, version: card.version, customerId: card.customerId, reason },
    });
    return true;
  }

  /**
   * The call a card was shown on is over: its still-open cards close with it, so
   * none is left on the customer's screen (or their next call's) after a hang-up.
   */
  async closeWithInteraction(tenantId: string, interactionId: string, now = Date.now()): Promise<number> {
    const rows = await this.ctx.store.db
      .selectFrom('confirm_cards')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('interaction_id', '=', interactionId)
      .where('status', '=', 'presented')
      .execute();
    let n = 0;
    for (const r of rows) if (await this.expire(tenantId, toCard(r), now, 'call_ended')) n++;
    return n;
  }

  /** Expires every presented card past its time; returns how many this call expired. */
  async expireDue(now = Date.now(), limit = 200): Promise<number> {
    const rows = await this.ctx.store.db
      .selectFrom('confirm_cards')
      .selectAll()
      .where('status', '=', 'presented')
      .where('expires_at', '<=', now)
      .limit(limit)
      .execute();
    let n = 0;
    for (const r of rows) if (await this.expire(r.tenant_id, toCard(r), now)) n++;
    return n;
  }

  /**
   * A one-time link to the card for a caller on a plain phone. Sent by SMS when a
   * gateway is configured and the customer has a number; otherwise returned for
   * the agent to read out.
   */
  async createLink(p: Principal, cardId: string, baseUrl: string): Promise<{ url: string; expiresAt: number; sentTo: string | null }> {
    const card = await this.getForStaff(p, cardId);
    if (card.status !== 'presented' || card.expiresAt <= Date.now()) throw conflict('card_not_open', `Card ${card.id} is ${card.status === 'presented' ? 'expired' : card.status}: no link for it`);
    const token = await this.links.create(p.tenantId, card.id, card.expiresAt);
    const url = `${baseUrl.replace(/\/+$/, '')}/c/${token}`;
    const customer = await this.ctx.users.get(p.tenantId, card.customerId);
    const to = customer?.phoneNumber ?? null;
    // An explicit sender (tests, embedders) wins; else the SMS gateway when one is configured.
    const gateway = this.ctx.services.maybe('sms');
    const sendSms: SendSms | undefined = this.opts.sendSms ?? (gateway && (async (n, text) => void (await gateway.send(p.tenantId, { to: n, text, interactionId: card.interactionId }))));
    if (sendSms && to) {
      await sendSms(to, `${card.content.title}: ${url}`);
      return { url, expiresAt: card.expiresAt, sentTo: to };
    }
    return { url, expiresAt: card.expiresAt, sentTo: null };
  }

  async find(tenantId: string, cardId: string): Promise<Card | undefined> {
    const r = await this.ctx.store.db.selectFrom('confirm_cards').selectAll().where('tenant_id', '=', tenantId).where('id', '=', cardId).executeTakeFirst();
    return r && toCard(r);
  }

  /** Staff see their tenant's cards; a customer sees only cards shown to them. */
  async getVisible(p: Principal, cardId: string): Promise<Card> {
    const card = await this.find(p.tenantId, cardId);
    if (!card || (!isStaff(p) && card.customerId !== p.userId)) throw notFound('Card');
    return card;
  }

  async list(p: Principal, q: { interactionId?: string; status?: Card['status'] }): Promise<Card[]> {
    let sel = this.ctx.store.db.selectFrom('confirm_cards').selectAll().where('tenant_id', '=', p.tenantId);
    if (!isStaff(p)) sel = sel.where('customer_id', '=', p.userId ?? '-');
    if (q.interactionId) sel = sel.where('interaction_id', '=', q.interactionId);
    if (q.status) sel = sel.where('status', '=', q.status);
    return (await sel.orderBy('id', 'asc').limit(500).execute()).map(toCard);
  }

  /** The interaction's confirmed data: the latest confirmed or corrected values of each card. */
  async confirmedData(tenantId: string, interactionId: string) {
    const rows = await this.ctx.store.db
      .selectFrom('confirm_cards')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('interaction_id', '=', interactionId)
      .where('status', 'in', ['confirmed', 'corrected'])
      .orderBy('id', 'asc')
      .execute();
    return rows.map(toCard).map((c) => ({
      cardId: c.id,
      version: c.version,
      kind: c.kind,
      title: c.content.title,
      status: c.status as 'confirmed' | 'corrected',
      values: c.answer!.values!,
      changes: c.answer!.changes,
      confirmedAt: c.answer!.at,
    }));
  }

  private async getForStaff(p: Principal, cardId: string): Promise<Card> {
    const card = await this.find(p.tenantId, cardId);
    if (!card) throw notFound('Card');
    return card;
  }

  private async recordPresented(tenantId: string, card: Card, now: number): Promise<void> {
    await this.chain.append({
      tenantId,
      interactionId: card.interactionId,
      cardId: card.id,
      cardVersion: card.version,
      type: 'presented',
      actor: card.presentedBy,
      at: now,
      content: { content: card.content, expiresAt: card.expiresAt },
    });
    this.opts.onPresented?.(tenantId, card);
    await this.ctx.bus.publish({
      tenantId,
      type: 'confirm.presented',
      interactionId: card.interactionId,
      userIds: [card.customerId],
      data: { cardId: card.id, version: card.version, customerId: card.customerId, presentedBy: card.presentedBy, contentHash: card.contentHash, expiresAt: card.expiresAt, card },
    });
  }
}

const actorOf = (p: Principal) => p.userId ?? p.apiKeyId ?? 'system';

const staleVersion = (current: number, given: number) =>
  conflict('card_version_stale', `The card is at version ${current}; version ${given} is no longer current`);
