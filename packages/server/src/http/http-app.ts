import { NOT_FOUND_PAGE, wantsHtml } from './html-page.js';
import fastifyCookie from '@fastify/cookie';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import fastifyWebsocket from '@fastify/websocket';
import Fastify, { type FastifyBaseLogger } from 'fastify';
import { createJsonSchemaTransform, createJsonSchemaTransformObject, serializerCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { z, type ZodType } from 'zod';
import type { AppContext } from '../app-context.js';
import { apiKeyRoutes } from '../auth/api-key-routes.js';
import { authRoutes } from '../auth/auth-routes.js';
import { loginLockRoutes } from '../auth/login-lock-routes.js';
import { userRoutes } from '../auth/user-routes.js';
import { passwordResetRoutes } from '../auth/password-reset-routes.js';
import { notFound } from '../core/errors.js';
import { trustedProxies } from './trusted-proxies.js';
import { webhookRoutes } from '../webhooks/webhook-routes.js';
import { registerAuthHook } from './authenticate.js';
import { egressRoutes } from './egress-routes.js';
import { eventRoutes } from './event-routes.js';
import { demoRoutes } from './demo-routes.js';
import { healthRoutes } from './health-routes.js';
import type { HttpApp } from './http-types.js';
import { interactionRoutes } from './interaction-routes.js';
import { RequestValidationError, sendProblem } from './problem.js';
import { defaultWebDir, registerWebApps } from './web-static.js';
import { WsHub } from './ws-hub.js';

/** A core route module (features register theirs in `setup`, each as its own plugin). */
export type RouteModule = (app: HttpApp, ctx: AppContext) => Promise<void>;

/** Schemas named in the OpenAPI document (components.schemas), per server: recursive ones such as a flow verb need a name to be referenced. */
export type SchemaNames = ReturnType<typeof z.registry<{ id: string }>>;

export async function buildHttpApp(ctx: AppContext): Promise<{ app: HttpApp; ws: WsHub; schemas: SchemaNames }> {
  const schemas = z.registry<{ id: string }>();
  const app = Fastify({
    // Per-request lines only at debug: at call-center rates they would drown the log.
    loggerInstance: ctx.log.child(
      { component: 'http' },
      { level: ['debug', 'trace'].includes(ctx.config.logLevel) ? ctx.config.logLevel : 'warn' },
    ) as FastifyBaseLogger,
    // X-Forwarded-For is believed only from the proxies the operator names: from anyone else it
    // would let a client pick the address its login attempts are counted against.
    trustProxy: trustedProxies(ctx.config),
    bodyLimit: 1024 * 1024,
  }).withTypeProvider<ZodTypeProvider>();

  // Validation through zod with our own errors, so every 400 names its fields.
  app.setValidatorCompiler(({ schema, httpPart }) => (data) => {
    const result = (schema as ZodType).safeParse(data);
    return result.success ? { value: result.data } : { error: new RequestValidationError(httpPart ?? 'body', result.error.issues) };
  });
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler((err, req, reply) => sendProblem(reply, err, req));
  app.setNotFoundHandler((req, reply) => {
    // A person who mistypes a page address gets a page; API clients get problem+json.
    if (wantsHtml(req)) return reply.code(404).header('content-type', 'text/html; charset=utf-8').header('cache-control', 'no-store').send(NOT_FOUND_PAGE);
    return sendProblem(reply, notFound(`Route ${req.method} ${req.url.split('?')[0]}`), req);
  });

  app.addHook('onResponse', async (req, reply) => {
    ctx.metrics.httpDuration.observe(
      { method: req.method, route: req.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });

  await app.register(fastifyCookie);
  await app.register(fastifyWebsocket, { options: { maxPayload: 256 * 1024 } });
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'callsight API',
        version: '0.1.0',
        description: 'REST + WebSocket API of callsight. Authenticate with `Authorization: Bearer csk_…` (API key) or the session cookie from /api/auth/login. Errors are application/problem+json with a stable `code`.',
      },
      components: {
        securitySchemes: {
          apiKey: { type: 'http', scheme: 'bearer', description: 'API key csk_…' },
          session: { type: 'apiKey', in: 'cookie', name: 'cs_session' },
        },
      },
      security: [{ apiKey: [] }, { session: [] }],
    },
    transform: createJsonSchemaTransform({ schemaRegistry: schemas }),
    transformObject: createJsonSchemaTransformObject({ schemaRegistry: schemas }),
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs', uiConfig: { docExpansion: 'list' } });
  app.get('/api/openapi.json', { config: { auth: false }, schema: { hide: true } }, async () => app.swagger());

  registerAuthHook(app, ctx);
  const ws = new WsHub(ctx);
  ws.register(app);

  for (const routes of [healthRoutes, demoRoutes, authRoutes, passwordResetRoutes, loginLockRoutes, userRoutes, apiKeyRoutes, webhookRoutes, egressRoutes, eventRoutes, interactionRoutes]) {
    await routes(app, ctx);
  }
  await registerWebApps(app, ctx.config.webDir ?? defaultWebDir());
  return { app, ws, schemas };
}
