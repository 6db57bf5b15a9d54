import type { AgentRouting as AgentView, Queue, RoutingSettings, Skill, WorkItem } from '@callsight/protocol';
import type { RoutingChannel } from './allocator.js';
import type {
  RoutingAgentsTable,
  RoutingItemsTable,
  RoutingQueuesTable,
  RoutingSettingsTable,
  RoutingSkillsTable,
} from './routing-tables.js';
import { fromJson } from '../store/store.js';

/** The routing objects as the API and the other features see them (rows mapped to camelCase). */
export type { Queue, RoutingSettings, Skill, WorkItem };

/** An agent's routing state as stored; the API adds the agent's name and email (the protocol's AgentRouting). */
export type AgentRouting = Omit<AgentView, 'name' | 'email'> & { tenantId: string; version: number };

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
