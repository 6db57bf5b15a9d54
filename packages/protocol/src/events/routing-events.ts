import type { ChatAuthor, Presence, RoutingChannel } from '../api/routing.js';

/** What every work-item event carries; the calls layer listens to `routing.assigned` (channel voice). */
export interface RoutingItemEvent {
  itemId: string;
  queueId: string;
  agentId?: string;
  channel: RoutingChannel;
  interactionId: string;
}

/** Routing (work items offered to agents) and chat. */
export interface RoutingEvents {
  'routing.queued': RoutingItemEvent & { priority: number; volume: number };
  'routing.offered': RoutingItemEvent & { agentId: string; expiresAt: number };
  'routing.accepted': RoutingItemEvent & { agentId: string };
  /** `timeout` when the offer expired unanswered; the item is offered again. */
  'routing.rejected': RoutingItemEvent & { agentId: string; reason: 'rejected' | 'timeout' | 'reassigned' };
  'routing.assigned': RoutingItemEvent & { agentId: string; by: 'accept' | 'supervisor' };
  'routing.completed': RoutingItemEvent & { wrapUpCode: string | null };
  'routing.cancelled': RoutingItemEvent & { reason: string };
  'routing.overflowed': RoutingItemEvent & { fromQueueId: string };
  'routing.agent': { agentId: string; presence: Presence; presenceUntil: number | null };
  'routing.queue': { queueId: string; name: string };
  'chat.message': { conversationId: string; messageId: string; author: ChatAuthor; authorName: string; text: string };
  'chat.typing': { conversationId: string; author: ChatAuthor; authorName: string; typing: boolean };
  'chat.closed': { conversationId: string };
}
