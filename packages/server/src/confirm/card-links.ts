import { randomBytes } from 'node:crypto';
import { CallsightError } from '../core/errors.js';
import type { SecretBox } from '../core/secret-box.js';
import type { Store } from '../store/store.js';
import './confirm-tables.js';

/** Sends a text message; provided by the SMS gateway. Without one the agent reads the link out. */
export type SendSms = (to: string, text: string) => Promise<void>;

const AAD = 'confirm-link';

export type LinkProblem = 'invalid' | 'expired' | 'used';

export class LinkError extends CallsightError {
  constructor(readonly reason: LinkProblem) {
    const text = {
      invalid: 'This link is not valid.',
      expired: 'This link has expired.',
      used: 'This link has already been used.',
    }[reason];
    super(`link_${reason}`, text, { status: reason === 'invalid' ? 404 : 410 });
  }
}

/**
 * One-time links to a card for callers without the app (`/c/<token>`). The token
 * is sealed with the master key (AES-GCM authenticates it, so it cannot be forged
 * or altered) and names a row that records its single use.
 */
export class CardLinks {
  constructor(
    private readonly store: Store,
    private readonly secretBox: SecretBox,
  ) {}

  async create(tenantId: string, cardId: string, expiresAt: number): Promise<string> {
    const id = randomBytes(12).toString('base64url');
    await this.store.db
      .insertInto('confirm_links')
      .values({ id, tenant_id: tenantId, card_id: cardId, expires_at: expiresAt, used_at: null, created_at: Date.now() })
      .execute();
    return this.secretBox.seal(`${id}.${expiresAt.toString(36)}`, AAD);
  }

  /** The link's row, or a LinkError saying why it cannot be used. */
  async resolve(token: string, now = Date.now()): Promise<{ id: string; tenantId: string; cardId: string }> {
    let plain: string;
    try {
      plain = this.secretBox.open(token, AAD);
    } catch {
      throw new LinkError('invalid');
    }
    const [id] = plain.split('.');
    const row = await this.store.db.selectFrom('confirm_links').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw new LinkError('invalid');
    if (row.used_at != null) throw new LinkError('used');
    if (Number(row.expires_at) <= now) throw new LinkError('expired');
    return { id: row.id, tenantId: row.tenant_id, cardId: row.card_id };
  }

  /** Marks the link used; false when another request used it first. */
  async consume(id: string, now = Date.now()): Promise<boolean> {
    const res = await this.store.db
      .updateTable('confirm_links')
      .set({ used_at: now })
      .where('id', '=', id)
      .where('used_at', 'is', null)
      .executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  }
}
