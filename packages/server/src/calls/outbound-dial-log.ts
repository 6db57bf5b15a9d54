import { newId } from '../core/ids.js';
import type { Store } from '../store/store.js';

export interface OutboundDialsTable {
  id: string;
  tenant_id: string;
  user_id: string;
  /** Set once the call exists; null for a dial that never became one (it still counts for the rate). */
  call_id: string | null;
  created_at: number;
}

declare module '../store/schema.js' {
  interface Database {
    outbound_dials: OutboundDialsTable;
  }
}

const MINUTE = 60_000;

/**
 * Who placed which call, in the store, so a user's rate and concurrency limits hold
 * whichever process their requests and sockets reach. A call is live while its
 * `calls` row is not ended (which a crashed process's calls become on restart).
 */
export class OutboundDialLog {
  constructor(
    private readonly store: Store,
    private readonly now: () => number = Date.now,
  ) {}

  async usage(tenantId: string, userId: string): Promise<{ lastMinute: number; live: number }> {
    const db = this.store.db;
    const since = this.now() - MINUTE;
    const recent = await db
      .selectFrom('outbound_dials')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('tenant_id', '=', tenantId)
      .where('user_id', '=', userId)
      .where('created_at', '>', since)
      .executeTakeFirstOrThrow();
    const live = await db
      .selectFrom('outbound_dials')
      .innerJoin('calls', 'calls.id', 'outbound_dials.call_id')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('outbound_dials.tenant_id', '=', tenantId)
      .where('outbound_dials.user_id', '=', userId)
      .where('calls.state', '!=', 'ended')
      .executeTakeFirstOrThrow();
    return { lastMinute: Number(recent.n), live: Number(live.n) };
  }

  /** Records an admitted dial; returns its id for `attach`. Old rows of the user whose calls are over go. */
  async record(tenantId: string, userId: string): Promise<string> {
    const db = this.store.db;
    const id = newId('dial');
    await db.insertInto('outbound_dials').values({ id, tenant_id: tenantId, user_id: userId, call_id: null, created_at: this.now() }).execute();
    await db
      .deleteFrom('outbound_dials')
      .where('tenant_id', '=', tenantId)
      .where('user_id', '=', userId)
      .where('created_at', '<', this.now() - MINUTE)
      .where((eb) => eb.or([eb('call_id', 'is', null), eb('call_id', 'in', eb.selectFrom('calls').select('id').where('state', '=', 'ended'))]))
      .execute();
    return id;
  }

  async attach(dialId: string, callId: string): Promise<void> {
    await this.store.db.updateTable('outbound_dials').set({ call_id: callId }).where('id', '=', dialId).execute();
  }
}
