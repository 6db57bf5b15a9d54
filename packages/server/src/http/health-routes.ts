import { z } from 'zod';
import type { AppContext } from '../app-context.js';
import type { HttpApp } from './http-types.js';

export async function healthRoutes(app: HttpApp, ctx: AppContext): Promise<void> {
  app.get(
    '/healthz',
    { config: { auth: false }, schema: { tags: ['health'], summary: 'Process is alive', response: { 200: z.object({ status: z.literal('ok') }) } } },
    async () => ({ status: 'ok' as const }),
  );

  app.get(
    '/readyz',
    {
      config: { auth: false },
      schema: {
        tags: ['health'],
        summary: 'Store and bus are reachable',
        response: {
          200: z.object({ status: z.literal('ready'), store: z.string(), bus: z.string() }),
          503: z.object({ status: z.literal('unavailable'), store: z.string(), bus: z.string() }),
        },
      },
    },
    async (_req, reply) => {
      const check = (p: Promise<unknown>) =>
        Promise.race([p, new Promise((_, rej) => setTimeout(() => rej(new Error('timeout')), 2000).unref())]).then(
          () => 'ok',
          (err: Error) => `error: ${err.message}`,
        );
      const [store, bus] = await Promise.all([check(ctx.store.ping()), check(ctx.bus.ping())]);
      if (store === 'ok' && bus === 'ok') return { status: 'ready' as const, store: ctx.store.dialect, bus: ctx.bus.kind };
      return reply.code(503).send({ status: 'unavailable' as const, store, bus });
    },
  );

  app.get('/metrics', { config: { auth: false }, schema: { hide: true } }, async (_req, reply) => {
    reply.type(ctx.metrics.registry.contentType);
    return ctx.metrics.registry.metrics();
  });
}
