import type { AppContext } from '../app-context.js';
import { newId } from '../core/ids.js';
import type { InboundSms } from './sms-gateway.js';
import type { SmsService } from './sms-service.js';

/**
 * Inbound SMS as routed work: the first message from a number opens an `sms`
 * interaction queued to agents (queue CALLSIGHT_SMS_QUEUE, default `support`);
 * later messages from it join that conversation while its interaction is open.
 */
export class SmsInbox {
  constructor(
    private readonly ctx: AppContext,
    private readonly sms: SmsService,
    private readonly queueName: string,
  ) {}

  async onMessage(msg: InboundSms): Promise<void> {
    const open = await this.openThread(msg.tenantId, msg.from, msg.to);
    if (open) {
      await this.sms.attach(msg.messageId, open.interaction_id);
      return;
    }
    const interaction = await this.ctx.interactions.create({ tenantId: msg.tenantId, channel: 'sms', subject: `SMS from ${msg.from}` });
    await this.ctx.bus.publish({ tenantId: msg.tenantId, type: 'interaction.created', interactionId: interaction.id, data: { interactionId: interaction.id, channels: interaction.channels, customerId: null } });
    await this.sms.attach(msg.messageId, interaction.id);
    const threadId = newId('smst');
    await this.ctx.store.db
      .insertInto('sms_threads')
      .values({ id: threadId, tenant_id: msg.tenantId, peer: msg.from, own_number: msg.to, interaction_id: interaction.id, item_id: null, created_at: Date.now() })
      .execute();
    const { itemId } = await this.ctx.services.get('routing').enqueue({
      tenantId: msg.tenantId,
      interactionId: interaction.id,
      channel: 'sms',
      queueName: this.queueName,
      context: { from: msg.from, to: msg.to, firstMessage: msg.text, threadId },
    });
    await this.ctx.store.db.updateTable('sms_threads').set({ item_id: itemId }).where('id', '=', threadId).execute();
  }

  private async openThread(tenantId: string, peer: string, own: string) {
    return this.ctx.store.db
      .selectFrom('sms_threads')
      .innerJoin('interactions', 'interactions.id', 'sms_threads.interaction_id')
      .select(['sms_threads.id', 'sms_threads.interaction_id'])
      .where('sms_threads.tenant_id', '=', tenantId)
      .where('sms_threads.peer', '=', peer)
      .where('sms_threads.own_number', '=', own)
      .where('interactions.state', '=', 'open')
      .orderBy('sms_threads.created_at', 'desc')
      .executeTakeFirst();
  }
}
