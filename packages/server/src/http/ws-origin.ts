import type { FastifyRequest } from 'fastify';

/**
 * Whether a cookie-authenticated WebSocket upgrade comes from our own pages: its
 * Origin is the configured public URL's, or the host it connected to (same origin).
 * Browsers always send Origin on WebSocket upgrades; a client without one is not a
 * browser (a cross-site page cannot leave it out), so it passes.
 */
export function wsOriginAllowed(req: FastifyRequest, publicUrl: string | undefined): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    return false;
  }
  if (publicUrl && parsed.origin === new URL(publicUrl).origin) return true;
  return !!req.headers.host && parsed.host === req.headers.host;
}
