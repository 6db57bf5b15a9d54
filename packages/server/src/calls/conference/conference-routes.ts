import { z } from 'zod';
import type { Conference } from '@callsight/protocol';
import { wire } from '../../http/wire-schema.js';
import type { AppContext } from '../../app-context.js';
import { conflict, notFound } from '../../core/errors.js';
import type { HttpApp } from '../../http/http-types.js';

const nameParam = z.object({ name: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'lowercase letters, digits, - and _') }).strict();
const callId = z.string().regex(/^call_[0-9a-z]{26}$/);
const roomSchema = wire<Conference>()(z.object({ name: z.string(), members: z.array(z.object({ callId: z.string(), muted: z.boolean() })) }));

/** Conferences: live calls joined into one mix where each hears all the others. */
export async function conferenceRoutes(app: HttpApp, ctx: AppContext): Promise<void> {
  const liveCall = async (tenantId: string, id: string) => {
    const tel = ctx.services.get('telephony');
    const record = await tel.calls.get(tenantId, id);
    if (!record) throw notFound('Call');
    if (record.state === 'ended') throw conflict('call_ended', 'The call has ended');
    return tel.manager.require(tenantId, id);
  };
  const rooms = () => ctx.services.get('conferences');

  app.get(
    '/api/conferences/:name',
    { config: { role: 'agent' }, schema: { tags: ['conferences'], summary: 'Who is in a conference', params: nameParam, response: { 200: roomSchema } } },
    async (req) => {
      const members = rooms().get(req.principal.tenantId, req.params.name);
      if (!members) throw notFound('Conference');
      return { name: req.params.name, members };
    },
  );

  app.post(
    '/api/conferences/:name/join',
    {
      config: { role: 'agent' },
      schema: {
        tags: ['conferences'],
        summary: 'Move an answered call into a conference (created on first join); whatever played on the call stops',
        params: nameParam,
        body: z.object({ callId, muted: z.boolean().default(false) }).strict(),
        response: { 200: roomSchema },
      },
    },
    async (req) => {
      const call = await liveCall(req.principal.tenantId, req.body.callId);
      return { name: req.params.name, members: await rooms().join(call, req.params.name, req.body.muted) };
    },
  );

  app.post(
    '/api/conferences/:name/leave',
    { config: { role: 'agent' }, schema: { tags: ['conferences'], summary: 'Take a call out of a conference (the call stays up)', params: nameParam, body: z.object({ callId }).strict(), response: { 204: z.null() } } },
    async (req, reply) => {
      rooms().leave(await liveCall(req.principal.tenantId, req.body.callId), req.params.name);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/conferences/:name/mute',
    {
      config: { role: 'agent' },
      schema: { tags: ['conferences'], summary: 'Mute or unmute a member: a muted member still hears everyone', params: nameParam, body: z.object({ callId, muted: z.boolean() }).strict(), response: { 200: roomSchema } },
    },
    async (req) => {
      const call = await liveCall(req.principal.tenantId, req.body.callId);
      return { name: req.params.name, members: await rooms().mute(call, req.params.name, req.body.muted) };
    },
  );
}
