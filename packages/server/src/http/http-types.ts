import type { FastifyBaseLogger, FastifyInstance, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Principal } from '../auth/principal.js';
import type { Role } from '../store/schema.js';

/** The Fastify instance every route module receives: zod-typed requests and replies. */
export type HttpApp = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>;

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the auth hook on every route that is not `auth: false`. */
    principal: Principal;
  }
  interface FastifyContextConfig {
    /** `false` for public routes; default requires a session cookie or API key. */
    auth?: boolean;
    /** Minimum role (admin > supervisor > agent > customer). */
    role?: Role;
  }
}
