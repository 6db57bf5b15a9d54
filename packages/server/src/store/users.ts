import { newId } from '../core/ids.js';
import type { Store } from './store.js';
import type { User } from '@callsight/protocol';
import type { Role, UsersTable } from './schema.js';

export type { User };

export const toUser = (r: UsersTable): User => ({
  id: r.id,
  tenantId: r.tenant_id,
  email: r.email,
  name: r.name,
  role: r.role,
  phoneNumber: r.phone_number,
  createdAt: Number(r.created_at),
  disabled: r.disabled_at != null,
});

export class UserRepo {
  constructor(private readonly store: Store) {}

  async create(input: {
    tenantId: string;
    email: string;
    name: string;
    role: Role;
    passwordHash: string | null;
    phoneNumber?: string | null;
  }): Promise<User> {
    const row: UsersTable = {
      id: newId('usr'),
      tenant_id: input.tenantId,
      email: input.email.toLowerCase(),
      name: input.name,
      role: input.role,
      password_hash: input.passwordHash,
      phone_number: input.phoneNumber ?? null,
      created_at: Date.now(),
      disabled_at: null,
    };
    await this.store.db.insertInto('users').values(row).execute();
    return toUser(row);
  }

  async get(tenantId: string, id: string): Promise<User | undefined> {
    const r = await this.store.db
      .selectFrom('users')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .executeTakeFirst();
    return r && toUser(r);
  }

  /** Login looks a user up across tenants: emails are globally unique. */
  async byEmailWithHash(email: string): Promise<(User & { passwordHash: string | null }) | undefined> {
    const r = await this.store.db
      .selectFrom('users')
      .selectAll()
      .where('email', '=', email.toLowerCase())
      .executeTakeFirst();
    return r && { ...toUser(r), passwordHash: r.password_hash };
  }

  async list(tenantId: string, opts: { role?: Role } = {}): Promise<User[]> {
    let q = this.store.db.selectFrom('users').selectAll().where('tenant_id', '=', tenantId).where('removed_at', 'is', null);
    if (opts.role) q = q.where('role', '=', opts.role);
    return (await q.orderBy('id').execute()).map(toUser);
  }

  async update(
    tenantId: string,
    id: string,
    patch: Partial<{ name: string; role: Role; passwordHash: string; phoneNumber: string | null; disabled: boolean }>,
  ): Promise<User | undefined> {
    const values: Partial<UsersTable> = {};
    if (patch.name !== undefined) values.name = patch.name;
    if (patch.role !== undefined) values.role = patch.role;
    if (patch.passwordHash !== undefined) values.password_hash = patch.passwordHash;
    if (patch.phoneNumber !== undefined) values.phone_number = patch.phoneNumber;
    if (patch.disabled !== undefined) values.disabled_at = patch.disabled ? Date.now() : null;
    if (Object.keys(values).length > 0) {
      await this.store.db.updateTable('users').set(values).where('tenant_id', '=', tenantId).where('id', '=', id).execute();
    }
    return this.get(tenantId, id);
  }

  /**
   * Erases a user: name, email (freed for reuse), password and phone go; the row stays
   * so calls and audits still resolve to "Former user". Their SIP accounts go with
   * them and numbers that rang them ring nobody.
   */
  async remove(tenantId: string, id: string): Promise<void> {
    const now = Date.now();
    await this.store.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('users')
        .set({ name: 'Former user', email: `removed+${id}@users.invalid`, password_hash: null, phone_number: null, disabled_at: now, removed_at: now })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .execute();
      await trx.deleteFrom('sip_accounts').where('tenant_id', '=', tenantId).where('user_id', '=', id).execute();
      await trx.updateTable('numbers').set({ user_id: null }).where('tenant_id', '=', tenantId).where('user_id', '=', id).execute();
    });
  }

  async activeAdmins(tenantId: string): Promise<number> {
    const r = await this.store.db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('tenant_id', '=', tenantId)
      .where('role', '=', 'admin')
      .where('disabled_at', 'is', null)
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }
}
