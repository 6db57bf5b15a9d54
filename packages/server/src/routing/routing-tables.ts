import type { ChatAuthor, ItemState, Presence } from '@callsight/protocol';

export type { ChatAuthor, ItemState, Presence };
/** Table types of migration 0003 (times epoch ms, JSON as text). */
export interface RoutingSettingsTable {
  tenant_id: string;
  /** {chat, sms, email}: default processing volume per text channel. */
  volumes: string;
  default_limit: number;
  updated_at: number;
}

export interface RoutingSkillsTable {
  id: string;
  tenant_id: string;
  name: string;
  description: string | null;
  created_at: number;
}

export interface RoutingQueuesTable {
  id: string;
  tenant_id: string;
  name: string;
  channels: string;
  skills: string;
  priority: number;
  sla_seconds: number;
  /** 0/1: may text items be offered to an agent on a voice/video item. */
  text_during_voice: number;
  accept_timeout_seconds: number;
  wrap_up_seconds: number;
  wrap_up_codes: string;
  overflow_queue_id: string | null;
  overflow_after_seconds: number | null;
  created_at: number;
  updated_at: number;
}


export interface RoutingAgentsTable {
  user_id: string;
  tenant_id: string;
  skills: string;
  text_limit: number;
  presence: Presence;
  /** End of wrap-up: the agent becomes available again then. */
  presence_until: number | null;
  /** Audio/video items held (offered or assigned): guarded by conditional UPDATEs. */
  media_count: number;
  /** Sum of volumes of text items held. */
  text_load: number;
  idle_since: number;
  version: number;
  updated_at: number;
}


export interface RoutingItemsTable {
  id: string;
  tenant_id: string;
  queue_id: string;
  interaction_id: string;
  channel: string;
  priority: number;
  volume: number;
  skills: string;
  context: string;
  state: ItemState;
  agent_id: string | null;
  offer_expires_at: number | null;
  declined_by: string;
  enqueued_at: number;
  queue_entered_at: number;
  assigned_at: number | null;
  closed_at: number | null;
  close_reason: string | null;
  wrap_up_code: string | null;
  version: number;
  updated_at: number;
}

export interface ChatConversationsTable {
  id: string;
  tenant_id: string;
  interaction_id: string;
  item_id: string | null;
  visitor_name: string;
  customer_id: string | null;
  state: 'open' | 'closed';
  created_at: number;
  closed_at: number | null;
}


export interface ChatMessagesTable {
  id: string;
  tenant_id: string;
  conversation_id: string;
  author: ChatAuthor;
  author_id: string | null;
  author_name: string;
  text: string;
  created_at: number;
}

declare module '../store/schema.js' {
  interface Database {
    routing_settings: RoutingSettingsTable;
    routing_skills: RoutingSkillsTable;
    routing_queues: RoutingQueuesTable;
    routing_agents: RoutingAgentsTable;
    routing_items: RoutingItemsTable;
    chat_conversations: ChatConversationsTable;
    chat_messages: ChatMessagesTable;
  }
}
