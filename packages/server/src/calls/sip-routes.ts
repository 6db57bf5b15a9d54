import { z } from 'zod';
import type { SipAccount, Trunk } from '@callsight/protocol';
import { wire } from '../http/wire-schema.js';
import type { AppContext } from '../app-context.js';
import { badRequest, conflict, notFound } from '../core/errors.js';
import { idParam } from '../http/common-schemas.js';
import type { HttpApp } from '../http/http-types.js';

/** SDES-SRTP for the account's or trunk's media (RFC 4568). */
const srtpPolicy = z.enum(['off', 'optional', 'required']);
const accountSchema = wire<SipAccount>()(z.object({ id: z.string(), username: z.string(), userId: z.string().nullable(), srtp: srtpPolicy, createdAt: z.number(), registered: z.array(z.string()) }));
const trunkSchema = wire<Trunk>()(z.object({ id: z.string(), name: z.string(), address: z.string(), username: z.string().nullable(), register: z.boolean(), srtp: srtpPolicy, createdAt: z.number() }));
const trunkName = z.string().trim().min(1).max(100);
const trunkAddress = z.string().regex(/^sips?:[^\s]+$/, 'must be a sip: or sips: URI of the carrier proxy');
const trunkUsername = z.string().min(1).max(100);
const trunkPassword = z.string().min(1).max(200);

/** SIP accounts (phones that register to callsight) and trunks (carriers callsight registers to). */
export async function sipRoutes(app: HttpApp, ctx: AppContext): Promise<void> {
  const tel = () => ctx.services.get('telephony');

  app.get('/api/sip/accounts', { config: { role: 'supervisor' }, schema: { tags: ['sip'], summary: 'SIP accounts and where they are registered', response: { 200: z.object({ items: z.array(accountSchema) }) } } }, async (req) => {
    const accounts = await tel().sipAccounts.list(req.principal.tenantId);
    const items = [];
    for (const { tenantId: _t, ...a } of accounts) items.push({ ...a, registered: await tel().registrations.contacts(a.username) });
    return { items };
  });

  app.post(
    '/api/sip/accounts',
    {
      config: { role: 'admin' },
      schema: {
        tags: ['sip'],
        summary: 'Create a SIP account for a desk phone or softphone (digest MD5/SHA-256)',
        body: z
          .object({
            username: z.string().regex(/^[a-z0-9][a-z0-9_.-]{1,31}$/, 'lowercase letters, digits, ., _, -'),
            password: z.string().min(8).max(128),
            userId: z.string().regex(/^usr_[0-9a-z]{26}$/).optional(),
            srtp: srtpPolicy.optional(),
          })
          .strict(),
        response: { 201: accountSchema },
      },
    },
    async (req, reply) => {
      const { tenantId } = req.principal;
      if (req.body.userId && !(await ctx.users.get(tenantId, req.body.userId))) throw badRequest('unknown_user', 'No such user', [{ path: 'body.userId', message: 'unknown user' }]);
      if ((await tel().sipAccounts.credentials(req.body.username)) || (await tel().numbers.lookup(req.body.username))) {
        throw conflict('username_taken', `${req.body.username} is taken`);
      }
      const { tenantId: _t, ...a } = await tel().sipAccounts.create({ tenantId, ...req.body });
      return reply.code(201).send({ ...a, registered: [] });
    },
  );

  app.patch(
    '/api/sip/accounts/:id',
    {
      config: { role: 'admin' },
      schema: {
        tags: ['sip'],
        summary: 'Change a SIP account: a new password, the user it rings (null: nobody), or its SRTP policy',
        params: idParam('sip'),
        body: z.object({ password: z.string().min(8).max(128).optional(), userId: z.string().regex(/^usr_[0-9a-z]{26}$/).nullable().optional(), srtp: srtpPolicy.optional() }).strict(),
        response: { 200: accountSchema },
      },
    },
    async (req) => {
      const { tenantId } = req.principal;
      if (req.body.userId && !(await ctx.users.get(tenantId, req.body.userId))) throw badRequest('unknown_user', 'No such user', [{ path: 'body.userId', message: 'unknown user' }]);
      const updated = await tel().sipAccounts.update(tenantId, req.params.id, req.body);
      if (!updated) throw notFound('SIP account');
      const { tenantId: _t, ...a } = updated;
      return { ...a, registered: await tel().registrations.contacts(a.username) };
    },
  );

  app.delete(
    '/api/sip/accounts/:id',
    { config: { role: 'admin' }, schema: { tags: ['sip'], summary: 'Remove a SIP account and its registrations', params: idParam('sip'), response: { 204: z.null() } } },
    async (req, reply) => {
      const username = await tel().sipAccounts.remove(req.principal.tenantId, req.params.id);
      if (!username) throw notFound('SIP account');
      // Its phones stop ringing now, not when their registrations would have expired.
      await tel().registrations.remove(username);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/sip/server',
    {
      config: { role: 'supervisor' },
      schema: {
        tags: ['sip'],
        summary: 'Where phones register: the SIP host and the port of each transport',
        response: { 200: z.object({ host: z.string(), transports: z.array(z.object({ transport: z.enum(['udp', 'tcp', 'tls', 'ws', 'wss']), port: z.number() })) }) },
      },
    },
    async () => {
      const ports = tel().endpoint.ports;
      const transports = (['udp', 'tcp', 'tls', 'ws', 'wss'] as const).flatMap((transport) => (ports[transport] ? [{ transport, port: ports[transport]! }] : []));
      return { host: ctx.config.sipPublicHost, transports };
    },
  );

  app.get('/api/sip/trunks', { config: { role: 'admin' }, schema: { tags: ['sip'], summary: 'SIP trunks', response: { 200: z.object({ items: z.array(trunkSchema) }) } } }, async (req) => ({
    items: (await tel().trunks.list(req.principal.tenantId)).map(({ tenantId: _t, ...t }) => t),
  }));

  app.post(
    '/api/sip/trunks',
    {
      config: { role: 'admin' },
      schema: {
        tags: ['sip'],
        summary: 'Add a SIP trunk; numbers that are not callsight\'s are called through it',
        body: z
          .object({
            name: trunkName,
            address: trunkAddress,
            username: trunkUsername.optional(),
            password: trunkPassword.optional(),
            register: z.boolean().default(false),
            srtp: srtpPolicy.optional(),
          })
          .strict()
          .refine((b) => !b.register || (b.username && b.password), { message: 'registration needs username and password', path: ['register'] }),
        response: { 201: trunkSchema },
      },
    },
    async (req, reply) => {
      const { tenantId: _t, ...t } = await tel().trunks.create({ tenantId: req.principal.tenantId, ...req.body });
      // Not awaited: the carrier's answer (or its silence, up to Timer F) is no reason to hold the reply.
      void tel().trunkRegistrations.sync(t.id);
      return reply.code(201).send(t);
    },
  );

  app.patch(
    '/api/sip/trunks/:id',
    {
      config: { role: 'admin' },
      schema: {
        tags: ['sip'],
        summary: 'Change a trunk: its name, proxy, credentials (null clears one), registration or SRTP policy; the password is never returned',
        params: idParam('trk'),
        body: z
          .object({
            name: trunkName.optional(),
            address: trunkAddress.optional(),
            username: trunkUsername.nullable().optional(),
            password: trunkPassword.nullable().optional(),
            register: z.boolean().optional(),
            srtp: srtpPolicy.optional(),
          })
          .strict(),
        response: { 200: trunkSchema },
      },
    },
    async (req) => {
      const { trunk, registerWithoutCredentials } = await tel().trunks.update(req.principal.tenantId, req.params.id, req.body);
      if (registerWithoutCredentials) throw badRequest('validation_failed', 'Registration needs a username and a password', [{ path: 'body.register', message: 'registration needs username and password' }]);
      if (!trunk) throw notFound('Trunk');
      // A changed address, credential or flag re-registers now, not at the old binding's expiry.
      void tel().trunkRegistrations.sync(trunk.id);
      const { tenantId: _t, ...t } = trunk;
      return t;
    },
  );

  app.delete('/api/sip/trunks/:id', { config: { role: 'admin' }, schema: { tags: ['sip'], summary: 'Remove a trunk no number uses', params: idParam('trk'), response: { 204: z.null() } } }, async (req, reply) => {
    const { tenantId } = req.principal;
    if (!(await tel().trunks.list(tenantId)).some((t) => t.id === req.params.id)) throw notFound('Trunk');
    if (!(await tel().trunks.remove(tenantId, req.params.id))) throw conflict('trunk_in_use', 'A number uses this trunk');
    void tel().trunkRegistrations.forget(req.params.id);
    return reply.code(204).send(null);
  });
}
