import type {
  AgentRouting,
  ChatMessage,
  ChosenPresence,
  Conversation,
  EnqueueInput,
  ItemState,
  Queue,
  QueueInput,
  QueueStats,
  RoutingSettings,
  Skill,
  StartChatInput,
  StartedChat,
  WorkItem,
} from '@callsight/protocol';
import { enc, type Send } from './request.js';

/** Queues, skills and routing settings (supervisors change them; agents read them). */
export function queueMethods(send: Send) {
  return {
    list: () => send<{ items: Queue[] }>('GET', '/api/routing/queues'),
    create: (input: QueueInput) => send<Queue>('POST', '/api/routing/queues', { body: input }),
    /** Replaces the queue's settings. */
    update: (id: string, input: QueueInput) => send<Queue>('PUT', `/api/routing/queues/${enc(id)}`, { body: input }),
    skills: () => send<{ items: Skill[] }>('GET', '/api/routing/skills'),
    createSkill: (input: { name: string; description?: string | null }) => send<Skill>('POST', '/api/routing/skills', { body: input }),
    settings: () => send<RoutingSettings>('GET', '/api/routing/settings'),
    saveSettings: (settings: RoutingSettings) => send<RoutingSettings>('PUT', '/api/routing/settings', { body: settings }),
    /** Waiting items, longest wait and SLA of each queue over the last hour. */
    stats: () => send<{ queues: QueueStats[]; time: number }>('GET', '/api/routing/stats'),
  };
}

/** Work items offered to agents: an agent's own state and offers, and supervisors' views and actions. */
export function workMethods(send: Send) {
  const act = (id: string, action: string, body?: unknown) => send<WorkItem>('POST', `/api/routing/items/${enc(id)}/${action}`, body === undefined ? {} : { body });
  return {
    enqueue: (input: EnqueueInput) => send<{ itemId: string }>('POST', '/api/routing/items', { body: input }),
    /** Agents see their own unless supervisor; `open` = queued, offered or assigned. */
    list: (query: { state?: ItemState | 'open'; queueId?: string; limit?: number } = {}) => send<{ items: WorkItem[] }>('GET', '/api/routing/items', { query }),
    get: (id: string) => send<WorkItem>('GET', `/api/routing/items/${enc(id)}`),
    accept: (id: string) => act(id, 'accept'),
    reject: (id: string) => act(id, 'reject'),
    complete: (id: string, wrapUpCode: string | null = null) => act(id, 'complete', { wrapUpCode }),
    cancel: (id: string, reason: string) => act(id, 'cancel', { reason }),
    reassign: (id: string, agentId: string) => act(id, 'reassign', { agentId }),
    /** Your routing state and the items offered to or held by you. */
    me: () => send<{ agent: AgentRouting; items: WorkItem[] }>('GET', '/api/routing/me'),
    setPresence: (presence: ChosenPresence) => send<AgentRouting>('PUT', '/api/routing/me/presence', { body: { presence } }),
    agents: () => send<{ items: AgentRouting[] }>('GET', '/api/routing/agents'),
    /** An agent's skills (name → level 1–10) and text workload limit. */
    setAgent: (userId: string, input: { skills?: Record<string, number>; limit?: number }) => send<AgentRouting>('PUT', `/api/routing/agents/${enc(userId)}`, { body: input }),
  };
}

/** Web chat as a logged-in agent or customer (the anonymous widget uses its visitor token). */
export function chatMethods(send: Send) {
  return {
    start: (input: StartChatInput = {}) => send<StartedChat>('POST', '/api/chat/conversations', { body: input }),
    get: (id: string) => send<{ conversation: Conversation; messages: ChatMessage[] }>('GET', `/api/chat/conversations/${enc(id)}`),
    send: (id: string, text: string) => send<ChatMessage>('POST', `/api/chat/conversations/${enc(id)}/messages`, { body: { text } }),
    typing: (id: string, typing: boolean) => send<void>('POST', `/api/chat/conversations/${enc(id)}/typing`, { body: { typing } }),
  };
}
