import type { AppContext } from '../app-context.js';
import { CallsightError } from '../core/errors.js';
import { newId } from '../core/ids.js';
import type { InboundSms, OutboundSms, SmsGateway } from './sms-gateway.js';
import type { SmsMessagesTable } from './sms-tables.js';
import type { SmsTransport } from './sms-transport.js';
import './sms-tables.js';

/**
 * The SMS gateway over one transport (SMPP or HTTP): records every message, turns the
 * transport's receipts and MO messages into tenant events, and resolves the
 * tenant of an inbound message from the number it was sent to.
 */
export class SmsService implements SmsGateway {
  private readonly handlers = new Set<(msg: InboundSms) => Promise<void> | void>();

  constructor(
    private readonly ctx: AppContext,
    private readonly transport: SmsTransport,
    private readonly defaultFrom: string,
  ) {
    transport.on('mo', (m) => void this.receive(m).catch((err) => ctx.log.error({ err }, 'inbound SMS failed')));
    transport.on('receipt', (r) => void this.onReceipt(r).catch((err) => ctx.log.error({ err }, 'SMS receipt failed')));
  }

  async send(tenantId: string, msg: OutboundSms): Promise<{ messageId: string }> {
    const from = msg.from ?? this.defaultFrom;
    let smscIds: string[];
    try {
      smscIds = await this.transport.submit({ from, to: msg.to, text: msg.text });
    } catch (err) {
      const e = err instanceof CallsightError ? err : new CallsightError('sms_unavailable', String(err), { status: 503 });
      await this.ctx.bus.publish({ tenantId, type: 'sms.failed', interactionId: msg.interactionId, data: { to: msg.to, code: e.code, reason: e.message } });
      throw e;
    }
    const row = await this.record({ tenantId, interactionId: msg.interactionId ?? null, direction: 'outbound', peer: msg.to, ownNumber: from, text: msg.record ?? msg.text, smscId: smscIds[0], status: 'sent' });
    await this.ctx.bus.publish({ tenantId, type: 'sms.sent', interactionId: msg.interactionId, data: { messageId: row.id, to: msg.to, from, parts: smscIds.length } });
    return { messageId: row.id };
  }

  onInbound(handler: (msg: InboundSms) => Promise<void> | void): () => void {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }

  /** Links an already-recorded message to the interaction it became part of. */
  async attach(messageId: string, interactionId: string): Promise<void> {
    await this.ctx.store.db.updateTable('sms_messages').set({ interaction_id: interactionId }).where('id', '=', messageId).execute();
  }

  async messages(tenantId: string, interactionId: string): Promise<SmsMessagesTable[]> {
    return this.ctx.store.db.selectFrom('sms_messages').selectAll().where('tenant_id', '=', tenantId).where('interaction_id', '=', interactionId).orderBy('id').execute();
  }

  private async receive(m: { from: string; to: string; text: string }): Promise<void> {
    const number = await this.ctx.services.maybe('telephony')?.numbers.lookup(m.to);
    if (!number) {
      this.ctx.log.warn({ to: m.to }, 'inbound SMS to a number no tenant owns; dropped');
      return;
    }
    const tenantId = number.tenantId;
    const row = await this.record({ tenantId, interactionId: null, direction: 'inbound', peer: m.from, ownNumber: m.to, text: m.text, smscId: null, status: 'received' });
    await this.ctx.bus.publish({ tenantId, type: 'sms.received', data: { messageId: row.id, from: m.from, to: m.to, text: m.text } });
    const msg: InboundSms = { messageId: row.id, tenantId, from: m.from, to: m.to, text: m.text, receivedAt: row.created_at };
    for (const h of this.handlers) await h(msg);
  }

  private async onReceipt(r: { messageId: string; delivered: boolean; stat: string }): Promise<void> {
    const row = await this.ctx.store.db.selectFrom('sms_messages').selectAll().where('smsc_id', '=', r.messageId).executeTakeFirst();
    if (!row || row.status !== 'sent') return;
    const status = r.delivered ? 'delivered' : 'failed';
    await this.ctx.store.db.updateTable('sms_messages').set({ status }).where('id', '=', row.id).execute();
    const base = { tenantId: row.tenant_id, interactionId: row.interaction_id ?? undefined };
    if (r.delivered) await this.ctx.bus.publish({ ...base, type: 'sms.delivered', data: { messageId: row.id, to: row.peer } });
    else await this.ctx.bus.publish({ ...base, type: 'sms.failed', data: { messageId: row.id, to: row.peer, code: 'sms_undelivered', reason: `delivery receipt ${r.stat}` } });
  }

  private async record(m: { tenantId: string; interactionId: string | null; direction: SmsMessagesTable['direction']; peer: string; ownNumber: string; text: string; smscId: string | null; status: SmsMessagesTable['status'] }) {
    const row: SmsMessagesTable = {
      id: newId('sms'),
      tenant_id: m.tenantId,
      interaction_id: m.interactionId,
      direction: m.direction,
      peer: m.peer,
      own_number: m.ownNumber,
      text: m.text,
      smsc_id: m.smscId,
      status: m.status,
      created_at: Date.now(),
    };
    await this.ctx.store.db.insertInto('sms_messages').values(row).execute();
    return row;
  }
}
