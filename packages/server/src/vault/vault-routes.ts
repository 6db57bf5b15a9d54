import { z } from 'zod';
import type { HttpApp } from '../http/http-types.js';
import { idParam } from '../http/common-schemas.js';
import { badRequest } from '../core/errors.js';
import { auditPageSchema, auditQuerySchema, captureRecordSchema, startCaptureBodySchema, keyStatusSchema, saveCardBodySchema, speakBodySchema, speakRecordSchema, speakResultSchema, vaultCardSchema } from './vault-schemas.js';
import type { VaultService } from './vault-service.js';
import type { CaptureService } from './capture-service.js';
import type { VaultAudit } from './vault-audit.js';

export function vaultRoutes(service: VaultService, captures: CaptureService, audit: VaultAudit) {
  return async (app: HttpApp): Promise<void> => {
    app.post(
      '/api/vault/cards',
      {
        schema: {
          tags: ['vault'],
          summary: 'Customers: save a payment card (the number is sealed; only brand and last 4 come back). CVV is never stored.',
          body: saveCardBodySchema,
          response: { 201: vaultCardSchema },
        },
      },
      async (req, reply) => reply.code(201).send(await service.save(req.principal, req.body)),
    );

    app.get(
      '/api/vault/cards',
      {
        schema: {
          tags: ['vault'],
          summary: "Saved cards: a customer's own, or (staff) a customer's by customerId — brand and last 4 only",
          querystring: z.object({ customerId: z.string().max(64).optional(), includeRevoked: z.enum(['true', 'false']).optional() }).strict(),
          response: { 200: z.object({ items: z.array(vaultCardSchema) }) },
        },
      },
      async (req) => ({ items: await service.list(req.principal, req.query.customerId, req.query.includeRevoked === 'true') }),
    );

    app.get(
      '/api/vault/cards/:id',
      { schema: { tags: ['vault'], summary: 'One saved card (brand and last 4 only)', params: idParam('vtk'), response: { 200: vaultCardSchema } } },
      async (req) => service.get(req.principal, req.params.id),
    );

    app.delete(
      '/api/vault/cards/:id',
      {
        schema: { tags: ['vault'], summary: 'Remove a saved card: its sealed number is erased (customer, or an admin)', params: idParam('vtk'), response: { 200: vaultCardSchema } },
      },
      async (req) => service.revoke(req.principal, req.params.id),
    );

    app.post(
      '/api/vault/cards/:id/speak',
      {
        schema: {
          tags: ['vault'],
          summary:
            "Customers: read the card into their live call — the agent hears the digits (the customer's microphone gated), recordings hold comfort noise there. 202 once the audio starts.",
          params: idParam('vtk'),
          body: speakBodySchema,
          response: { 202: speakResultSchema },
        },
      },
      async (req, reply) => reply.code(202).send(await service.speak(req.principal, req.params.id, req.body)),
    );

    app.post(
      '/api/vault/speaks/:id/repeat',
      {
        // The service checks the role, so that a customer's attempt is audited as a refusal.
        schema: {
          tags: ['vault'],
          summary: 'Agents: hear the last group of a card read into their call again (same connected call, within two minutes)',
          params: idParam('vsp'),
          response: { 202: speakResultSchema },
        },
      },
      async (req, reply) => reply.code(202).send(await service.repeatLastGroup(req.principal, req.params.id)),
    );

    app.get(
      '/api/vault/speaks',
      {
        config: { role: 'supervisor' },
        schema: {
          tags: ['vault'],
          summary: 'Audit: who read which card (token and last 4) into which call, when, and where the recordings are masked',
          querystring: z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) }).strict(),
          response: { 200: z.object({ items: z.array(speakRecordSchema) }) },
        },
      },
      async (req) => ({ items: await service.speaks(req.principal.tenantId, req.query.limit) }),
    );

    app.get(
      '/api/vault/audit',
      {
        config: { role: 'supervisor' },
        schema: {
          tags: ['vault'],
          summary:
            'Audit: who saved, removed, read into a call or keyed which card (brand and last 4 only), on which call (names), when, how it ended, and key rotations; newest first, filtered by time (ms, `to` exclusive) and person, paged by cursor',
          querystring: auditQuerySchema,
          response: { 200: auditPageSchema },
        },
      },
      async (req) => {
        const { from, to } = req.query;
        if (from !== undefined && to !== undefined && from >= to) throw badRequest('validation_failed', 'The range ends before it starts', [{ path: 'query.to', message: 'must be after from' }]);
        return audit.page(req.principal.tenantId, req.query);
      },
    );

    app.get(
      '/api/vault/keys',
      { config: { role: 'admin' }, schema: { tags: ['vault'], summary: 'Key versions and how many cards each wraps', response: { 200: keyStatusSchema } } },
      async (req) => {
        await service.assertOperator(req.principal.tenantId);
        return service.keyStatus(req.principal.tenantId);
      },
    );

    app.post(
      '/api/vault/keys/rotate',
      {
        config: { role: 'admin' },
        schema: {
          tags: ['vault'],
          summary: 'A new key version: every data key is re-wrapped under it without decrypting a number; `retire` then stops older versions from decrypting',
          body: z.object({ retire: z.boolean().optional() }).strict(),
          response: { 200: z.object({ version: z.number(), rewrapped: z.number(), minDecryptionVersion: z.number() }) },
        },
      },
      async (req) => service.rotate(req.principal.tenantId, { retire: req.body.retire, by: req.principal.userId ?? req.principal.apiKeyId ?? undefined }),
    );

    app.post(
      '/api/vault/captures',
      {
        config: { role: 'agent' },
        schema: {
          tags: ['vault'],
          summary:
            "Agents: collect a card on the customer's keypad. The agent hears flat tones only; the keys never reach the agent's audio, events, logs or recordings; the card goes to the payment connector once. Progress arrives as vault.capture.progress events.",
          body: startCaptureBodySchema,
          response: { 202: captureRecordSchema },
        },
      },
      async (req, reply) => reply.code(202).send(await captures.start(req.principal, req.body)),
    );

    app.get(
      '/api/vault/captures',
      {
        config: { role: 'supervisor' },
        schema: {
          tags: ['vault'],
          summary: 'Audit: keypad captures (who collected a card on which call, the result, brand and last 4, the connector token)',
          querystring: z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) }).strict(),
          response: { 200: z.object({ items: z.array(captureRecordSchema) }) },
        },
      },
      async (req) => ({ items: await captures.list(req.principal.tenantId, req.query.limit) }),
    );

    app.get(
      '/api/vault/captures/:id',
      { config: { role: 'agent' }, schema: { tags: ['vault'], summary: 'One keypad capture', params: idParam('vcp'), response: { 200: captureRecordSchema } } },
      async (req) => captures.get(req.principal, req.params.id),
    );

    app.post(
      '/api/vault/captures/:id/cancel',
      { config: { role: 'agent' }, schema: { tags: ['vault'], summary: 'Agents: stop a keypad capture still collecting (nothing is charged)', params: idParam('vcp'), response: { 200: captureRecordSchema } } },
      async (req) => captures.cancel(req.principal, req.params.id),
    );
  };
}
