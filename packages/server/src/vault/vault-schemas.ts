import { z } from 'zod';
import { VAULT_REFUSAL_REASONS, type VaultAuditPage, type CaptureRecord, type StartCaptureInput, type RecordingMarker, type SpeakResult, type VaultCard, type VaultKeyStatus, type VaultRefusalReason, type VaultSpeakRecord } from '@callsight/protocol';
import { wire } from '../http/wire-schema.js';

/** Zod schemas of the vault API: only the token, brand, last 4, expiry and name ever go out. */
const brand = z.enum(['visa', 'mastercard', 'amex', 'discover', 'diners', 'jcb', 'unionpay', 'maestro', 'unknown']);

export const vaultCardSchema = wire<VaultCard>()(
  z.object({
    token: z.string(),
    customerId: z.string(),
    brand,
    last4: z.string(),
    expMonth: z.number(),
    expYear: z.number(),
    holderName: z.string(),
    status: z.enum(['active', 'revoked']),
    createdAt: z.number(),
    revokedAt: z.number().nullable(),
  }),
);

export const saveCardBodySchema = z
  .object({
    pan: z.string().min(1).max(40),
    expMonth: z.number().int(),
    expYear: z.number().int(),
    holderName: z.string().max(200),
  })
  .strict();

export const speakBodySchema = z
  .object({
    callId: z.string().regex(/^call_[0-9a-z]{26}$/, 'must be a call_… id'),
    includeExpiry: z.boolean().optional(),
    cvv: z.string().max(8).optional(),
    voice: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_+-]{0,39}$/).optional(),
    rate: z.number().int().min(80).max(300).optional(),
  })
  .strict();

export const speakResultSchema = wire<SpeakResult>()(z.object({ speakId: z.string(), token: z.string(), last4: z.string(), durationMs: z.number() }));

const markerSchema = wire<RecordingMarker>()(z.object({ recordingId: z.string(), offsetMs: z.number(), durationMs: z.number(), token: z.string(), last4: z.string() }));

export const speakRecordSchema = wire<VaultSpeakRecord>()(
  z.object({
    id: z.string(),
    token: z.string(),
    last4: z.string(),
    brand,
    customerId: z.string(),
    callId: z.string(),
    otherCallId: z.string().nullable(),
    startedAt: z.number(),
    durationMs: z.number().nullable(),
    status: z.enum(['speaking', 'completed', 'stopped', 'failed']),
    kind: z.enum(['card', 'repeat']),
    actor: z.string(),
    markers: z.array(markerSchema),
  }),
);

export const keyStatusSchema = wire<VaultKeyStatus>()(
  z.object({
    provider: z.string(),
    currentVersion: z.number(),
    minDecryptionVersion: z.number(),
    versions: z.array(z.number()),
    cardsByVersion: z.record(z.string(), z.number()),
    lastRotatedAt: z.number().nullable(),
  }),
);

const person = z.object({ id: z.string(), name: z.string() }).nullable();

export const auditPageSchema = wire<VaultAuditPage>()(
  z.object({
    items: z.array(
      z.object({
        id: z.string(),
        at: z.number(),
        action: z.enum(['saved', 'removed', 'spoken', 'repeated', 'keyed', 'rotated', 'refused']),
        actor: person,
        customer: person,
        card: z.object({ brand, last4: z.string() }).nullable(),
        call: z.object({ caller: z.string().nullable(), agent: z.string().nullable() }).nullable(),
        outcome: z.string().nullable(),
        rotation: z.object({ version: z.number(), rewrapped: z.number(), minDecryptionVersion: z.number() }).nullable(),
        refusal: z.object({ attempt: z.enum(['speak', 'repeat']), reason: z.enum(VAULT_REFUSAL_REASONS as [VaultRefusalReason, ...VaultRefusalReason[]]) }).nullable(),
      }),
    ),
    nextCursor: z.string().nullable(),
  }),
);

export const auditQuerySchema = z
  .object({
    from: z.coerce.number().int().min(0).optional(),
    to: z.coerce.number().int().min(0).optional(),
    userId: z.string().max(64).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: z.string().max(400).optional(),
  })
  .strict();

export const startCaptureBodySchema = wire<StartCaptureInput>()(
  z
    .object({
      callId: z.string().min(1).max(64),
      amount: z.number().int().min(1).max(100_000_000).optional(),
      currency: z.string().regex(/^[A-Z]{3}$/).optional(),
      description: z.string().max(200).optional(),
      idempotencyKey: z.string().min(8).max(100).optional(),
    })
    .strict(),
);

export const captureRecordSchema = wire<CaptureRecord>()(
  z.object({
    id: z.string(),
    callId: z.string(),
    customerCallId: z.string(),
    customerId: z.string().nullable(),
    actor: z.string(),
    status: z.enum(['collecting', 'processing', 'done']),
    result: z.enum(['success', 'too-many-failed-attempts', 'payment-connector-error', 'caller-interrupted-with-star', 'caller-hung-up', 'validation-error', 'agent-cancelled', 'timeout']).nullable(),
    brand: brand.nullable(),
    last4: z.string().nullable(),
    paymentToken: z.string().nullable(),
    amount: z.number().nullable(),
    currency: z.string().nullable(),
    idempotencyKey: z.string(),
    attempts: z.number(),
    startedAt: z.number(),
    endedAt: z.number().nullable(),
    markers: z.array(z.object({ recordingId: z.string(), offsetMs: z.number(), durationMs: z.number() })),
  }),
);
