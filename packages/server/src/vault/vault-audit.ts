import type { CardBrand, VaultAuditAction, VaultAuditEntry, VaultAuditPage, VaultAuditQuery } from '@callsight/protocol';
import type { AppContext } from '../app-context.js';
import { displayParty } from '../calls/call-history.js';
import { badRequest } from '../core/errors.js';
import { sql, type RawBuilder } from 'kysely';

/**
 * The sources of the audit, each a table (or the event log) the vault already writes.
 * Their order breaks ties between entries of the same millisecond, so the cursor
 * (time, source, row id) walks every source without skipping or repeating one.
 */
const SOURCES = ['saved', 'removed', 'speaks', 'captures', 'rotations', 'refusals'] as const;
type Source = (typeof SOURCES)[number];

interface Cursor {
  at: number;
  source: number;
  id: string;
}

/** A row of one source before names are resolved. */
interface Raw {
  at: number;
  source: number;
  rowId: string;
  action: VaultAuditAction;
  actorId: string | null;
  customerId: string | null;
  card: { brand: CardBrand; last4: string } | null;
  callIds: { caller: string | null; agent: string | null } | null;
  outcome: string | null;
  rotation: VaultAuditEntry['rotation'];
  refusal: VaultAuditEntry['refusal'];
}

const encodeCursor = (c: Cursor) => Buffer.from(JSON.stringify([c.at, c.source, c.id])).toString('base64url');

function decodeCursor(text: string): Cursor {
  try {
    const [at, source, id] = JSON.parse(Buffer.from(text, 'base64url').toString()) as [unknown, unknown, unknown];
    if (typeof at === 'number' && typeof source === 'number' && typeof id === 'string') return { at, source, id };
  } catch {
    // falls through to the 400
  }
  throw badRequest('validation_failed', 'The page cursor is not valid', [{ path: 'query.cursor', message: 'comes from a previous page' }]);
}

const newestFirst = (a: Raw, b: Raw) => b.at - a.at || b.source - a.source || (a.rowId < b.rowId ? 1 : a.rowId > b.rowId ? -1 : 0);

/**
 * Who used which saved card when, on which call, and what happened: saved, removed,
 * read into a call, keyed on a keypad, keys rotated. Built from what the vault already
 * stores (its tables and the event log), so nothing new about a card is kept; cards
 * appear as brand and last 4 only, people and calls by name.
 */
export class VaultAudit {
  constructor(private readonly ctx: AppContext) {}

  private get db() {
    return this.ctx.store.db;
  }

  async page(tenantId: string, q: VaultAuditQuery): Promise<VaultAuditPage> {
    const limit = q.limit ?? 50;
    const cursor = q.cursor ? decodeCursor(q.cursor) : null;
    const rows = (await Promise.all(SOURCES.map((s, i) => this.fetch(s, i, tenantId, q, cursor, limit + 1)))).flat().sort(newestFirst);
    const shown = rows.slice(0, limit);
    const last = shown.at(-1);
    return {
      items: await this.named(tenantId, shown),
      nextCursor: rows.length > limit && last ? encodeCursor({ at: last.at, source: last.source, id: last.rowId }) : null,
    };
  }

  /** Bounds shared by every source: the date range, and older than the cursor in (time, source, id) order. */
  private bounds(index: number, q: VaultAuditQuery, cursor: Cursor | null, at: string, id: string): RawBuilder<boolean> {
    const t = sql.ref(at);
    const conds: RawBuilder<unknown>[] = [sql`1 = 1`];
    if (q.from !== undefined) conds.push(sql`${t} >= ${q.from}`);
    if (q.to !== undefined) conds.push(sql`${t} < ${q.to}`);
    if (cursor && index > cursor.source) conds.push(sql`${t} < ${cursor.at}`);
    if (cursor && index < cursor.source) conds.push(sql`${t} <= ${cursor.at}`);
    if (cursor && index === cursor.source) conds.push(sql`(${t} < ${cursor.at} or (${t} = ${cursor.at} and ${sql.ref(id)} < ${cursor.id}))`);
    return sql<boolean>`(${sql.join(conds, sql` and `)})`;
  }

  /** One source's newest rows within the bounds, involving the person if one is named. */
  private async fetch(source: Source, index: number, tenantId: string, q: VaultAuditQuery, cursor: Cursor | null, limit: number): Promise<Raw[]> {
    const none = { callIds: null, outcome: null, rotation: null, refusal: null };
    const who = q.userId;
    switch (source) {
      case 'saved': {
        let qb = this.db.selectFrom('vault_cards').select(['id', 'customer_id', 'brand', 'last4', 'created_at']).where('tenant_id', '=', tenantId).where(this.bounds(index, q, cursor, 'created_at', 'id'));
        if (who) qb = qb.where('customer_id', '=', who);
        const rows = await qb.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
        return rows.map((r) => ({ ...none, at: Number(r.created_at), source: index, rowId: r.id, action: 'saved', actorId: r.customer_id, customerId: r.customer_id, card: { brand: r.brand as CardBrand, last4: r.last4 } }));
      }
      case 'removed': {
        let qb = this.db.selectFrom('vault_cards').select(['id', 'customer_id', 'brand', 'last4', 'revoked_at']).where('tenant_id', '=', tenantId).where('revoked_at', 'is not', null).where(this.bounds(index, q, cursor, 'revoked_at', 'id'));
        if (who) qb = qb.where('customer_id', '=', who);
        const rows = await qb.orderBy('revoked_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
        // The card row does not say whether the customer or an admin removed it.
        return rows.map((r) => ({ ...none, at: Number(r.revoked_at), source: index, rowId: r.id, action: 'removed', actorId: null, customerId: r.customer_id, card: { brand: r.brand as CardBrand, last4: r.last4 } }));
      }
      case 'speaks': {
        let qb = this.db.selectFrom('vault_speaks').select(['id', 'customer_id', 'actor', 'brand', 'last4', 'started_at', 'call_id', 'other_call_id', 'status', 'kind']).where('tenant_id', '=', tenantId).where(this.bounds(index, q, cursor, 'started_at', 'id'));
        if (who) qb = qb.where((eb) => eb.or([eb('customer_id', '=', who), eb('actor', '=', who)]));
        const rows = await qb.orderBy('started_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
        return rows.map((r) => ({
          ...none,
          at: Number(r.started_at),
          source: index,
          rowId: r.id,
          action: r.kind === 'repeat' ? 'repeated' : 'spoken',
          actorId: r.actor,
          customerId: r.customer_id,
          card: { brand: r.brand as CardBrand, last4: r.last4 },
          callIds: { caller: r.call_id, agent: r.other_call_id },
          outcome: r.status,
        }));
      }
      case 'captures': {
        let qb = this.db.selectFrom('vault_captures').select(['id', 'customer_id', 'actor', 'brand', 'last4', 'started_at', 'call_id', 'customer_call_id', 'status', 'result']).where('tenant_id', '=', tenantId).where(this.bounds(index, q, cursor, 'started_at', 'id'));
        if (who) qb = qb.where((eb) => eb.or([eb('customer_id', '=', who), eb('actor', '=', who)]));
        const rows = await qb.orderBy('started_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
        return rows.map((r) => ({
          ...none,
          at: Number(r.started_at),
          source: index,
          rowId: r.id,
          action: 'keyed',
          actorId: r.actor,
          customerId: r.customer_id,
          card: r.brand && r.last4 ? { brand: r.brand as CardBrand, last4: r.last4 } : null,
          callIds: { caller: r.customer_call_id, agent: r.call_id },
          outcome: r.result ?? r.status,
        }));
      }
      case 'rotations': {
        // Few rows: the person is matched after parsing, so with a person every rotation in range is read.
        const rows = await this.db
          .selectFrom('events')
          .select(['id', 'time', 'data'])
          .where('tenant_id', '=', tenantId)
          .where('type', '=', 'vault.key.rotated')
          .where(this.bounds(index, q, cursor, 'time', 'id'))
          .orderBy('time', 'desc')
          .orderBy('id', 'desc')
          .$if(!who, (qb) => qb.limit(limit))
          .execute();
        return rows
          .map((r) => {
            const d = JSON.parse(r.data) as { version: number; rewrapped: number; minDecryptionVersion: number; by?: string };
            return { ...none, at: Number(r.time), source: index, rowId: r.id, action: 'rotated' as const, actorId: d.by ?? null, customerId: null, card: null, rotation: { version: d.version, rewrapped: d.rewrapped, minDecryptionVersion: d.minDecryptionVersion } };
          })
          .filter((r) => !who || r.actorId === who)
          .slice(0, limit);
      }
      case 'refusals': {
        let qb = this.db.selectFrom('vault_refusals').selectAll().where('tenant_id', '=', tenantId).where(this.bounds(index, q, cursor, 'at', 'id'));
        if (who) qb = qb.where((eb) => eb.or([eb('customer_id', '=', who), eb('actor', '=', who)]));
        const rows = await qb.orderBy('at', 'desc').orderBy('id', 'desc').limit(limit).execute();
        return rows.map((r) => ({
          ...none,
          at: Number(r.at),
          source: index,
          rowId: r.id,
          action: 'refused' as const,
          actorId: r.actor,
          customerId: r.customer_id,
          card: r.brand && r.last4 ? { brand: r.brand as CardBrand, last4: r.last4 } : null,
          // Only the call the person asked about: who else was on it is not theirs to learn from a refusal.
          callIds: r.call_id ? { caller: r.call_id, agent: null } : null,
          refusal: { attempt: r.attempt, reason: r.reason },
        }));
      }
    }
  }

  /** Replaces user and call ids by names, in two queries for the whole page. */
  private async named(tenantId: string, rows: Raw[]): Promise<VaultAuditEntry[]> {
    const callIds = [...new Set(rows.flatMap((r) => (r.callIds ? [r.callIds.caller, r.callIds.agent] : [])).filter((x): x is string => !!x))];
    const calls = callIds.length ? await this.db.selectFrom('calls').select(['id', 'from_uri', 'to_uri', 'direction']).where('tenant_id', '=', tenantId).where('id', 'in', callIds).execute() : [];
    // A call's far end is the person on it: the caller of an inbound leg, the callee of an outbound one.
    const partyOf = new Map(calls.map((c) => [c.id, c.direction === 'inbound' ? c.from_uri : c.to_uri]));
    const userIds = new Set(rows.flatMap((r) => [r.actorId, r.customerId]).filter((x): x is string => !!x));
    for (const p of partyOf.values()) if (p.startsWith('user:')) userIds.add(p.slice(5));
    const users = userIds.size ? await this.db.selectFrom('users').select(['id', 'name']).where('tenant_id', '=', tenantId).where('id', 'in', [...userIds]).execute() : [];
    const names = new Map(users.map((u) => [u.id, u.name]));
    const person = (id: string | null) => (id ? { id, name: names.get(id) ?? (id.startsWith('usr_') ? 'A removed user' : 'An API key') } : null);
    const party = (callId: string | null, fallback: string | null) => {
      const p = callId ? partyOf.get(callId) : undefined;
      if (p?.startsWith('user:')) return names.get(p.slice(5)) ?? 'A removed user';
      if (p) return displayParty(p);
      return fallback;
    };
    return rows.map((r) => {
      const customer = person(r.customerId);
      const actor = person(r.actorId);
      return {
        id: `${SOURCES[r.source]}:${r.rowId}`,
        at: r.at,
        action: r.action,
        actor,
        customer,
        card: r.card,
        call: r.callIds ? { caller: party(r.callIds.caller, customer?.name ?? null), agent: party(r.callIds.agent, r.action === 'keyed' ? (actor?.name ?? null) : null) } : null,
        outcome: r.outcome,
        rotation: r.rotation,
        refusal: r.refusal,
      };
    });
  }
}
