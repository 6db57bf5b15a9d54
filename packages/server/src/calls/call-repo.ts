import { sql } from 'kysely';
import { newId } from '../core/ids.js';
import type { Store } from '../store/store.js';
import type { CallsTable, RecordingsTable } from './telephony-tables.js';

export type CallRecord = {
  id: string;
  tenantId: string;
  interactionId: string;
  direction: 'inbound' | 'outbound';
  from: string;
  to: string;
  state: 'ringing' | 'answered' | 'ended';
  flowId: string | null;
  createdAt: number;
  answeredAt: number | null;
  endedAt: number | null;
  endCause: string | null;
};

export type RecordingRecord = {
  id: string;
  tenantId: string;
  callId: string;
  mode: 'received' | 'mixed';
  durationSeconds: number | null;
  createdAt: number;
};

const toCall = (r: CallsTable): CallRecord => ({
  id: r.id,
  tenantId: r.tenant_id,
  interactionId: r.interaction_id,
  direction: r.direction,
  from: r.from_uri,
  to: r.to_uri,
  state: r.state,
  flowId: r.flow_id,
  createdAt: Number(r.created_at),
  answeredAt: r.answered_at == null ? null : Number(r.answered_at),
  endedAt: r.ended_at == null ? null : Number(r.ended_at),
  endCause: r.end_cause,
});

const toRecording = (r: RecordingsTable): RecordingRecord => ({
  id: r.id,
  tenantId: r.tenant_id,
  callId: r.call_id,
  mode: r.mode,
  durationSeconds: r.duration_seconds,
  createdAt: Number(r.created_at),
});

export interface CallSearch {
  tenantId: string;
  state?: CallRecord['state'];
  interactionId?: string;
  direction?: CallRecord['direction'];
  outcome?: 'answered' | 'unanswered' | 'in_progress';
  since?: number;
  until?: number;
  before?: string;
  /** Either end contains one of `contains` (case-insensitive) or is one of `parties`. */
  match?: { contains: string[]; parties: string[] };
  limit: number;
}

const escapeLike = (s: string) => s.replace(/[!%_]/g, (c) => `!${c}`);

/** Calls survive in the store (history, API); their media lives in the process that holds them. */
export class CallRepo {
  constructor(private readonly store: Store) {}

  async create(input: Omit<CallRecord, 'createdAt' | 'answeredAt' | 'endedAt' | 'endCause' | 'state'> & { state?: CallRecord['state'] }) {
    const row: CallsTable = {
      id: input.id,
      tenant_id: input.tenantId,
      interaction_id: input.interactionId,
      direction: input.direction,
      from_uri: input.from,
      to_uri: input.to,
      state: input.state ?? 'ringing',
      flow_id: input.flowId,
      created_at: Date.now(),
      answered_at: null,
      ended_at: null,
      end_cause: null,
    };
    await this.store.db.insertInto('calls').values(row).execute();
    return toCall(row);
  }

  async markAnswered(id: string): Promise<void> {
    await this.store.db.updateTable('calls').set({ state: 'answered', answered_at: Date.now() }).where('id', '=', id).where('state', '=', 'ringing').execute();
  }

  async markEnded(id: string, cause: string): Promise<void> {
    await this.store.db.updateTable('calls').set({ state: 'ended', ended_at: Date.now(), end_cause: cause }).where('id', '=', id).where('state', '!=', 'ended').execute();
  }

  async get(tenantId: string, id: string): Promise<CallRecord | undefined> {
    const r = await this.store.db.selectFrom('calls').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
    return r && toCall(r);
  }

  /** Newest first by id (time-sortable and unique, so pages never skip or repeat a call); `before` is the last id of the previous page. */
  async list(q: CallSearch) {
    let sel = this.store.db.selectFrom('calls').selectAll().where('tenant_id', '=', q.tenantId);
    if (q.state) sel = sel.where('state', '=', q.state);
    if (q.interactionId) sel = sel.where('interaction_id', '=', q.interactionId);
    if (q.direction) sel = sel.where('direction', '=', q.direction);
    if (q.outcome === 'answered') sel = sel.where('answered_at', 'is not', null);
    if (q.outcome === 'unanswered') sel = sel.where('state', '=', 'ended').where('answered_at', 'is', null);
    if (q.outcome === 'in_progress') sel = sel.where('state', '!=', 'ended');
    if (q.since !== undefined) sel = sel.where('created_at', '>=', q.since);
    if (q.until !== undefined) sel = sel.where('created_at', '<', q.until);
    if (q.before) sel = sel.where('id', '<', q.before);
    const { contains = [], parties = [] } = q.match ?? {};
    if (q.match) {
      const like = (col: 'from_uri' | 'to_uri', text: string) => sql<boolean>`lower(${sql.ref(col)}) like ${`%${escapeLike(text.toLowerCase())}%`} escape '!'`;
      sel = sel.where((eb) =>
        eb.or([
          ...contains.flatMap((t) => [like('from_uri', t), like('to_uri', t)]),
          ...(parties.length ? [eb('from_uri', 'in', parties), eb('to_uri', 'in', parties)] : []),
        ]),
      );
    }
    return (await sel.orderBy('id', 'desc').limit(q.limit).execute()).map(toCall);
  }

  /** Calls a crashed process left "live": they cannot have media any more. */
  async endOrphans(cause: string): Promise<number> {
    const res = await this.store.db
      .updateTable('calls')
      .set({ state: 'ended', ended_at: Date.now(), end_cause: cause })
      .where('state', '!=', 'ended')
      .executeTakeFirst();
    return Number(res.numUpdatedRows);
  }

  /** Registers a recording whose WAV will be written to `<dir>/<id>.wav`. */
  async addRecording(input: { tenantId: string; callId: string; mode: 'received' | 'mixed'; format?: 'wav' | 'ogg'; dir: string }): Promise<RecordingRecord & { path: string }> {
    const id = newId('rec');
    const row: RecordingsTable = {
      id,
      tenant_id: input.tenantId,
      call_id: input.callId,
      mode: input.mode,
      path: `${input.dir}/${id}.${input.format === 'ogg' ? 'opus' : 'wav'}`,
      duration_seconds: null,
      created_at: Date.now(),
    };
    await this.store.db.insertInto('recordings').values(row).execute();
    return { ...toRecording(row), path: row.path };
  }

  async finishRecording(id: string, durationSeconds: number): Promise<void> {
    await this.store.db.updateTable('recordings').set({ duration_seconds: durationSeconds }).where('id', '=', id).execute();
  }

  async recording(tenantId: string, id: string): Promise<(RecordingRecord & { path: string }) | undefined> {
    const r = await this.store.db.selectFrom('recordings').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
    return r && { ...toRecording(r), path: r.path };
  }

  async recordings(tenantId: string, callId: string): Promise<RecordingRecord[]> {
    const rows = await this.store.db.selectFrom('recordings').selectAll().where('tenant_id', '=', tenantId).where('call_id', '=', callId).orderBy('id').execute();
    return rows.map(toRecording);
  }
}
