import type { Webhook as WebhookInfo, WebhookDelivery } from '@callsight/protocol';
import { newId } from '../core/ids.js';
import { randomToken } from '../core/secrets.js';
import type { SecretBox } from '../core/secret-box.js';
import type { WebhookDeliveriesTable, WebhooksTable } from '../store/schema.js';
import { fromJson, toJson, type Store } from '../store/store.js';

/** A webhook as stored: the API's shape plus its tenant. */
export type Webhook = WebhookInfo & { tenantId: string };
export type { WebhookDelivery };

const toWebhook = (r: WebhooksTable): Webhook => ({
  id: r.id,
  tenantId: r.tenant_id,
  url: r.url,
  types: fromJson<string[]>(r.types),
  description: r.description,
  createdAt: Number(r.created_at),
});

export const toDelivery = (r: WebhookDeliveriesTable): WebhookDelivery => ({
  id: r.id,
  webhookId: r.webhook_id,
  eventId: r.event_id,
  status: r.status,
  attempts: r.attempts,
  nextAttemptAt: Number(r.next_attempt_at),
  lastStatus: r.last_status,
  lastError: r.last_error,
  createdAt: Number(r.created_at),
  deliveredAt: r.delivered_at == null ? null : Number(r.delivered_at),
});

export class WebhookRepo {
  constructor(
    private readonly store: Store,
    private readonly box: SecretBox,
  ) {}

  async create(input: { tenantId: string; url: string; types: string[]; description?: string | null }) {
    const secret = `whsec_${randomToken(24)}`;
    const id = newId('whk');
    const row: WebhooksTable = {
      id,
      tenant_id: input.tenantId,
      url: input.url,
      types: toJson(input.types),
      description: input.description ?? null,
      secret_sealed: this.box.seal(secret, id),
      created_at: Date.now(),
      disabled_at: null,
    };
    await this.store.db.insertInto('webhooks').values(row).execute();
    return { webhook: toWebhook(row), secret };
  }

  async list(tenantId: string): Promise<Webhook[]> {
    const rows = await this.store.db
      .selectFrom('webhooks')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('disabled_at', 'is', null)
      .orderBy('id')
      .execute();
    return rows.map(toWebhook);
  }

  /** Active subscriptions of all tenants with their secret, for the dispatcher. */
  async allActive(): Promise<(Webhook & { secret: string })[]> {
    const rows = await this.store.db.selectFrom('webhooks').selectAll().where('disabled_at', 'is', null).execute();
    return rows.map((r) => ({ ...toWebhook(r), secret: this.box.open(r.secret_sealed, r.id) }));
  }

  async get(tenantId: string, id: string): Promise<Webhook | undefined> {
    const r = await this.store.db
      .selectFrom('webhooks')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .where('disabled_at', 'is', null)
      .executeTakeFirst();
    return r && toWebhook(r);
  }

  async disable(tenantId: string, id: string): Promise<boolean> {
    const res = await this.store.db
      .updateTable('webhooks')
      .set({ disabled_at: Date.now() })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .where('disabled_at', 'is', null)
      .executeTakeFirst();
    return Number(res.numUpdatedRows) > 0;
  }

  async deliveries(tenantId: string, webhookId: string, limit: number): Promise<WebhookDelivery[]> {
    const rows = await this.store.db
      .selectFrom('webhook_deliveries')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('webhook_id', '=', webhookId)
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
    return rows.map(toDelivery);
  }
}
