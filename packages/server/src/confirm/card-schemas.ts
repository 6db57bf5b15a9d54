import { z } from 'zod';
import type { Card, CardField, CardLink, CardTemplate, ChainCheck, ConfirmationRecord, ConfirmedData } from '@callsight/protocol';
import { wire } from '../http/wire-schema.js';
import { CARD_KINDS } from '@callsight/protocol';

/** Zod schemas of the confirm API: validation for requests, OpenAPI for everyone. */

const fieldName = z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,39}$/, 'must be a letter then letters, digits or _ (max 40)');
export const fieldValueSchema = z.union([z.string().max(500), z.number(), z.boolean(), z.null()]);
export const valuesSchema = z.record(fieldName, fieldValueSchema).refine((v) => Object.keys(v).length <= 50, 'at most 50 values');

/** Agent-supplied patterns run on the server too: short ones only, and they must compile. */
const patternSchema = z
  .string()
  .max(200)
  .refine((p) => {
    try {
      new RegExp(p);
      return true;
    } catch {
      return false;
    }
  }, 'is not a valid regular expression');

export const cardFieldSchema = wire<CardField>()(z
  .object({
    name: fieldName,
    label: z.string().min(1).max(100),
    type: z.enum(['string', 'number', 'date', 'enum', 'boolean']),
    required: z.boolean().optional(),
    pattern: patternSchema.optional(),
    min: z.number().optional(),
    max: z.number().optional(),
    options: z.array(z.string().min(1).max(200)).max(50).optional(),
    format: z.literal('iban').optional(),
    readOnly: z.boolean().optional(),
  })
  .strict());

export const orderItemSchema = z.object({ name: z.string().min(1).max(200), qty: z.number().int().min(1).max(10_000), price: z.number().min(0).max(1e9) }).strict();

export const cardInputShape = {
  kind: z.enum(CARD_KINDS).describe('address | payment | appointment | order | identity | form'),
  title: z.string().min(1).max(120).optional(),
  message: z.string().max(500).optional(),
  values: valuesSchema.optional().describe('Values shown for the customer to confirm; fields left out are for the customer to fill'),
  slots: z.array(z.string().min(1).max(100)).min(1).max(20).optional().describe('Appointment cards: the choices'),
  items: z.array(orderItemSchema).min(1).max(100).optional().describe('Order cards: lines; the total is computed'),
  fields: z.array(cardFieldSchema).min(1).max(30).optional().describe('Form cards: typed fields'),
  ttlSeconds: z.number().int().min(1).max(86_400).optional().describe('Time to answer; default 300 s'),
};

export const presentBodySchema = z
  .object({
    ...cardInputShape,
    kind: cardInputShape.kind.optional(),
    templateId: z.string().regex(/^ctpl_[0-9a-z]{26}$/).optional().describe('Start from a saved template; fields given here override it'),
    sms: z.boolean().optional().describe('Also make a one-time link for a caller without the app (sent by SMS when a gateway is configured)'),
  })
  .strict();

export const reviseBodySchema = z.object({ ...cardInputShape, version: z.number().int().min(1).describe('The version being replaced') }).strict();

export const answerBodySchema = z
  .object({
    version: z.number().int().min(1).describe('The version answered; a stale one is refused with 409'),
    decision: z.enum(['confirm', 'reject']),
    values: valuesSchema.optional().describe('Corrections; fields left out keep what was shown'),
    reason: z.string().max(500).optional().describe('Required when rejecting'),
  })
  .strict();

const changeSchema = z.object({ field: z.string(), from: fieldValueSchema, to: fieldValueSchema });

export const cardSchema = wire<Card>()(z.object({
  id: z.string(),
  interactionId: z.string(),
  customerId: z.string(),
  version: z.number(),
  kind: z.enum(CARD_KINDS),
  content: z.object({
    kind: z.enum(CARD_KINDS),
    title: z.string(),
    message: z.string().nullable(),
    fields: z.array(cardFieldSchema),
    values: z.record(z.string(), fieldValueSchema),
    items: z.array(orderItemSchema).nullable(),
  }),
  contentHash: z.string().describe('SHA-256 of the canonical JSON of content'),
  status: z.enum(['presented', 'confirmed', 'corrected', 'rejected', 'expired']),
  presentedBy: z.string(),
  expiresAt: z.number(),
  answer: z
    .object({
      version: z.number(),
      decision: z.enum(['confirm', 'reject']),
      status: z.enum(['confirmed', 'corrected', 'rejected']),
      values: z.record(z.string(), fieldValueSchema).nullable(),
      changes: z.array(changeSchema),
      reason: z.string().nullable(),
      answeredBy: z.string(),
      via: z.enum(['app', 'link']),
      at: z.number(),
    })
    .nullable(),
  createdAt: z.number(),
  updatedAt: z.number(),
}));

export const linkSchema = wire<CardLink>()(z.object({
  url: z.string(),
  expiresAt: z.number(),
  sentTo: z.string().nullable().describe('The number the link was texted to; null when the agent must read it out'),
}));

export const templateSchema = wire<CardTemplate>()(z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(CARD_KINDS),
  title: z.string(),
  preset: z.object(cardInputShape).partial(),
}));

export const confirmedSchema = wire<ConfirmedData>()(z.object({
  cardId: z.string(),
  version: z.number(),
  kind: z.enum(CARD_KINDS),
  title: z.string(),
  status: z.enum(['confirmed', 'corrected']),
  values: z.record(z.string(), fieldValueSchema),
  changes: z.array(changeSchema),
  confirmedAt: z.number(),
}));

export const recordSchema = wire<ConfirmationRecord>()(z.object({
  id: z.string(),
  interactionId: z.string(),
  seq: z.number(),
  cardId: z.string(),
  cardVersion: z.number(),
  type: z.enum(['presented', 'answered', 'expired']),
  actor: z.string(),
  at: z.number(),
  content: z.unknown(),
  contentHash: z.string(),
  prevHash: z.string(),
  hash: z.string(),
}));

export const chainCheckSchema = wire<ChainCheck>()(z.object({
  ok: z.boolean(),
  records: z.number(),
  brokenAt: z.object({ seq: z.number(), reason: z.string() }).optional(),
  headHash: z.string(),
}));
