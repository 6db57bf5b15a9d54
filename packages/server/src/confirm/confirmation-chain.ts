import type { ChainCheck, ConfirmationRecord } from '@callsight/protocol';
import { newId } from '../core/ids.js';
import type { Store } from '../store/store.js';
import { canonicalJson, contentHash, sha256Hex } from './canonical-json.js';
import type { ConfirmRecordsTable } from './confirm-tables.js';
import './confirm-tables.js';

/** The hash the first record of every interaction's chain points back to. */
export const GENESIS_HASH = '0'.repeat(64);

export type { ChainCheck, ConfirmationRecord };

/** What the record hash covers: every field but the hash itself, in canonical form. */
const hashInput = (r: Omit<ConfirmationRecord, 'hash' | 'content' | 'id'>) =>
  canonicalJson({
    interactionId: r.interactionId,
    seq: r.seq,
    cardId: r.cardId,
    cardVersion: r.cardVersion,
    type: r.type,
    actor: r.actor,
    at: r.at,
    contentHash: r.contentHash,
    prevHash: r.prevHash,
  });

const toRecord = (r: ConfirmRecordsTable): ConfirmationRecord => ({
  id: r.id,
  interactionId: r.interaction_id,
  seq: Number(r.seq),
  cardId: r.card_id,
  cardVersion: Number(r.card_version),
  type: r.type,
  actor: r.actor,
  at: Number(r.at),
  content: JSON.parse(r.content),
  contentHash: r.content_hash,
  prevHash: r.prev_hash,
  hash: r.hash,
});

/**
 * Recomputes a chain: each content hash from its content, each record hash from
 * its fields, each link to the previous record. Works on an exported JSON file
 * as well as on rows, so an auditor can verify without the server.
 */
export function verifyChain(records: readonly ConfirmationRecord[]): ChainCheck {
  let prev = GENESIS_HASH;
  for (const [i, r] of records.entries()) {
    const fail = (reason: string): ChainCheck => ({ ok: false, records: records.length, brokenAt: { seq: r.seq, reason }, headHash: prev });
    if (r.seq !== i + 1) return fail(`expected seq ${i + 1}`);
    if (r.prevHash !== prev) return fail('prevHash does not match the previous record');
    if (contentHash(r.content) !== r.contentHash) return fail('content does not match its contentHash');
    if (sha256Hex(hashInput(r)) !== r.hash) return fail('record hash does not match its fields');
    prev = r.hash;
  }
  return { ok: true, records: records.length, headHash: prev };
}

const isUniqueViolation = (err: unknown) => /unique|duplicate key/i.test(String((err as Error)?.message));

/** The tamper-evident record per interaction: append-only rows, each holding the previous row's hash. */
export class ConfirmationChain {
  constructor(private readonly store: Store) {}

  /**
   * Appends at the head. Concurrent writers (two processes answering two cards of
   * one interaction) race for the next seq; the unique constraint lets one win
   * and the other re-reads the head and tries again.
   */
  async append(input: {
    tenantId: string;
    interactionId: string;
    cardId: string;
    cardVersion: number;
    type: ConfirmRecordsTable['type'];
    actor: string;
    at: number;
    content: unknown;
  }): Promise<ConfirmationRecord> {
    const hashOfContent = contentHash(input.content);
    for (let attempt = 0; ; attempt++) {
      const head = await this.store.db
        .selectFrom('confirm_records')
        .select(['seq', 'hash'])
        .where('tenant_id', '=', input.tenantId)
        .where('interaction_id', '=', input.interactionId)
        .orderBy('seq', 'desc')
        .limit(1)
        .executeTakeFirst();
      const base = {
        interactionId: input.interactionId,
        seq: head ? Number(head.seq) + 1 : 1,
        cardId: input.cardId,
        cardVersion: input.cardVersion,
        type: input.type,
        actor: input.actor,
        at: input.at,
        contentHash: hashOfContent,
        prevHash: head?.hash ?? GENESIS_HASH,
      };
      const record: ConfirmationRecord = { ...base, id: newId('crec'), content: input.content, hash: sha256Hex(hashInput(base)) };
      try {
        await this.store.db
          .insertInto('confirm_records')
          .values({
            id: record.id,
            tenant_id: input.tenantId,
            interaction_id: record.interactionId,
            seq: record.seq,
            card_id: record.cardId,
            card_version: record.cardVersion,
            type: record.type,
            actor: record.actor,
            at: record.at,
            content: canonicalJson(record.content),
            content_hash: record.contentHash,
            prev_hash: record.prevHash,
            hash: record.hash,
          })
          .execute();
        return record;
      } catch (err) {
        if (!isUniqueViolation(err) || attempt >= 20) throw err;
      }
    }
  }

  async list(tenantId: string, interactionId: string): Promise<ConfirmationRecord[]> {
    const rows = await this.store.db
      .selectFrom('confirm_records')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('interaction_id', '=', interactionId)
      .orderBy('seq', 'asc')
      .execute();
    return rows.map(toRecord);
  }
}
