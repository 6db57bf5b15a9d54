import { z } from 'zod';
import type { AgentRouting, Queue, QueueStats, RoutingSettings, Skill, WorkItem } from '@callsight/protocol';
import { wire } from '../http/wire-schema.js';
import { ROUTING_CHANNELS } from './allocator.js';

/** zod schemas of the routing API: request validation and the OpenAPI document. */
export const channelSchema = z.enum(ROUTING_CHANNELS);
export const skillName = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, 'lower-case letters, digits, - and _ (max 40)');
export const skillNeedSchema = z.object({ skill: skillName, minLevel: z.number().int().min(1).max(10).default(1) }).strict();
export const presenceSchema = z.enum(['available', 'away', 'wrap-up', 'offline']);
/** What an agent may choose; wrap-up is entered and left by the routing timer. */
export const chosenPresenceSchema = z.enum(['available', 'away', 'offline']);
export const volumeSchema = z.number().int().min(1).max(100);
export const limitSchema = z.number().int().min(0).max(100);

export const skillSchema = wire<Skill>()(z.object({ id: z.string(), name: z.string(), description: z.string().nullable() }));

export const queueBody = z
  .object({
    name: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, 'lower-case letters, digits, - and _ (max 40)'),
    channels: z.array(channelSchema).min(1).max(5),
    skills: z.array(skillNeedSchema).max(20).default([]),
    priority: z.number().int().min(0).max(100).default(0),
    slaSeconds: z.number().int().min(1).max(86_400).default(30),
    textDuringVoice: z.boolean().default(false),
    acceptTimeoutSeconds: z.number().int().min(3).max(600).default(20),
    wrapUpSeconds: z.number().int().min(0).max(3600).default(0),
    wrapUpCodes: z.array(z.string().min(1).max(60)).max(50).default([]),
    overflowQueueId: z.string().max(64).nullable().default(null),
    overflowAfterSeconds: z.number().int().min(1).max(86_400).nullable().default(null),
  })
  .strict();

export const queueSchema = wire<Queue>()(z.object({
  id: z.string(),
  tenantId: z.string(),
  name: z.string(),
  channels: z.array(channelSchema),
  skills: z.array(z.object({ skill: z.string(), minLevel: z.number() })),
  priority: z.number(),
  slaSeconds: z.number(),
  textDuringVoice: z.boolean(),
  acceptTimeoutSeconds: z.number(),
  wrapUpSeconds: z.number(),
  wrapUpCodes: z.array(z.string()),
  overflowQueueId: z.string().nullable(),
  overflowAfterSeconds: z.number().nullable(),
  createdAt: z.number(),
  updatedAt: z.number(),
}));

export const agentSchema = wire<AgentRouting>()(z.object({
  userId: z.string(),
  name: z.string(),
  email: z.string(),
  skills: z.record(z.string(), z.number()),
  limit: z.number(),
  presence: presenceSchema,
  presenceUntil: z.number().nullable(),
  mediaCount: z.number(),
  textLoad: z.number(),
  idleSince: z.number(),
}));

export const itemSchema = wire<WorkItem>()(z.object({
  id: z.string(),
  tenantId: z.string(),
  queueId: z.string(),
  interactionId: z.string(),
  channel: channelSchema,
  priority: z.number(),
  volume: z.number(),
  skills: z.array(z.object({ skill: z.string(), minLevel: z.number() })),
  context: z.record(z.string(), z.unknown()),
  state: z.enum(['queued', 'offered', 'assigned', 'completed', 'cancelled']),
  agentId: z.string().nullable(),
  offerExpiresAt: z.number().nullable(),
  declinedBy: z.array(z.string()),
  enqueuedAt: z.number(),
  queueEnteredAt: z.number(),
  assignedAt: z.number().nullable(),
  closedAt: z.number().nullable(),
  closeReason: z.string().nullable(),
  wrapUpCode: z.string().nullable(),
  version: z.number(),
}));

export const settingsSchema = wire<RoutingSettings>()(z
  .object({
    volumes: z.object({ chat: volumeSchema, sms: volumeSchema, email: volumeSchema }).strict(),
    defaultLimit: limitSchema,
  })
  .strict());

export const enqueueBody = z
  .object({
    interactionId: z.string().max(64),
    channel: channelSchema,
    queueId: z.string().max(64).optional(),
    queueName: z.string().max(40).optional(),
    skills: z.array(skillNeedSchema).max(20).optional(),
    priority: z.number().int().min(0).max(100).optional(),
    volume: volumeSchema.optional(),
    context: z.record(z.string(), z.unknown()).optional(),
  })
  .strict()
  .refine((b) => Boolean(b.queueId) !== Boolean(b.queueName), { message: 'give exactly one of queueId and queueName', path: ['queueId'] });

export const queueStatsSchema = wire<QueueStats>()(z.object({
  queueId: z.string(),
  name: z.string(),
  waiting: z.number(),
  longestWaitMs: z.number(),
  answered: z.number(),
  /** Share of items answered within the SLA in the last hour; null when none were answered. */
  slaPercent: z.number().nullable(),
}));
