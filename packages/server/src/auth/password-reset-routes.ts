import { z } from 'zod';
import { HOME_APP_PATH, type PasswordResetLink, type User } from '@callsight/protocol';
import type { FastifyRequest } from 'fastify';
import { wire } from '../http/wire-schema.js';
import type { AppContext } from '../app-context.js';
import { CallsightError, notFound } from '../core/errors.js';
import { hashPassword } from '../core/secrets.js';
import { idParam } from '../http/common-schemas.js';
import type { HttpApp } from '../http/http-types.js';
import { PasswordResets, RESET_REQUEST_SPACING_MS } from './password-resets.js';

const linkSchema = wire<PasswordResetLink>()(z.object({ url: z.string(), expiresAt: z.number() }));
const password = z.string().min(8, 'at least 8 characters').max(1024);

/**
 * Forgotten passwords: an admin hands a user a one-time link, or the user asks for one
 * and gets it by SMS at the phone number on their account. The link opens the user's own
 * app, which asks for the new password; spending it ends every session of theirs.
 */
export async function passwordResetRoutes(app: HttpApp, ctx: AppContext): Promise<void> {
  const resets = new PasswordResets(ctx.store);
  // The token rides in the fragment, which browsers never send to a server or a Referer.
  const linkFor = (req: FastifyRequest, user: User, token: string) =>
    `${ctx.config.publicUrl ?? `${req.protocol}://${req.host}`}${HOME_APP_PATH[user.role]}#reset=${token}`;

  app.post(
    '/api/users/:id/password-reset',
    {
      config: { role: 'admin' },
      schema: {
        tags: ['users'],
        summary: 'Issue a one-time link (valid one hour) for the user to choose a new password; shown only in this answer',
        params: idParam('usr'),
        response: { 201: linkSchema },
      },
    },
    async (req, reply) => {
      const user = await ctx.users.get(req.principal.tenantId, req.params.id);
      if (!user || user.disabled) throw notFound('User');
      const { token, expiresAt } = await resets.issue(user, 'admin');
      return reply.code(201).send({ url: linkFor(req, user, token), expiresAt });
    },
  );

  app.post(
    '/api/auth/password-reset/request',
    {
      config: { auth: false },
      schema: {
        tags: ['auth'],
        summary: 'Ask for a reset link by SMS; always 202, so the answer does not tell which emails have accounts',
        body: z.object({ email: z.string().email().max(320) }).strict(),
        response: { 202: z.null() },
      },
    },
    async (req, reply) => {
      void sendLink(req, req.body.email).catch((err) => ctx.log.warn({ err }, 'password-reset SMS not sent'));
      return reply.code(202).send(null);
    },
  );

  app.post(
    '/api/auth/password-reset',
    {
      config: { auth: false },
      schema: {
        tags: ['auth'],
        summary: 'Choose a new password with a reset link; ends every session of the user',
        body: z.object({ token: z.string().min(16).max(200), password }).strict(),
        response: { 204: z.null() },
      },
    },
    async (req, reply) => {
      const user = await resets.redeem(req.body.token);
      if (!user) throw new CallsightError('reset_link_invalid', 'This reset link has expired or was already used; ask for a new one', { status: 400 });
      await ctx.users.update(user.tenantId, user.id, { passwordHash: await hashPassword(req.body.password) });
      await ctx.sessions.destroyForUser(user.tenantId, user.id);
      await ctx.loginThrottle.succeed(user.email, req.ip);
      await ctx.bus.publish({ tenantId: user.tenantId, type: 'user.updated', data: { userId: user.id, changed: ['password'], by: user.id } });
      return reply.code(204).send(null);
    },
  );

  /** Detached from the answer, so neither its time nor its errors reveal whether the account exists. */
  async function sendLink(req: FastifyRequest, email: string): Promise<void> {
    const found = await ctx.users.byEmailWithHash(email);
    const sms = ctx.services.maybe('sms');
    if (!found || found.disabled || !found.phoneNumber || !sms) return;
    const last = await resets.lastTextedAt(found.id);
    if (last !== undefined && Date.now() - last < RESET_REQUEST_SPACING_MS) return;
    const { passwordHash: _hash, ...user } = found;
    const { token } = await resets.issue(user, 'sms');
    await sms.send(user.tenantId, {
      to: user.phoneNumber!,
      text: `Your callsight password reset link (valid 1 hour): ${linkFor(req, user, token)}`,
      record: 'Password reset link (not kept)',
    });
  }
}
