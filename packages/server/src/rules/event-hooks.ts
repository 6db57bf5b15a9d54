import type { CreatedEventHook, EventHook, EventHookScheme, IngestResult } from '@callsight/protocol';
import type { AppContext } from '../app-context.js';
import { badRequest, CallsightError, notFound } from '../core/errors.js';
import { newId } from '../core/ids.js';
import { hookEventType, newHookSecret, secretProblem, verifyDelivery, type HookHeaders } from './hook-signatures.js';
import type { RulesService } from './rules-service.js';
import type { RuleEventHooksTable } from './rules-tables.js';
import './rules-tables.js';

/** Prefixes of platform events: a hook's events must not pass for the platform's own. */
const RESERVED_PREFIXES = ['call', 'chat', 'sms', 'routing', 'rules', 'confirm', 'deflect', 'callback', 'room', 'user', 'session', 'apikey', 'ingest', 'app'];

export const hookPath = (id: string) => `/api/events/hooks/${id}`;

const toHook = (r: RuleEventHooksTable): EventHook => ({
  id: r.id,
  name: r.name,
  scheme: r.scheme,
  typePrefix: r.type_prefix,
  path: hookPath(r.id),
  createdAt: Number(r.created_at),
  accepted: Number(r.accepted),
  refused: Number(r.refused),
  lastDeliveryAt: r.last_delivery_at == null ? null : Number(r.last_delivery_at),
  lastRefusal: r.last_refusal,
  lastRefusalAt: r.last_refusal_at == null ? null : Number(r.last_refusal_at),
});

export interface NewEventHook {
  name: string;
  scheme: EventHookScheme;
  typePrefix?: string;
  /** The sender's own secret (Stripe's whsec_…); made here when absent. */
  secret?: string;
}

/**
 * Incoming webhooks: a signed delivery from another system is checked against its hook's
 * secret and then ingested like any business event (deduplicated by the sender's delivery id).
 */
export class EventHooks {
  constructor(
    private readonly ctx: AppContext,
    private readonly rules: RulesService,
  ) {}

  private get db() {
    return this.ctx.store.db;
  }

  // The row id is in the AAD, so a sealed secret copied onto another hook does not open.
  private seal = (id: string, secret: string) => this.ctx.secretBox.seal(secret, `event-hook:${id}`);

  async list(tenantId: string): Promise<EventHook[]> {
    const rows = await this.db.selectFrom('rule_event_hooks').selectAll().where('tenant_id', '=', tenantId).orderBy('created_at').orderBy('id').execute();
    return rows.map(toHook);
  }

  async create(tenantId: string, input: NewEventHook): Promise<CreatedEventHook> {
    const prefix = (input.typePrefix ?? (input.scheme === 'standard' ? slug(input.name) : input.scheme)).toLowerCase();
    const issues = [];
    if (!/^[a-z][a-z0-9_-]{0,29}$/.test(prefix)) issues.push({ path: 'body.typePrefix', message: 'a letter, then up to 29 letters, digits, dashes or underscores' });
    else if (RESERVED_PREFIXES.includes(prefix)) issues.push({ path: 'body.typePrefix', message: `“${prefix}” is used by callsight’s own events` });
    const problem = input.secret === undefined ? null : secretProblem(input.scheme, input.secret);
    if (problem) issues.push({ path: 'body.secret', message: problem });
    if (input.scheme === 'stripe' && input.secret === undefined) issues.push({ path: 'body.secret', message: 'paste the signing secret Stripe shows for this endpoint' });
    if (issues.length) throw badRequest('event_hook_invalid', `Invalid incoming webhook: ${issues.map((i) => i.path).join(', ')}`, issues);
    const id = newId('hook');
    const secret = input.secret ?? newHookSecret(input.scheme);
    const row: RuleEventHooksTable = {
      id,
      tenant_id: tenantId,
      name: input.name,
      scheme: input.scheme,
      type_prefix: prefix,
      secret_sealed: this.seal(id, secret),
      created_at: Date.now(),
      accepted: 0,
      refused: 0,
      last_delivery_at: null,
      last_refusal: null,
      last_refusal_at: null,
    };
    await this.db.insertInto('rule_event_hooks').values(row).execute();
    return { ...toHook(row), secret };
  }

  async remove(tenantId: string, id: string): Promise<void> {
    const r = await this.db.deleteFrom('rule_event_hooks').where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
    if (!r.numDeletedRows) throw notFound('Incoming webhook');
  }

  /** One delivery: verified over the raw body, then ingested; a refusal is counted and its reason kept for the admin page. */
  async deliver(id: string, rawBody: string, headers: HookHeaders): Promise<IngestResult> {
    const row = await this.db.selectFrom('rule_event_hooks').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound('Incoming webhook');
    const verdict = verifyDelivery(row.scheme, this.ctx.secretBox.open(row.secret_sealed, `event-hook:${id}`), rawBody, headers);
    if (!verdict.ok) {
      await this.refused(id, verdict.reason);
      throw new CallsightError('hook_signature_invalid', `Delivery refused: ${verdict.reason}`, { status: 401 });
    }
    const d = verdict.delivery;
    let result: IngestResult;
    try {
      result = await this.rules.ingest(row.tenant_id, {
        specversion: '1.0',
        id: d.deliveryId,
        source: `callsight:hook/${id}`,
        type: hookEventType(row.type_prefix, d.type),
        ...(d.timeMs !== null ? { time: new Date(d.timeMs).toISOString() } : {}),
        data: d.data,
      });
    } catch (err) {
      // The signature was right but the event was not one callsight takes (too large, against its type's schema).
      if (err instanceof CallsightError && err.status === 400) await this.refused(id, err.message);
      throw err;
    }
    await this.db
      .updateTable('rule_event_hooks')
      .set((eb) => ({ accepted: eb('accepted', '+', result.accepted ? 1 : 0), last_delivery_at: Date.now() }))
      .where('id', '=', id)
      .execute();
    return result;
  }

  private async refused(id: string, reason: string): Promise<void> {
    await this.db
      .updateTable('rule_event_hooks')
      .set((eb) => ({ refused: eb('refused', '+', 1), last_refusal: reason.slice(0, 300), last_refusal_at: Date.now() }))
      .where('id', '=', id)
      .execute();
  }
}

function slug(name: string): string {
  const s = name
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^[^a-z]+|_+$/g, '')
    .slice(0, 30);
  return s || 'hook';
}
