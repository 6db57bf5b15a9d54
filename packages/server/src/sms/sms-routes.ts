import { z } from 'zod';
import type { SmsMessage } from '@callsight/protocol';
import { wire } from '../http/wire-schema.js';
import type { AppContext } from '../app-context.js';
import { notFound } from '../core/errors.js';
import { idParam } from '../http/common-schemas.js';
import type { HttpApp } from '../http/http-types.js';
import { SIGNATURE_HEADER } from '../webhooks/webhook-signature.js';

const e164 = z.string().regex(/^\+[1-9]\d{6,14}$/, 'must be an E.164 number (+15550100)');
const messageSchema = wire<SmsMessage>()(z.object({
  id: z.string(),
  direction: z.enum(['outbound', 'inbound']),
  peer: z.string(),
  ownNumber: z.string(),
  text: z.string(),
  status: z.enum(['sent', 'delivered', 'failed', 'received']),
  createdAt: z.number(),
}));

/** Agents text customers and read an interaction's SMS thread. */
export async function smsRoutes(app: HttpApp, ctx: AppContext): Promise<void> {
  const tags = ['sms'];
  app.post(
    '/api/sms',
    {
      config: { role: 'agent' },
      schema: {
        tags,
        summary: 'Send an SMS (503 sms_unavailable when the SMSC is down)',
        body: z.object({ to: e164, text: z.string().min(1).max(1600), from: z.string().min(1).max(20).optional(), interactionId: z.string().optional() }).strict(),
        response: { 202: z.object({ messageId: z.string() }) },
      },
    },
    async (req, reply) => {
      const p = req.principal;
      if (req.body.interactionId && !(await ctx.interactions.get(p.tenantId, req.body.interactionId))) throw notFound('Interaction');
      return reply.code(202).send(await ctx.services.get('sms').send(p.tenantId, req.body));
    },
  );

  // The HTTP gateway's inbound messages and receipts: the signature covers the raw body, so JSON is parsed after checking it.
  await app.register(async (raw) => {
    raw.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: 64 * 1024 }, (_req, body, done) => done(null, body));
    raw.post(
      '/api/sms/webhook',
      { config: { auth: false }, schema: { tags, summary: 'Inbound SMS and delivery receipts from the HTTP SMS gateway (signed like webhooks)' } },
      async (req, reply) => {
        const gateway = ctx.services.maybe('smsWebhook');
        if (!gateway) throw notFound('SMS webhook (no HTTP SMS gateway configured)');
        const sig = req.headers[SIGNATURE_HEADER];
        gateway.receive(String(req.body ?? ''), Array.isArray(sig) ? sig[0] : sig);
        return reply.code(204).send();
      },
    );
  });

  app.get(
    '/api/interactions/:id/sms',
    { config: { role: 'agent' }, schema: { tags, summary: 'The SMS messages of an interaction, oldest first', params: idParam('int'), response: { 200: z.object({ items: z.array(messageSchema) }) } } },
    async (req) => {
      if (!(await ctx.interactions.get(req.principal.tenantId, req.params.id))) throw notFound('Interaction');
      const rows = await ctx.store.db.selectFrom('sms_messages').selectAll().where('tenant_id', '=', req.principal.tenantId).where('interaction_id', '=', req.params.id).orderBy('id').execute();
      return { items: rows.map((r) => ({ id: r.id, direction: r.direction, peer: r.peer, ownNumber: r.own_number, text: r.text, status: r.status, createdAt: Number(r.created_at) })) };
    },
  );
}
