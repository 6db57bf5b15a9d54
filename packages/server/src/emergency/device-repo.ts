import type { CivicAddress, CreateDeviceInput, Device, EmergencyContact, GnssFix, UpdateDeviceInput, VehicleInfo } from '@callsight/protocol';
import { newId } from '../core/ids.js';
import { randomToken, safeEqual, sha256 } from '../core/secrets.js';
import type { Store } from '../store/store.js';
import { emergencyErrors } from './emergency-errors.js';
import type { EmergencyDevicesTable } from './emergency-tables.js';
import './emergency-tables.js';

const parse = <T>(s: string | null): T | null => (s == null ? null : (JSON.parse(s) as T));

export function toDevice(r: EmergencyDevicesTable): Device {
  return {
    id: r.id,
    name: r.name,
    kind: r.kind,
    ownerUserId: r.owner_user_id,
    contacts: parse<EmergencyContact[]>(r.contacts) ?? [],
    psaps: parse<string[]>(r.psaps) ?? [],
    civicAddress: parse<CivicAddress>(r.civic_address),
    callbackNumber: r.callback_number,
    keyPrefix: `csd_${r.id.slice(4, 12)}`,
    revoked: r.revoked_at != null,
    createdAt: Number(r.created_at),
    lastSeenAt: r.last_seen_at == null ? null : Number(r.last_seen_at),
    lastFix: parse<GnssFix>(r.last_fix),
    battery: r.battery == null ? null : Number(r.battery),
    vehicle: parse<VehicleInfo>(r.vehicle ?? null),
  };
}

/**
 * The device registry. A device authenticates with `csd_<device id>_<secret>`: the id
 * finds the row, the secret is compared by SHA-256 hash in constant time; the key is
 * returned once, at creation (or when rotated).
 */
export class DeviceRepo {
  constructor(private readonly store: Store) {}

  async create(tenantId: string, input: CreateDeviceInput): Promise<{ device: Device; key: string }> {
    const id = newId('dev');
    const secret = randomToken(24);
    const row: EmergencyDevicesTable = {
      id,
      tenant_id: tenantId,
      name: input.name,
      kind: input.kind,
      owner_user_id: input.ownerUserId ?? null,
      contacts: JSON.stringify(input.contacts ?? []),
      psaps: JSON.stringify(input.psaps),
      civic_address: input.civicAddress ? JSON.stringify(input.civicAddress) : null,
      callback_number: input.callbackNumber ?? null,
      key_hash: sha256(secret),
      revoked_at: null,
      created_at: Date.now(),
      last_seen_at: null,
      last_fix: null,
      device_info: null,
      battery: null,
      vehicle: input.vehicle ? JSON.stringify(input.vehicle) : null,
    };
    await this.store.db.insertInto('emergency_devices').values(row).execute();
    return { device: toDevice(row), key: `csd_${id.slice(4)}_${secret}` };
  }

  /** The device a key belongs to; throws 401 device_key_invalid / device_key_revoked. */
  async authenticate(key: string | undefined): Promise<EmergencyDevicesTable> {
    const m = key ? /^csd_([0-9a-z]{26})_([A-Za-z0-9_-]{20,64})$/.exec(key) : null;
    if (!m) throw emergencyErrors.keyInvalid();
    const row = await this.store.db.selectFrom('emergency_devices').selectAll().where('id', '=', `dev_${m[1]}`).executeTakeFirst();
    if (!row || !safeEqual(row.key_hash, sha256(m[2]))) throw emergencyErrors.keyInvalid();
    if (row.revoked_at != null) throw emergencyErrors.keyRevoked();
    return row;
  }

  async get(tenantId: string, id: string): Promise<EmergencyDevicesTable | undefined> {
    return this.store.db.selectFrom('emergency_devices').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
  }

  async list(tenantId: string, q: { ownerUserId?: string } = {}): Promise<EmergencyDevicesTable[]> {
    let query = this.store.db.selectFrom('emergency_devices').selectAll().where('tenant_id', '=', tenantId);
    if (q.ownerUserId) query = query.where('owner_user_id', '=', q.ownerUserId);
    return query.orderBy('id').execute();
  }

  async update(tenantId: string, id: string, input: UpdateDeviceInput): Promise<EmergencyDevicesTable | undefined> {
    const set: Partial<EmergencyDevicesTable> = {};
    if (input.name !== undefined) set.name = input.name;
    if (input.kind !== undefined) set.kind = input.kind;
    if (input.ownerUserId !== undefined) set.owner_user_id = input.ownerUserId;
    if (input.contacts !== undefined) set.contacts = JSON.stringify(input.contacts);
    if (input.psaps !== undefined) set.psaps = JSON.stringify(input.psaps);
    if (input.civicAddress !== undefined) set.civic_address = input.civicAddress ? JSON.stringify(input.civicAddress) : null;
    if (input.callbackNumber !== undefined) set.callback_number = input.callbackNumber;
    if (input.vehicle !== undefined) set.vehicle = input.vehicle ? JSON.stringify(input.vehicle) : null;
    if (Object.keys(set).length) await this.store.db.updateTable('emergency_devices').set(set).where('tenant_id', '=', tenantId).where('id', '=', id).execute();
    return this.get(tenantId, id);
  }

  async revoke(tenantId: string, id: string): Promise<boolean> {
    const res = await this.store.db.updateTable('emergency_devices').set({ revoked_at: Date.now() }).where('tenant_id', '=', tenantId).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
    return Number(res.numUpdatedRows) > 0;
  }

  /** A new key for the device (the old one stops working), shown once. */
  async rotateKey(tenantId: string, id: string): Promise<string | undefined> {
    const secret = randomToken(24);
    const res = await this.store.db.updateTable('emergency_devices').set({ key_hash: sha256(secret), revoked_at: null }).where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
    return Number(res.numUpdatedRows) > 0 ? `csd_${id.slice(4)}_${secret}` : undefined;
  }

  async seen(id: string, fix: GnssFix | null, deviceInfo: unknown, battery?: number): Promise<void> {
    const set: Partial<EmergencyDevicesTable> = { last_seen_at: Date.now() };
    if (fix) set.last_fix = JSON.stringify(fix);
    if (deviceInfo) set.device_info = JSON.stringify(deviceInfo);
    if (battery !== undefined) set.battery = Math.round(battery);
    await this.store.db.updateTable('emergency_devices').set(set).where('id', '=', id).execute();
  }
}
