import { randomBytes } from 'node:crypto';
import { newId } from '../core/ids.js';
import type { SecretBox } from '../core/secret-box.js';
import type { Store } from '../store/store.js';
import type { RoomAudioCodec, RoomKind, RoomsTable } from './room-schema.js';

export interface Room {
  id: string;
  tenantId: string;
  name: string;
  kind: RoomKind;
  audioCodec: RoomAudioCodec;
  maxParticipants: number;
  createdBy: string | null;
  createdAt: number;
  closedAt: number | null;
}

const toRoom = (r: RoomsTable): Room => ({
  id: r.id,
  tenantId: r.tenant_id,
  name: r.name,
  kind: r.kind,
  audioCodec: r.audio_codec,
  maxParticipants: r.max_participants,
  createdBy: r.created_by,
  createdAt: Number(r.created_at),
  closedAt: r.closed_at == null ? null : Number(r.closed_at),
});

export class RoomRepo {
  constructor(
    private readonly store: Store,
    private readonly box: SecretBox,
  ) {}

  async create(input: { tenantId: string; name: string; kind: RoomKind; audioCodec: RoomAudioCodec; maxParticipants: number; createdBy: string | null }): Promise<Room> {
    const id = newId('room');
    const row: RoomsTable = {
      id,
      tenant_id: input.tenantId,
      name: input.name,
      kind: input.kind,
      audio_codec: input.audioCodec,
      max_participants: input.maxParticipants,
      token_key_sealed: this.box.seal(randomBytes(32).toString('base64'), id),
      created_by: input.createdBy,
      created_at: Date.now(),
      closed_at: null,
    };
    await this.store.db.insertInto('rooms').values(row).execute();
    return toRoom(row);
  }

  async list(tenantId: string): Promise<Room[]> {
    const rows = await this.store.db.selectFrom('rooms').selectAll().where('tenant_id', '=', tenantId).where('closed_at', 'is', null).orderBy('id', 'desc').limit(200).execute();
    return rows.map(toRoom);
  }

  async get(tenantId: string, id: string): Promise<Room | null> {
    const row = await this.store.db.selectFrom('rooms').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
    return row ? toRoom(row) : null;
  }

  /** The newest open room of that name: flows name rooms the way people do. */
  async openByName(tenantId: string, name: string): Promise<Room | null> {
    const row = await this.store.db
      .selectFrom('rooms')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('name', '=', name)
      .where('closed_at', 'is', null)
      .orderBy('id', 'desc')
      .executeTakeFirst();
    return row ? toRoom(row) : null;
  }

  /** For token verification, which learns the room (and so the tenant) from the token itself. */
  async withTokenKey(id: string): Promise<{ room: Room; key: Buffer } | null> {
    const row = await this.store.db.selectFrom('rooms').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? { room: toRoom(row), key: Buffer.from(this.box.open(row.token_key_sealed, row.id), 'base64') } : null;
  }

  async close(tenantId: string, id: string): Promise<boolean> {
    const r = await this.store.db.updateTable('rooms').set({ closed_at: Date.now() }).where('tenant_id', '=', tenantId).where('id', '=', id).where('closed_at', 'is', null).executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }
}
