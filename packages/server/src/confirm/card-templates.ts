import { newId } from '../core/ids.js';
import type { Store } from '../store/store.js';
import type { CardInput } from '@callsight/protocol';
import './confirm-tables.js';

export interface CardTemplate {
  id: string;
  name: string;
  kind: CardInput['kind'];
  title: string;
  /** Defaults an agent starts from; whatever they fill in overrides it. */
  preset: Partial<CardInput>;
}

/** Saved starting points for cards, per tenant. */
export class CardTemplates {
  constructor(private readonly store: Store) {}

  async list(tenantId: string): Promise<CardTemplate[]> {
    const rows = await this.store.db.selectFrom('confirm_templates').selectAll().where('tenant_id', '=', tenantId).orderBy('name').execute();
    return rows.map((r) => ({ id: r.id, name: r.name, kind: r.kind as CardInput['kind'], title: r.title, preset: JSON.parse(r.body) }));
  }

  async get(tenantId: string, id: string): Promise<CardTemplate | undefined> {
    return (await this.list(tenantId)).find((t) => t.id === id);
  }

  /** Creates the template unless one with this name exists (seeding runs on every start). */
  async ensure(tenantId: string, t: Omit<CardTemplate, 'id'>): Promise<void> {
    const exists = await this.store.db
      .selectFrom('confirm_templates')
      .select('id')
      .where('tenant_id', '=', tenantId)
      .where('name', '=', t.name)
      .executeTakeFirst();
    if (exists) return;
    await this.store.db
      .insertInto('confirm_templates')
      .values({ id: newId('ctpl'), tenant_id: tenantId, name: t.name, kind: t.kind, title: t.title, body: JSON.stringify({ ...t.preset, kind: t.kind, title: t.title }), created_at: Date.now() })
      .onConflict((oc) => oc.columns(['tenant_id', 'name']).doNothing())
      .execute();
  }
}

/** Acme Bank's everyday cards, for the demo tenant. */
export const DEMO_TEMPLATES: Omit<CardTemplate, 'id'>[] = [
  { name: 'Confirm address', kind: 'address', title: 'Confirm your address', preset: { message: 'Is this where we should send your new card?' } },
  {
    name: 'Confirm payee',
    kind: 'payment',
    title: 'Confirm this transfer',
    preset: { message: 'Check the amount and the payee before we send the money.', values: { currency: 'EUR' } },
  },
  {
    name: 'Branch appointment',
    kind: 'appointment',
    title: 'Pick a branch appointment',
    preset: { slots: ['Mon 10:00', 'Mon 14:30', 'Tue 09:00', 'Wed 16:00'] },
  },
  { name: 'Identity check', kind: 'identity', title: 'Confirm your identity', preset: { message: 'Please check your name and date of birth.' } },
  {
    name: 'Card replacement order',
    kind: 'order',
    title: 'Confirm your order',
    preset: { items: [{ name: 'Replacement debit card', qty: 1, price: 5 }, { name: 'Express delivery', qty: 1, price: 7.5 }], values: { currency: 'EUR' } },
  },
  {
    name: 'Travel notice',
    kind: 'form',
    title: 'Travel notice',
    preset: {
      fields: [
        { name: 'destination', label: 'Destination country', type: 'string', required: true, pattern: '[A-Z]{2}' },
        { name: 'departure', label: 'Departure', type: 'date', required: true },
        { name: 'returnDate', label: 'Return', type: 'date', required: true },
        { name: 'cardUse', label: 'Card use', type: 'enum', options: ['ATM and shops', 'Shops only'], required: true },
        { name: 'sms', label: 'SMS alerts', type: 'boolean' },
      ],
    },
  },
];
