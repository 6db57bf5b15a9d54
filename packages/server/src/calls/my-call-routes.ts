import { z } from 'zod';
import type { MyCall } from '@callsight/protocol';
import { wire } from '../http/wire-schema.js';
import type { AppContext } from '../app-context.js';
import { CallsightError } from '../core/errors.js';
import { limitSchema } from '../http/common-schemas.js';
import type { HttpApp } from '../http/http-types.js';
import { callsOf } from './call-history.js';

const myCallSchema = wire<MyCall>()(z.object({
  id: z.string(),
  direction: z.enum(['incoming', 'outgoing']),
  peer: z.string().describe('The other party: a number, a SIP user or a colleague’s name'),
  callBack: z.string().nullable().describe('What to dial to call back; null for withheld numbers and colleagues’ apps'),
  state: z.enum(['ringing', 'answered', 'ended']),
  missed: z.boolean(),
  startedAt: z.number(),
  answeredAt: z.number().nullable(),
  endedAt: z.number().nullable(),
  durationSeconds: z.number().nullable(),
  endCause: z.string().nullable(),
}));

/** The signed-in person's own call history (the softphones' "Recent" list). */
export async function myCallRoutes(app: HttpApp, ctx: AppContext): Promise<void> {
  app.get(
    '/api/me/calls',
    {
      config: { role: 'customer' },
      schema: {
        tags: ['calls'],
        summary: 'Your calls, newest first (incoming, outgoing, missed)',
        querystring: z.object({ before: z.string().max(64).optional(), limit: limitSchema }).strict(),
        response: { 200: z.object({ items: z.array(myCallSchema), nextCursor: z.string().nullable() }) },
      },
    },
    async (req) => {
      const { tenantId, userId } = req.principal;
      if (!userId) throw new CallsightError('user_required', 'Call history belongs to a person: sign in as a user, not with an API key', { status: 403 });
      const items = await callsOf(ctx, { tenantId, userId, ...req.query });
      return { items, nextCursor: items.length === req.query.limit ? items[items.length - 1]!.id : null };
    },
  );
}
