import type { RoutingChannel, SkillNeed } from './allocator.js';
import type {
  ItemState,
  Presence,
  RoutingAgentsTable,
  RoutingItemsTable,
  RoutingQueuesTable,
  RoutingSettingsTable,
  RoutingSkillsTable,
} from './routing-tables.js';
import { fromJson } from '../store/store.js';

/** The routing objects as the API and the other features see them (rows mapped to camelCase). */
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

export interface Skill {
  id: string;
  name: string;
  description: string | null;
}

export interface AgentRouting {
  userId: string;
  tenantId: string;
  skills: Record<string, number>;
  limit: number;
  presence: Presence;
  presenceUntil: number | null;
  mediaCount: number;
  textLoad: number;
  idleSince: number;
  version: number;
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

export interface RoutingSettings {
  /** Default processing volume of one item per text channel. */
  volumes: Record<'chat' | 'sms' | 'email', number>;
  /** Text workload limit of agents who have none of their own set. */
  defaultLimit: number;
}

export const DEFAULT_SETTINGS: RoutingSettings = { volumes: { chat: 1, sms: 1, email: 1 }, defaultLimit: 3 };

export const toQueue = (r: RoutingQueuesTable): Queue => ({
  id: r.id,
  tenantId: r.tenant_id,
  name: r.name,
  channels: fromJson(r.channels),
  skills: fromJson(r.skills),
  priority: r.priority,
  slaSeconds: r.sla_seconds,
  textDuringVoice: Boolean(r.text_during_voice),
  acceptTimeoutSeconds: r.accept_timeout_seconds,
  wrapUpSeconds: r.wrap_up_seconds,
  wrapUpCodes: fromJson(r.wrap_up_codes),
  overflowQueueId: r.overflow_queue_id,
  overflowAfterSeconds: r.overflow_after_seconds,
  createdAt: Number(r.created_at),
  updatedAt: Number(r.updated_at),
});

export const toSkill = (r: RoutingSkillsTable): Skill => ({ id: r.id, name: r.name, description: r.description });

export const toAgent = (r: RoutingAgentsTable): AgentRouting => ({
  userId: r.user_id,
  tenantId: r.tenant_id,
  skills: fromJson(r.skills),
  limit: r.text_limit,
  presence: r.presence,
  presenceUntil: r.presence_until == null ? null : Number(r.presence_until),
  mediaCount: r.media_count,
  textLoad: r.text_load,
  idleSince: Number(r.idle_since),
  version: r.version,
});

export const toItem = (r: RoutingItemsTable): WorkItem => ({
  id: r.id,
  tenantId: r.tenant_id,
  queueId: r.queue_id,
  interactionId: r.interaction_id,
  channel: r.channel as RoutingChannel,
  priority: r.priority,
  volume: r.volume,
  skills: fromJson(r.skills),
  context: fromJson(r.context),
  state: r.state,
  agentId: r.agent_id,
  offerExpiresAt: r.offer_expires_at == null ? null : Number(r.offer_expires_at),
  declinedBy: fromJson(r.declined_by),
  enqueuedAt: Number(r.enqueued_at),
  queueEnteredAt: Number(r.queue_entered_at),
  assignedAt: r.assigned_at == null ? null : Number(r.assigned_at),
  closedAt: r.closed_at == null ? null : Number(r.closed_at),
  closeReason: r.close_reason,
  wrapUpCode: r.wrap_up_code,
  version: r.version,
});

export const toSettings = (r: RoutingSettingsTable | undefined): RoutingSettings =>
  r ? { volumes: { ...DEFAULT_SETTINGS.volumes, ...fromJson<RoutingSettings['volumes']>(r.volumes) }, defaultLimit: r.default_limit } : DEFAULT_SETTINGS;
