import { BRAND_NAMES, cardBrand, groupSizes, normalizePan, validateCard, type CardBrand, type SaveCardInput, type SpeakCardInput, type SpeakResult, type VaultCard, type VaultKeyStatus, type VaultSpeakRecord, type RecordingMarker } from '@callsight/protocol';
import type { AppContext } from '../app-context.js';
import { hasRole, type Principal } from '../auth/principal.js';
import type { Call } from '../calls/call.js';
import { CallsightError, badRequest, forbidden, notFound } from '../core/errors.js';
import { newId } from '../core/ids.js';
import type { CardSpeech, SpeechSection } from './card-speech.js';
import { cardAad, keyedHash, seal, withOpened, type Sealed } from './envelope.js';
import type { KeyProvider } from './key-provider.js';
import { refusal, refusalReason, RefusalLog, type Attempt } from './vault-refusals.js';
import type { VaultCardsTable, VaultSpeaksTable } from './vault-tables.js';

const toCard = (r: VaultCardsTable): VaultCard => ({
  token: r.id,
  customerId: r.customer_id,
  brand: r.brand as CardBrand,
  last4: r.last4,
  expMonth: r.exp_month,
  expYear: r.exp_year,
  holderName: r.holder_name,
  status: r.status,
  createdAt: Number(r.created_at),
  revokedAt: r.revoked_at == null ? null : Number(r.revoked_at),
});

const toSpeak = (r: VaultSpeaksTable): VaultSpeakRecord => ({
  id: r.id,
  token: r.card_id,
  last4: r.last4,
  brand: r.brand as CardBrand,
  customerId: r.customer_id,
  callId: r.call_id,
  otherCallId: r.other_call_id,
  startedAt: Number(r.started_at),
  durationMs: r.duration_ms,
  status: r.status,
  kind: r.kind,
  actor: r.actor,
  markers: JSON.parse(r.markers) as RecordingMarker[],
});

const sealedOf = (r: Pick<VaultCardsTable, 'sealed' | 'wrapped_key' | 'key_version'>): Sealed => ({
  box: Buffer.from(r.sealed, 'base64'),
  key: { version: r.key_version, wrapped: Buffer.from(r.wrapped_key, 'base64') },
});

const REWRAP_BATCH = 200;
/** What each section of a reading is introduced with. */
const LABELS = { card: 'Card number', expiry: 'Expiry', cvv: 'Security code', repeat: 'Last group' } as const;
/** How long after a reading the agent may ask for the last group again. */
const REPEAT_WINDOW_MS = 120_000;

/**
 * The card vault: numbers sealed with a data key of their own (envelope encryption,
 * AAD binding tenant, customer and card), a keyed hash for duplicates, and only the
 * token, brand, last four, expiry and name anywhere else. A number is opened only
 * inside `withOpened`, to be rendered as speech, and zeroed at once.
 */
export class VaultService {
  /** Calls a card is being read into on this process (the customer's and the agent's side). */
  private readonly speaking = new Set<string>();
  private readonly refusals: RefusalLog;

  constructor(
    private readonly ctx: AppContext,
    readonly provider: KeyProvider,
    private readonly speech: CardSpeech,
  ) {
    this.refusals = new RefusalLog(ctx);
  }

  private get db() {
    return this.ctx.store.db;
  }

  async save(p: Principal, input: SaveCardInput): Promise<VaultCard> {
    if (!p.userId || p.role !== 'customer') throw forbidden('Only a customer saves their own cards');
    const issues = validateCard(input);
    if (issues.length > 0) throw badRequest('vault_card_invalid', 'The card is not valid', issues);
    const pan = Buffer.from(normalizePan(input.pan), 'ascii');
    try {
      const hash = keyedHash(await this.provider.hashKey(), p.tenantId, pan);
      const dup = await this.db
        .selectFrom('vault_cards')
        .select('id')
        .where('tenant_id', '=', p.tenantId)
        .where('customer_id', '=', p.userId)
        .where('pan_hash', '=', hash)
        .where('status', '=', 'active')
        .executeTakeFirst();
      if (dup) throw new CallsightError('vault_card_exists', 'This card is already saved', { status: 409 });
      const id = newId('vtk');
      const brand = cardBrand(pan.toString('ascii', 0, Math.min(8, pan.length)));
      const last4 = pan.toString('ascii', pan.length - 4);
      const sealed = await seal(this.provider, pan, cardAad(p.tenantId, p.userId, id));
      const row: VaultCardsTable = {
        id,
        tenant_id: p.tenantId,
        customer_id: p.userId,
        brand,
        last4,
        exp_month: input.expMonth,
        exp_year: input.expYear,
        holder_name: input.holderName.trim(),
        pan_hash: hash,
        sealed: sealed.box.toString('base64'),
        wrapped_key: sealed.key.wrapped.toString('base64'),
        key_version: sealed.key.version,
        status: 'active',
        created_at: Date.now(),
        revoked_at: null,
      };
      await this.db.insertInto('vault_cards').values(row).execute();
      await this.ctx.bus.publish({ tenantId: p.tenantId, type: 'vault.card.saved', userIds: [p.userId], data: { token: id, last4, brand, customerId: p.userId } });
      return toCard(row);
    } finally {
      pan.fill(0);
    }
  }

  /**
   * Renders the default voice's digit clips now, so that a reading starts speaking at
   * once: when a customer's cards are shown and at start if any card is saved.
   */
  warmSpeech(): Promise<void> {
    return this.speech.warm(Object.values(LABELS)).catch((err: unknown) => {
      this.ctx.log.warn({ code: err instanceof CallsightError ? err.code : 'error' }, 'could not render the card reading voice ahead');
    });
  }

  /** Whether any card is saved (then the reading voice is worth rendering at start). */
  async anyCard(): Promise<boolean> {
    return !!(await this.db.selectFrom('vault_cards').select('id').where('status', '=', 'active').limit(1).executeTakeFirst());
  }

  /** Customers: their own; staff: a customer's (`customerId`). */
  async list(p: Principal, customerId?: string, includeRevoked = false): Promise<VaultCard[]> {
    const who = p.role === 'customer' ? p.userId : customerId;
    // A customer looking at their cards may be about to read one.
    if (p.role === 'customer') void this.warmSpeech();
    if (!who) throw badRequest('validation_failed', 'Name the customer', [{ path: 'query.customerId', message: 'is required for staff' }]);
    let q = this.db.selectFrom('vault_cards').selectAll().where('tenant_id', '=', p.tenantId).where('customer_id', '=', who);
    if (!includeRevoked) q = q.where('status', '=', 'active');
    return (await q.orderBy('id', 'desc').limit(100).execute()).map(toCard);
  }

  /**
   * A card the principal may use: another customer's card reads as absent (404), a
   * removed one is 410. `seen` learns what exists, for the audit of a refusal.
   */
  private async usable(p: Principal, token: string, seen: Attempt = {}): Promise<VaultCardsTable> {
    const row = await this.db.selectFrom('vault_cards').selectAll().where('tenant_id', '=', p.tenantId).where('id', '=', token).executeTakeFirst();
    if (!row) {
      const foreign = await this.db.selectFrom('vault_cards').selectAll().where('id', '=', token).executeTakeFirst();
      if (foreign) seen.foreignCard = foreign;
      throw refusal(foreign ? 'other_tenant' : 'unknown_card', notFound('Card'));
    }
    seen.card = row;
    if (p.role === 'customer' && row.customer_id !== p.userId) throw refusal('not_their_card', notFound('Card'));
    if (row.status === 'revoked') throw new CallsightError('vault_card_revoked', 'This card was removed', { status: 410 });
    return row;
  }

  /** Runs an attempt to read a card; a refusal (not a failure of the server) leaves an audit row with its reason. */
  private async audited<T>(p: Principal, attempt: 'speak' | 'repeat', run: (seen: Attempt) => Promise<T>): Promise<T> {
    const seen: Attempt = {};
    try {
      return await run(seen);
    } catch (err) {
      const reason = refusalReason(err);
      if (reason) await this.refusals.record(p, attempt, reason, seen);
      throw err;
    }
  }

  /** Readings this customer started in the last hour (repeats are the agent's, not counted). */
  private async readingsLastHour(p: Principal): Promise<number> {
    const r = await this.db
      .selectFrom('vault_speaks')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('tenant_id', '=', p.tenantId)
      .where('customer_id', '=', p.userId ?? '')
      .where('kind', '=', 'card')
      .where('started_at', '>', Date.now() - 3_600_000)
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }

  async get(p: Principal, token: string): Promise<VaultCard> {
    const row = await this.db.selectFrom('vault_cards').selectAll().where('tenant_id', '=', p.tenantId).where('id', '=', token).executeTakeFirst();
    if (!row || (p.role === 'customer' && row.customer_id !== p.userId)) throw notFound('Card');
    return toCard(row);
  }

  /** Removes a card: its sealed number and wrapped key are erased, only the token and last 4 stay for the audit. */
  async revoke(p: Principal, token: string): Promise<VaultCard> {
    if (p.role !== 'customer' && p.role !== 'admin') throw forbidden('Only the customer or an admin removes a card');
    const row = await this.usable(p, token);
    const now = Date.now();
    await this.db.updateTable('vault_cards').set({ status: 'revoked', revoked_at: now, sealed: '', wrapped_key: '' }).where('id', '=', row.id).execute();
    await this.ctx.bus.publish({ tenantId: p.tenantId, type: 'vault.card.revoked', userIds: [row.customer_id], data: { token: row.id, last4: row.last4, customerId: row.customer_id } });
    return { ...toCard(row), status: 'revoked', revokedAt: now };
  }

  /**
   * Reads a saved card into the customer's live call: the agent hears the digits (the
   * customer's microphone gated), the customer hears them too, recordings hold comfort
   * noise there. Resolves once the audio starts; the spoken event follows at its end.
   */
  async speak(p: Principal, token: string, input: SpeakCardInput): Promise<SpeakResult> {
    return this.audited(p, 'speak', (seen) => this.startSpeak(p, token, input, seen));
  }

  private async startSpeak(p: Principal, token: string, input: SpeakCardInput, seen: Attempt): Promise<SpeakResult> {
    if (!p.userId || p.role !== 'customer') throw refusal('not_customer', forbidden('Only the customer reads their card into a call'));
    const [row, recent] = await Promise.all([this.usable(p, token, seen), this.readingsLastHour(p)]);
    const fields: { path: string; message: string }[] = [];
    if (input.cvv !== undefined && !(row.brand === 'amex' ? /^[0-9]{4}$/ : /^[0-9]{3}$/).test(input.cvv)) fields.push({ path: 'body.cvv', message: row.brand === 'amex' ? 'Four digits' : 'Three digits' });
    if (fields.length) throw badRequest('vault_card_invalid', 'The security code is not valid', fields);
    if (recent >= this.ctx.config.vaultReadsPerHour) throw new CallsightError('vault_speak_rate_limited', `At most ${this.ctx.config.vaultReadsPerHour} cards are read in an hour`, { status: 429 });
    const { mine, other } = this.callOf(p, input.callId, seen);
    const release = this.claimReading(mine.id, other.id);
    try {
      const cvv = input.cvv ? Buffer.from(input.cvv, 'ascii') : null;
      const expiry = Buffer.from(`${String(row.exp_month).padStart(2, '0')}${String(row.exp_year % 100).padStart(2, '0')}`, 'ascii');
      try {
        return await this.play(row, mine, other, p.userId, 'card', { voice: input.voice, rate: input.rate }, (pan) => {
          const sections: SpeechSection[] = [{ label: LABELS.card, groups: split(pan, groupSizes(row.brand as CardBrand, pan.length)) }];
          if (input.includeExpiry) sections.push({ label: LABELS.expiry, groups: [expiry.subarray(0, 2), expiry.subarray(2)] });
          if (cvv) sections.push({ label: LABELS.cvv, groups: [cvv] });
          return sections;
        }, release);
      } finally {
        cvv?.fill(0);
      }
    } catch (err) {
      release();
      throw err;
    }
  }

  /** One reading or keypad capture at a time per call (either leg): claims both legs, or 409 while one runs; returns the release. */
  claimReading(...callIds: string[]): () => void {
    if (callIds.some((id) => this.speaking.has(id))) throw new CallsightError('vault_speak_in_progress', 'A card is already being read or keyed into this call', { status: 409 });
    for (const id of callIds) this.speaking.add(id);
    let released = false;
    // Once only: a late second release must not free a reading claimed after this one.
    return () => {
      if (released) return;
      released = true;
      for (const id of callIds) this.speaking.delete(id);
    };
  }

  /**
   * The agent asks to hear the last group again (the digits after the last space: at
   * most the last 5, which the screen shows 4 of anyway), on the same connected call,
   * within two minutes of the reading.
   */
  async repeatLastGroup(p: Principal, speakId: string): Promise<SpeakResult> {
    return this.audited(p, 'repeat', (seen) => this.startRepeat(p, speakId, seen));
  }

  private async startRepeat(p: Principal, speakId: string, seen: Attempt): Promise<SpeakResult> {
    // Checked here rather than by the route, so that a customer's attempt is audited too.
    if (!hasRole(p, 'agent')) throw refusal('not_agent', forbidden('Only the agent on the call asks for a repeat'));
    const spoken = await this.db.selectFrom('vault_speaks').selectAll().where('tenant_id', '=', p.tenantId).where('id', '=', speakId).executeTakeFirst();
    if (!spoken) throw refusal('unknown_reading', notFound('Card reading'));
    const row = await this.db.selectFrom('vault_cards').selectAll().where('tenant_id', '=', p.tenantId).where('id', '=', spoken.card_id).executeTakeFirst();
    if (!row) throw refusal('unknown_card', notFound('Card'));
    seen.card = row;
    seen.callId = spoken.call_id;
    if (Date.now() - Number(spoken.started_at) > REPEAT_WINDOW_MS) throw new CallsightError('vault_repeat_expired', 'The card was read too long ago to repeat', { status: 409 });
    if (row.status === 'revoked') throw new CallsightError('vault_card_revoked', 'This card was removed', { status: 410 });
    const calls = this.ctx.services.maybe('telephony')?.manager;
    const mine = calls?.get(p.tenantId, spoken.call_id);
    const other = mine?.bridgedTo;
    if (!mine || mine.state !== 'answered' || !other || other.id !== spoken.other_call_id) throw new CallsightError('vault_no_active_call', 'The call the card was read into is no longer connected', { status: 409 });
    const release = this.claimReading(mine.id, other.id);
    try {
      return await this.play(row, mine, other, p.userId ?? p.apiKeyId ?? 'unknown', 'repeat', {}, (pan) => {
        const groups = split(pan, groupSizes(row.brand as CardBrand, pan.length));
        return [{ label: LABELS.repeat, groups: groups.slice(-1) }];
      }, release);
    } catch (err) {
      release();
      throw err;
    }
  }

  /**
   * Opens the card only to lay out which digit clip comes when, then plays it into the
   * customer's call at once: silence first, each clip as soon as it is rendered, and no
   * speech before the audit row is written (written meanwhile, not before).
   * Resolves once the whole reading is rendered, with its length.
   */
  private async play(
    row: VaultCardsTable,
    mine: Call,
    other: Call,
    actor: string,
    kind: 'card' | 'repeat',
    opts: { voice?: string; rate?: number },
    sectionsOf: (pan: Buffer) => SpeechSection[],
    release: () => void,
  ): Promise<SpeakResult> {
    const speakId = newId('vsp');
    const tenantId = row.tenant_id;
    let audited!: Promise<unknown>;
    const stream = await withOpened(this.provider, sealedOf(row), cardAad(row.tenant_id, row.customer_id, row.id), (pan) => {
      audited = this.db
        .insertInto('vault_speaks')
        .values({ id: speakId, tenant_id: tenantId, card_id: row.id, customer_id: row.customer_id, last4: row.last4, brand: row.brand, call_id: mine.id, other_call_id: other.id, started_at: Date.now(), duration_ms: null, status: 'speaking', kind, actor, markers: '[]' })
        .execute();
      return this.speech.stream(sectionsOf(pan), opts, audited);
    });
    const interactionId = mine.record.interactionId;
    const base = { token: row.id, last4: row.last4, customerId: row.customer_id, callId: mine.id, otherCallId: other.id, speakId };
    let ended = false;
    void mine
      .playConfidential(stream)
      .then(async ({ end, masks }) => {
        ended = true;
        await audited;
        if (stream.failure !== null) throw stream.failure;
        const markers: RecordingMarker[] = masks.map((m) => ({ ...m, token: row.id, last4: row.last4 }));
        await this.db.updateTable('vault_speaks').set({ status: end, markers: JSON.stringify(markers), duration_ms: stream.playedMs }).where('id', '=', speakId).execute();
        await this.ctx.bus.publish({ tenantId, type: 'vault.card.spoken', interactionId, userIds: [row.customer_id], data: { ...base, durationMs: stream.playedMs, outcome: end } });
      })
      .catch(async (err: unknown) => {
        ended = true;
        stream.fail(err);
        this.ctx.log.warn({ speakId, code: err instanceof CallsightError ? err.code : 'error' }, 'reading a card into a call failed');
        await audited.catch(() => {});
        await this.db.updateTable('vault_speaks').set({ status: 'failed', duration_ms: stream.playedMs }).where('id', '=', speakId).execute().catch(() => {});
      })
      .finally(() => {
        stream.dispose();
        release();
      });
    const durationMs = await stream.rendered;
    if (stream.failure !== null) throw stream.failure;
    if (!ended) void this.ctx.bus.publish({ tenantId, type: 'vault.card.speaking', interactionId, userIds: [row.customer_id], data: { ...base, durationMs, brand: row.brand as CardBrand } }).catch(() => {});
    return { speakId, token: row.id, last4: row.last4, durationMs };
  }

  /** The customer's side of a live, connected call they are a party to. */
  private callOf(p: Principal, callId: string, seen: Attempt): { mine: Call; other: Call } {
    const calls = this.ctx.services.maybe('telephony')?.manager;
    const call = calls?.get(p.tenantId, callId);
    if (call) seen.callId = call.id;
    if (!call || call.state !== 'answered') throw new CallsightError('vault_no_active_call', 'There is no connected call to read the card into', { status: 409 });
    const party = `user:${p.userId}`;
    const mine = [call, call.bridgedTo].find((c) => c?.leg.remote === party);
    if (!mine) throw new CallsightError('vault_not_on_call', 'You are not a party to this call', { status: 403 });
    const other = mine.bridgedTo;
    if (!other || other.state !== 'answered') throw new CallsightError('vault_no_active_call', 'The call is not connected to anyone yet', { status: 409 });
    return { mine, other };
  }

  async speaks(tenantId: string, limit = 100): Promise<VaultSpeakRecord[]> {
    return (await this.db.selectFrom('vault_speaks').selectAll().where('tenant_id', '=', tenantId).orderBy('id', 'desc').limit(limit).execute()).map(toSpeak);
  }

  /** `tenantId`: the operator's, whose event log holds the rotations. */
  async keyStatus(tenantId: string): Promise<VaultKeyStatus> {
    const s = await this.provider.status();
    const rows = await this.db.selectFrom('vault_cards').select(['key_version', (eb) => eb.fn.countAll<number>().as('n')]).where('status', '=', 'active').groupBy('key_version').execute();
    const last = await this.db.selectFrom('events').select('time').where('tenant_id', '=', tenantId).where('type', '=', 'vault.key.rotated').orderBy('seq', 'desc').limit(1).executeTakeFirst();
    return { provider: this.provider.name, ...s, cardsByVersion: Object.fromEntries(rows.map((r) => [String(r.key_version), Number(r.n)])), lastRotatedAt: last ? Number(last.time) : null };
  }

  /**
   * A new KEK version; every data key is re-wrapped under it (no number is decrypted:
   * only data keys move, inside the provider). With `retire`, older versions stop
   * decrypting once no card needs them.
   */
  /**
   * The key-encryption keys are the server's, shared by every tenant: only the
   * operator's tenant (the first one created, the one `npm start` seeds or an install
   * begins with) sees and rotates them; another tenant's admin would act on all of them.
   */
  async assertOperator(tenantId: string): Promise<void> {
    const first = await this.db.selectFrom('tenants').select('id').orderBy('created_at').orderBy('id').limit(1).executeTakeFirst();
    if (first?.id !== tenantId) throw new CallsightError('vault_operator_only', "The vault's keys are managed by the server's operator", { status: 403 });
  }

  async rotate(tenantId: string, opts: { retire?: boolean; by?: string } = {}): Promise<{ version: number; rewrapped: number; minDecryptionVersion: number }> {
    await this.assertOperator(tenantId);
    const version = await this.provider.rotate();
    const rewrapped = await this.rewrapAll();
    if (opts.retire) await this.retireBelow(version);
    const { minDecryptionVersion } = await this.provider.status();
    await this.ctx.bus.publish({ tenantId, type: 'vault.key.rotated', data: { version, rewrapped, minDecryptionVersion, ...(opts.by ? { by: opts.by } : {}) } });
    return { version, rewrapped, minDecryptionVersion };
  }

  /** Re-wraps every active card below the current version; repeats until none is left (saves racing a rotation). */
  async rewrapAll(): Promise<number> {
    let total = 0;
    for (;;) {
      const { currentVersion } = await this.provider.status();
      const rows = await this.db.selectFrom('vault_cards').select(['id', 'tenant_id', 'customer_id', 'wrapped_key', 'key_version']).where('status', '=', 'active').where('key_version', '<', currentVersion).limit(REWRAP_BATCH).execute();
      if (rows.length === 0) return total;
      for (const r of rows) {
        const next = await this.provider.rewrap({ version: r.key_version, wrapped: Buffer.from(r.wrapped_key, 'base64') }, cardAad(r.tenant_id, r.customer_id, r.id));
        // Only if nobody changed it meanwhile (another process rewrapping, a revoke).
        const res = await this.db
          .updateTable('vault_cards')
          .set({ wrapped_key: next.wrapped.toString('base64'), key_version: next.version })
          .where('id', '=', r.id)
          .where('key_version', '=', r.key_version)
          .where('wrapped_key', '=', r.wrapped_key)
          .where('status', '=', 'active')
          .executeTakeFirst();
        if (Number(res.numUpdatedRows) > 0) total++;
      }
    }
  }

  /** Sets `minDecryptionVersion`, refused while an active card is still wrapped below it. */
  async retireBelow(version: number): Promise<void> {
    const left = await this.db.selectFrom('vault_cards').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'active').where('key_version', '<', version).executeTakeFirstOrThrow();
    if (Number(left.n) > 0) throw new CallsightError('vault_min_version_invalid', `${left.n} cards are still wrapped below version ${version}`, { status: 409 });
    await this.provider.setMinDecryptionVersion(version);
  }

  /** Staff view of the brand names, for messages. */
  static brandName(brand: string): string {
    return BRAND_NAMES[brand as CardBrand] ?? 'Card';
  }
}

/** Views of `buf` in groups (no copies: zeroing `buf` zeroes them). */
function split(buf: Buffer, sizes: number[]): Buffer[] {
  const out: Buffer[] = [];
  let at = 0;
  for (const n of sizes) {
    out.push(buf.subarray(at, at + n));
    at += n;
  }
  return out;
}
