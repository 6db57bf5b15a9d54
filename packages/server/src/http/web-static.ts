import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { HttpApp } from './http-types.js';

export const WEB_APPS = ['phone', 'agent', 'admin', 'rooms'] as const;

/** packages/web/dist, found from this file whether run from src (tsx) or dist. */
export function defaultWebDir(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  return path.resolve(here, '../../../web/dist');
}

/**
 * Serves the built web apps. Each app is a single-page app under its own path,
 * so unknown paths below /phone/ etc. fall back to that app's index.html.
 */
export async function registerWebApps(app: HttpApp, webDir: string): Promise<boolean> {
  if (!existsSync(path.join(webDir, 'index.html'))) return false;
  await app.register(fastifyStatic, { root: webDir, prefix: '/', index: ['index.html'], wildcard: false, cacheControl: true, maxAge: 0 });
  for (const name of WEB_APPS) {
    const handler = (_req: unknown, reply: { sendFile(file: string): unknown }) => reply.sendFile(`${name}/index.html`);
    app.get(`/${name}`, { config: { auth: false }, schema: { hide: true } }, handler as never);
    app.get(`/${name}/*`, { config: { auth: false }, schema: { hide: true } }, async (req, reply) => {
      const rel = (req.params as { '*': string })['*'];
      if (rel && existsSync(path.join(webDir, name, rel)) && !rel.includes('..')) return reply.sendFile(`${name}/${rel}`);
      return reply.sendFile(`${name}/index.html`);
    });
  }
  return true;
}
