import type { AppContext } from '../../app-context.js';
import type { Subscription } from '../../bus/event-bus.js';
import { routingErrors } from '../routing-errors.js';
import type { RoutingItemEvent } from '@callsight/protocol';
import type { RoutingService } from '../routing-service.js';
import type { ChatAuthor } from '../routing-tables.js';
import { ChatRepo, type ChatMessage, type Conversation } from './chat-repo.js';
import { issueVisitorToken } from './visitor-token.js';

/**
 * Web chat as a routing channel: a conversation is part of an interaction, is
 * routed as a `chat` work item, and every message and typing change is an event
 * (`chat.message`, `chat.typing`, `chat.closed`) on that interaction.
 */
export class ChatService {
  readonly repo: ChatRepo;
  private sub: Subscription | null = null;

  constructor(
    private readonly ctx: AppContext,
    private readonly routing: RoutingService,
  ) {
    this.repo = new ChatRepo(ctx.store);
  }

  async start(): Promise<void> {
    // One process per event: the join/leave notes are written once.
    this.sub = await this.ctx.bus.subscribe({ group: 'chat', types: ['routing.assigned', 'routing.completed', 'routing.cancelled'] }, async (e) => {
      const data = e.data as RoutingItemEvent;
      if (data.channel !== 'chat') return;
      const conv = await this.repo.byItem(data.itemId);
      if (!conv || conv.state === 'closed') return;
      if (e.type === 'routing.assigned' && data.agentId) {
        const agent = await this.ctx.users.get(conv.tenantId, data.agentId);
        await this.post(conv, 'system', null, 'callsight', `${agent?.name ?? 'An agent'} joined the chat`);
      } else if (e.type !== 'routing.assigned') {
        await this.closeConversation(conv, e.type === 'routing.completed' ? 'The agent ended the chat' : 'The chat was closed');
      }
    });
  }

  async stop(): Promise<void> {
    await this.sub?.unsubscribe();
  }

  /**
   * A visitor (or logged-in customer) opens a chat: interaction, conversation, routing item.
   * `interactionId` continues an existing contact in chat (a deflected call) and
   * `context` adds what the agent should see about it.
   */
  async startConversation(input: {
    tenantId: string;
    name: string;
    customerId: string | null;
    queueName: string;
    subject: string | null;
    message: string | null;
    interactionId?: string;
    context?: Record<string, unknown>;
  }) {
    // Checked before anything is created, so a bad queue leaves no orphan interaction behind.
    const queue = await this.routing.repo.queueByName(input.tenantId, input.queueName);
    if (!queue) throw routingErrors.unknownQueue(input.queueName);
    if (!queue.channels.includes('chat')) throw routingErrors.channelNotServed('chat', queue.name);
    const interaction = input.interactionId
      ? await this.ctx.interactions.addChannel(input.tenantId, input.interactionId, 'chat')
      : await this.ctx.interactions.create({ tenantId: input.tenantId, channel: 'chat', customerId: input.customerId, subject: input.subject });
    if (!interaction) throw routingErrors.unknownInteraction(input.interactionId ?? '');
    if (!input.interactionId)
      await this.ctx.bus.publish({
        tenantId: input.tenantId,
        type: 'interaction.created',
        interactionId: interaction.id,
        userIds: input.customerId ? [input.customerId] : undefined,
        data: { interactionId: interaction.id, channels: interaction.channels, customerId: input.customerId },
      });
    const conv = await this.repo.create({ tenantId: input.tenantId, interactionId: interaction.id, visitorName: input.name, customerId: input.customerId });
    if (input.message) await this.post(conv, input.customerId ? 'customer' : 'visitor', input.customerId, input.name, input.message);
    const { itemId } = await this.routing.enqueue({
      tenantId: input.tenantId,
      interactionId: interaction.id,
      channel: 'chat',
      queueId: queue.id,
      context: { ...input.context, conversationId: conv.id, visitorName: input.name, subject: input.subject },
    });
    await this.repo.setItem(conv.id, itemId);
    const token = issueVisitorToken(this.ctx.secretBox, { tenantId: input.tenantId, conversationId: conv.id, customerId: input.customerId, name: input.name });
    return { conversation: { ...conv, itemId }, token };
  }

  async post(conv: Conversation, author: ChatAuthor, authorId: string | null, authorName: string, text: string): Promise<ChatMessage> {
    const msg = await this.repo.addMessage({ tenantId: conv.tenantId, conversationId: conv.id, author, authorId, authorName, text });
    await this.ctx.bus.publish({
      tenantId: conv.tenantId,
      type: 'chat.message',
      interactionId: conv.interactionId,
      userIds: conv.customerId ? [conv.customerId] : undefined,
      data: { conversationId: conv.id, messageId: msg.id, author, authorName, text },
    });
    return msg;
  }

  async typing(conv: Conversation, author: ChatAuthor, authorName: string, typing: boolean): Promise<void> {
    await this.ctx.bus.publish({
      tenantId: conv.tenantId,
      type: 'chat.typing',
      interactionId: conv.interactionId,
      userIds: conv.customerId ? [conv.customerId] : undefined,
      data: { conversationId: conv.id, author, authorName, typing },
    });
  }

  /** The visitor left: the routing item ends too (cancelled if nobody had taken it yet). */
  async leave(conv: Conversation): Promise<void> {
    if (conv.itemId) {
      const item = await this.routing.repo.item(conv.itemId);
      if (item && item.state === 'assigned') await this.routing.complete(item.id);
      else if (item && (item.state === 'queued' || item.state === 'offered')) await this.routing.cancel(item.id, 'visitor left');
    }
    await this.closeConversation(conv, `${conv.visitorName} left the chat`);
  }

  private async closeConversation(conv: Conversation, note: string): Promise<void> {
    if (!(await this.repo.close(conv.id))) return;
    await this.post(conv, 'system', null, 'callsight', note);
    await this.ctx.bus.publish({
      tenantId: conv.tenantId,
      type: 'chat.closed',
      interactionId: conv.interactionId,
      userIds: conv.customerId ? [conv.customerId] : undefined,
      data: { conversationId: conv.id },
    });
    // The chat was this interaction's channel: it ends with it.
    await this.ctx.interactions.close(conv.tenantId, conv.interactionId);
    await this.ctx.bus.publish({
      tenantId: conv.tenantId,
      type: 'interaction.closed',
      interactionId: conv.interactionId,
      userIds: conv.customerId ? [conv.customerId] : undefined,
      data: { interactionId: conv.interactionId },
    });
  }
}
