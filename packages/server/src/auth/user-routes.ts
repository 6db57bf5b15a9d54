import { z } from 'zod';
import type { User } from '@callsight/protocol';
import { wire } from '../http/wire-schema.js';
import type { AppContext } from '../app-context.js';
import { conflict, notFound } from '../core/errors.js';
import { hashPassword } from '../core/secrets.js';
import { idParam, roleSchema } from '../http/common-schemas.js';
import type { HttpApp } from '../http/http-types.js';

export const userSchema = wire<User>()(z.object({
  id: z.string(),
  tenantId: z.string(),
  email: z.string(),
  name: z.string(),
  role: roleSchema,
  phoneNumber: z.string().nullable(),
  createdAt: z.number(),
  disabled: z.boolean(),
}));

const phone = z.string().regex(/^\+?[0-9]{2,15}$/, 'must be digits, optionally with a leading +');

export async function userRoutes(app: HttpApp, ctx: AppContext): Promise<void> {
  app.get(
    '/api/users',
    {
      config: { role: 'agent' },
      schema: {
        tags: ['users'],
        summary: 'List users of your tenant',
        querystring: z.object({ role: roleSchema.optional() }).strict(),
        response: { 200: z.object({ items: z.array(userSchema) }) },
      },
    },
    async (req) => ({ items: await ctx.users.list(req.principal.tenantId, { role: req.query.role }) }),
  );

  app.post(
    '/api/users',
    {
      config: { role: 'admin' },
      schema: {
        tags: ['users'],
        summary: 'Create a user',
        body: z
          .object({
            email: z.string().email().max(320),
            name: z.string().min(1).max(200),
            role: roleSchema,
            password: z.string().min(8).max(1024),
            phoneNumber: phone.optional(),
          })
          .strict(),
        response: { 201: userSchema },
      },
    },
    async (req, reply) => {
      const { tenantId } = req.principal;
      if (await ctx.users.byEmailWithHash(req.body.email)) throw conflict('email_taken', 'A user with this email exists');
      const user = await ctx.users.create({
        tenantId,
        email: req.body.email,
        name: req.body.name,
        role: req.body.role,
        passwordHash: await hashPassword(req.body.password),
        phoneNumber: req.body.phoneNumber ?? null,
      });
      await ctx.bus.publish({ tenantId, type: 'user.created', data: { userId: user.id, email: user.email, role: user.role } });
      return reply.code(201).send(user);
    },
  );

  app.get(
    '/api/users/:id',
    {
      config: { role: 'agent' },
      schema: { tags: ['users'], summary: 'Get a user', params: idParam('usr'), response: { 200: userSchema } },
    },
    async (req) => (await ctx.users.get(req.principal.tenantId, req.params.id)) ?? Promise.reject(notFound('User')),
  );

  app.patch(
    '/api/users/:id',
    {
      config: { role: 'admin' },
      schema: {
        tags: ['users'],
        summary: 'Change a user',
        params: idParam('usr'),
        body: z
          .object({
            name: z.string().min(1).max(200).optional(),
            role: roleSchema.optional(),
            password: z.string().min(8).max(1024).optional(),
            phoneNumber: phone.nullable().optional(),
            disabled: z.boolean().optional(),
          })
          .strict(),
        response: { 200: userSchema },
      },
    },
    async (req) => {
      const { tenantId } = req.principal;
      const before = await ctx.users.get(tenantId, req.params.id);
      if (!before) throw notFound('User');
      const { password, ...rest } = req.body;
      const user = (await ctx.users.update(tenantId, req.params.id, {
        ...rest,
        ...(password ? { passwordHash: await hashPassword(password) } : {}),
      }))!;
      const changed = (['name', 'role', 'phoneNumber', 'disabled'] as const).filter((k) => rest[k] !== undefined && rest[k] !== before[k]);
      const all = password ? [...changed, 'password' as const] : changed;
      if (all.length === 0) return user;
      // A disabled user or a new password ends every session (and, through the event, every socket).
      if (changed.includes('disabled') && user.disabled) await ctx.sessions.destroyForUser(tenantId, user.id);
      if (password) await ctx.sessions.destroyForUser(tenantId, user.id);
      await ctx.bus.publish({
        tenantId,
        type: 'user.updated',
        data: {
          userId: user.id,
          changed: all,
          ...(changed.includes('role') ? { role: { from: before.role, to: user.role } } : {}),
          ...(changed.includes('disabled') ? { disabled: user.disabled } : {}),
          by: req.principal.userId ?? req.principal.apiKeyId,
        },
      });
      return user;
    },
  );

  app.delete(
    '/api/users/:id',
    {
      config: { role: 'admin' },
      schema: { tags: ['users'], summary: 'Remove a user (erased; history names them "Former user")', params: idParam('usr'), response: { 204: z.null() } },
    },
    async (req, reply) => {
      const { tenantId } = req.principal;
      const user = await ctx.users.get(tenantId, req.params.id);
      if (!user || user.email.endsWith('@users.invalid')) throw notFound('User');
      if (user.id === req.principal.userId) throw conflict('user_remove_self', 'You cannot remove your own account; another admin can');
      if (user.role === 'admin' && !user.disabled && (await ctx.users.activeAdmins(tenantId)) <= 1) {
        throw conflict('user_last_admin', 'This is the last active admin of the tenant; make another user admin first');
      }
      await ctx.users.remove(tenantId, user.id);
      await ctx.sessions.destroyForUser(tenantId, user.id);
      await ctx.bus.publish({ tenantId, type: 'user.removed', data: { userId: user.id, by: req.principal.userId ?? req.principal.apiKeyId } });
      return reply.code(204).send(null);
    },
  );
}
