import type { Channel, Interaction } from '@callsight/protocol';
import { newId } from '../core/ids.js';
import type { InteractionsTable } from './schema.js';
import { fromJson, toJson, type Store } from './store.js';

export type { Channel, Interaction };

const toInteraction = (r: InteractionsTable): Interaction => ({
  id: r.id,
  tenantId: r.tenant_id,
  customerId: r.customer_id,
  channels: fromJson<Channel[]>(r.channels),
  state: r.state,
  subject: r.subject,
  createdAt: Number(r.created_at),
  updatedAt: Number(r.updated_at),
  closedAt: r.closed_at == null ? null : Number(r.closed_at),
});

/** The record of one customer contact across channels; its timeline is its events. */
export class InteractionRepo {
  constructor(private readonly store: Store) {}

  async create(input: { tenantId: string; channel: Channel; customerId?: string | null; subject?: string | null }) {
    const now = Date.now();
    const row: InteractionsTable = {
      id: newId('int'),
      tenant_id: input.tenantId,
      customer_id: input.customerId ?? null,
      channels: toJson([input.channel]),
      state: 'open',
      subject: input.subject ?? null,
      created_at: now,
      updated_at: now,
      closed_at: null,
    };
    await this.store.db.insertInto('interactions').values(row).execute();
    return toInteraction(row);
  }

  async get(tenantId: string, id: string): Promise<Interaction | undefined> {
    const r = await this.store.db
      .selectFrom('interactions')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .executeTakeFirst();
    return r && toInteraction(r);
  }

  async list(q: {
    tenantId: string;
    customerId?: string;
    state?: 'open' | 'closed';
    before?: string;
    limit: number;
  }): Promise<Interaction[]> {
    let sel = this.store.db.selectFrom('interactions').selectAll().where('tenant_id', '=', q.tenantId);
    if (q.customerId) sel = sel.where('customer_id', '=', q.customerId);
    if (q.state) sel = sel.where('state', '=', q.state);
    if (q.before) sel = sel.where('id', '<', q.before);
    return (await sel.orderBy('id', 'desc').limit(q.limit).execute()).map(toInteraction);
  }

  async addChannel(tenantId: string, id: string, channel: Channel): Promise<Interaction | undefined> {
    const current = await this.get(tenantId, id);
    if (!current || current.channels.includes(channel)) return current;
    const channels = [...current.channels, channel];
    await this.store.db
      .updateTable('interactions')
      .set({ channels: toJson(channels), updated_at: Date.now() })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .execute();
    return { ...current, channels };
  }

  /** Which of these interactions have a call not yet ended: an open interaction with none is quiet, not live. */
  async onCall(tenantId: string, ids: string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = await this.store.db
      .selectFrom('calls')
      .select('interaction_id')
      .distinct()
      .where('tenant_id', '=', tenantId)
      .where('interaction_id', 'in', ids)
      .where('state', '!=', 'ended')
      .execute();
    return new Set(rows.map((r) => r.interaction_id));
  }

  async close(tenantId: string, id: string): Promise<Interaction | undefined> {
    const now = Date.now();
    await this.store.db
      .updateTable('interactions')
      .set({ state: 'closed', closed_at: now, updated_at: now })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .where('state', '=', 'open')
      .execute();
    return this.get(tenantId, id);
  }
}
