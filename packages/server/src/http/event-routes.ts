import { z } from 'zod';
import type { AppContext } from '../app-context.js';
import { isStaff } from '../auth/principal.js';
import { csvSchema, eventTypePrefix, limitSchema } from './common-schemas.js';
import type { HttpApp } from './http-types.js';

export const eventSchema = z.object({
  id: z.string(),
  tenantId: z.string(),
  type: z.string(),
  time: z.number(),
  interactionId: z.string().optional(),
  userIds: z.array(z.string()).optional(),
  data: z.unknown(),
});

export async function eventRoutes(app: HttpApp, ctx: AppContext): Promise<void> {
  app.get(
    '/api/events',
    {
      schema: {
        tags: ['events'],
        summary: 'The audit log: every event of your tenant, oldest first, with cursor pagination',
        querystring: z
          .object({
            types: csvSchema.pipe(z.array(eventTypePrefix)).optional().describe('Comma-separated type prefixes, e.g. call.,user.created'),
            interactionId: z.string().max(64).optional(),
            from: z.coerce.number().int().nonnegative().optional().describe('Epoch ms, inclusive'),
            to: z.coerce.number().int().nonnegative().optional().describe('Epoch ms, exclusive'),
            cursor: z.string().regex(/^\d+$/, 'must be a cursor returned by this endpoint').optional(),
            limit: limitSchema,
          })
          .strict(),
        response: { 200: z.object({ items: z.array(eventSchema), nextCursor: z.string().nullable() }) },
      },
    },
    async (req) => {
      const p = req.principal;
      const q = req.query;
      const rows = await ctx.eventLog.query({
        tenantId: p.tenantId,
        types: q.types,
        interactionId: q.interactionId,
        from: q.from,
        to: q.to,
        after: q.cursor ? Number(q.cursor) : undefined,
        visibleTo: isStaff(p) ? undefined : (p.userId ?? '-'),
        limit: q.limit,
      });
      return {
        items: rows.map((r) => r.event),
        nextCursor: rows.length === q.limit ? String(rows[rows.length - 1].seq) : null,
      };
    },
  );
}
