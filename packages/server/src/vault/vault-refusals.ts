import type { VaultRefusalReason } from '@callsight/protocol';
import type { AppContext } from '../app-context.js';
import type { Principal } from '../auth/principal.js';
import { CallsightError, type ErrorCode } from '../core/errors.js';
import { newId } from '../core/ids.js';
import type { VaultCardsTable, VaultRefusalsTable } from './vault-tables.js';

/** Why an error refuses a reading where its code alone does not say (the 403s and 404s). */
const tagged = new WeakMap<Error, VaultRefusalReason>();

export function refusal<E extends Error>(reason: VaultRefusalReason, err: E): E {
  tagged.set(err, reason);
  return err;
}

const BY_CODE: Partial<Record<ErrorCode, VaultRefusalReason>> = {
  vault_card_revoked: 'card_removed',
  vault_not_on_call: 'not_on_call',
  vault_no_active_call: 'no_active_call',
  vault_speak_in_progress: 'in_progress',
  vault_speak_rate_limited: 'rate_limited',
  vault_card_invalid: 'invalid_code',
  vault_repeat_expired: 'repeat_expired',
};

/** The refusal an error stands for; null for what is no refusal (a failure of the server, a key provider down). */
export function refusalReason(err: unknown): VaultRefusalReason | null {
  if (!(err instanceof CallsightError)) return null;
  return tagged.get(err) ?? BY_CODE[err.code] ?? null;
}

/**
 * What an attempt reached that exists, filled in as it is checked: only these go into
 * the audit row, never a token or call id as the caller typed it (it could hold a
 * card number).
 */
export interface Attempt {
  card?: VaultCardsTable;
  /** The card asked for lives in another tenant: that tenant's audit gets a row too, naming no one. */
  foreignCard?: VaultCardsTable;
  callId?: string;
}

/** Refused readings and repeats, one audit row each (and one in the card's tenant when another tenant's user tried it). */
export class RefusalLog {
  constructor(private readonly ctx: AppContext) {}

  async record(p: Principal, attempt: 'speak' | 'repeat', reason: VaultRefusalReason, seen: Attempt): Promise<void> {
    const at = Date.now();
    const cardOf = (c: VaultCardsTable | undefined) => ({ card_id: c?.id ?? null, customer_id: c?.customer_id ?? null, brand: c?.brand ?? null, last4: c?.last4 ?? null });
    const rows: VaultRefusalsTable[] = [{ id: newId('vrf'), tenant_id: p.tenantId, at, attempt, reason, actor: p.userId ?? p.apiKeyId, ...cardOf(seen.card), call_id: seen.callId ?? null }];
    if (seen.foreignCard) rows.push({ id: newId('vrf'), tenant_id: seen.foreignCard.tenant_id, at, attempt, reason, actor: null, ...cardOf(seen.foreignCard), call_id: null });
    try {
      await this.ctx.store.db.insertInto('vault_refusals').values(rows).execute();
    } catch (err) {
      // The caller still gets their refusal; the audit gap is logged.
      this.ctx.log.warn({ reason, code: err instanceof CallsightError ? err.code : 'error' }, 'could not record a refused card reading');
    }
  }
}
