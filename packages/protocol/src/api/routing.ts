/** Routing (queues, agents, work items) and chat. */

export type RoutingChannel = 'voice' | 'video' | 'chat' | 'sms' | 'email';
export const ROUTING_CHANNELS = ['voice', 'video', 'chat', 'sms', 'email'] as const satisfies readonly RoutingChannel[];
export type Presence = 'available' | 'away' | 'wrap-up' | 'offline';
/** What an agent may choose; wrap-up is entered and left by the routing timer. */
export type ChosenPresence = Exclude<Presence, 'wrap-up'>;
export type ItemState = 'queued' | 'offered' | 'assigned' | 'completed' | 'cancelled';
export type ChatAuthor = 'visitor' | 'customer' | 'agent' | 'system';

export interface SkillNeed {
  skill: string;
  /** 1–10; the agent's level must be at least this. */
  minLevel: number;
}

export interface Skill {
  id: string;
  name: string;
  description: string | null;
}

export interface Queue {
  id: string;
  tenantId: string;
  name: string;
  channels: RoutingChannel[];
  skills: SkillNeed[];
  priority: number;
  slaSeconds: number;
  textDuringVoice: boolean;
  acceptTimeoutSeconds: number;
  wrapUpSeconds: number;
  wrapUpCodes: string[];
  overflowQueueId: string | null;
  overflowAfterSeconds: number | null;
  createdAt: number;
  updatedAt: number;
}

export interface QueueInput {
  name: string;
  channels: RoutingChannel[];
  skills?: SkillNeed[];
  priority?: number;
  slaSeconds?: number;
  textDuringVoice?: boolean;
  acceptTimeoutSeconds?: number;
  wrapUpSeconds?: number;
  wrapUpCodes?: string[];
  overflowQueueId?: string | null;
  overflowAfterSeconds?: number | null;
}

/** An agent's routing state with their name, as supervisors and the agent see it. */
export interface AgentRouting {
  userId: string;
  name: string;
  email: string;
  skills: Record<string, number>;
  limit: number;
  presence: Presence;
  presenceUntil: number | null;
  mediaCount: number;
  textLoad: number;
  idleSince: number;
}

export interface WorkItem {
  id: string;
  tenantId: string;
  queueId: string;
  interactionId: string;
  channel: RoutingChannel;
  priority: number;
  volume: number;
  skills: SkillNeed[];
  context: Record<string, unknown>;
  state: ItemState;
  agentId: string | null;
  offerExpiresAt: number | null;
  declinedBy: string[];
  enqueuedAt: number;
  queueEnteredAt: number;
  assignedAt: number | null;
  closedAt: number | null;
  closeReason: string | null;
  wrapUpCode: string | null;
  version: number;
}

/** Give exactly one of `queueId` and `queueName`. */
export interface EnqueueInput {
  interactionId: string;
  channel: RoutingChannel;
  queueId?: string;
  queueName?: string;
  skills?: SkillNeed[];
  priority?: number;
  volume?: number;
  context?: Record<string, unknown>;
}

export interface QueueStats {
  queueId: string;
  name: string;
  waiting: number;
  longestWaitMs: number;
  answered: number;
  /** Share of items answered within the SLA in the last hour; null when none were answered. */
  slaPercent: number | null;
}

export interface RoutingSettings {
  /** Default processing volume of one item per text channel. */
  volumes: Record<'chat' | 'sms' | 'email', number>;
  /** Text workload limit of agents who have none of their own set. */
  defaultLimit: number;
}

export interface ChatMessage {
  id: string;
  conversationId: string;
  author: ChatAuthor;
  authorId: string | null;
  authorName: string;
  text: string;
  createdAt: number;
}

export interface Conversation {
  id: string;
  tenantId: string;
  interactionId: string;
  itemId: string | null;
  visitorName: string;
  customerId: string | null;
  state: 'open' | 'closed';
  createdAt: number;
  closedAt: number | null;
}

export interface StartChatInput {
  /** Queue name; default `support`. */
  queue?: string;
  subject?: string | null;
  message?: string | null;
}

/** A started chat: `token` lets the widget act as the chat's visitor or customer. */
export interface StartedChat {
  conversation: Conversation;
  token: string;
  messages: ChatMessage[];
}
