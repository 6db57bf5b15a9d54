import { CallsightApiError } from '@callsight/sdk';

/** Types and calls of the routing and chat API (packages/server/src/routing), for the agent and admin apps. */
export type Channel = 'voice' | 'video' | 'chat' | 'sms' | 'email';
export type Presence = 'available' | 'away' | 'wrap-up' | 'offline';

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
  queueId: string;
  interactionId: string;
  channel: Channel;
  priority: number;
  volume: number;
  context: Record<string, unknown>;
  state: 'queued' | 'offered' | 'assigned' | 'completed' | 'cancelled';
  agentId: string | null;
  offerExpiresAt: number | null;
  enqueuedAt: number;
  assignedAt: number | null;
}

export interface Queue {
  id: string;
  name: string;
  channels: Channel[];
  wrapUpCodes: string[];
  slaSeconds: number;
  acceptTimeoutSeconds: number;
}

export interface QueueStats {
  queueId: string;
  name: string;
  waiting: number;
  longestWaitMs: number;
  answered: number;
  slaPercent: number | null;
}

export interface ChatMessage {
  id: string;
  conversationId: string;
  author: 'visitor' | 'customer' | 'agent' | 'system';
  authorName: string;
  text: string;
  createdAt: number;
}

export interface Conversation {
  id: string;
  interactionId: string;
  visitorName: string;
  state: 'open' | 'closed';
}

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(path, {
    method,
    headers: body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw await CallsightApiError.fromResponse(res);
  return (res.status === 204 ? undefined : await res.json()) as T;
}

export const routingApi = {
  me: () => call<{ agent: AgentRouting; items: WorkItem[] }>('GET', '/api/routing/me'),
  setPresence: (presence: 'available' | 'away' | 'offline') => call<AgentRouting>('PUT', '/api/routing/me/presence', { presence }),
  queues: () => call<{ items: Queue[] }>('GET', '/api/routing/queues'),
  accept: (id: string) => call<WorkItem>('POST', `/api/routing/items/${id}/accept`),
  reject: (id: string) => call<WorkItem>('POST', `/api/routing/items/${id}/reject`),
  complete: (id: string, wrapUpCode: string | null) => call<WorkItem>('POST', `/api/routing/items/${id}/complete`, { wrapUpCode }),
  agents: () => call<{ items: AgentRouting[] }>('GET', '/api/routing/agents'),
  items: (state: 'open') => call<{ items: WorkItem[] }>('GET', `/api/routing/items?state=${state}`),
  stats: () => call<{ queues: QueueStats[]; time: number }>('GET', '/api/routing/stats'),
  reassign: (id: string, agentId: string) => call<WorkItem>('POST', `/api/routing/items/${id}/reassign`, { agentId }),
};

export const chatApi = {
  get: (id: string) => call<{ conversation: Conversation; messages: ChatMessage[] }>('GET', `/api/chat/conversations/${id}`),
  send: (id: string, text: string) => call<ChatMessage>('POST', `/api/chat/conversations/${id}/messages`, { text }),
  typing: (id: string, typing: boolean) => call<void>('POST', `/api/chat/conversations/${id}/typing`, { typing }),
};

export interface SmsMessage {
  id: string;
  direction: 'outbound' | 'inbound';
  peer: string;
  ownNumber: string;
  text: string;
  status: 'sent' | 'delivered' | 'failed' | 'received';
  createdAt: number;
}

export const smsApi = {
  thread: (interactionId: string) => call<{ items: SmsMessage[] }>('GET', `/api/interactions/${interactionId}/sms`),
  send: (input: { to: string; from: string; text: string; interactionId: string }) => call<{ messageId: string }>('POST', '/api/sms', input),
};

export const CHANNEL_LABEL: Record<Channel, string> = { voice: 'Call', video: 'Video call', chat: 'Chat', sms: 'SMS', email: 'Email' };
