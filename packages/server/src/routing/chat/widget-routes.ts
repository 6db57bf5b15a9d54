import type { HttpApp } from '../../http/http-types.js';
import { DEMO_PAGE } from './demo-page.js';
import { WIDGET_SCRIPT } from './widget-script.js';

/** The embeddable widget and its demo page: public, cacheable assets. */
export async function widgetRoutes(app: HttpApp): Promise<void> {
  app.get('/chat/widget.js', { config: { auth: false }, schema: { hide: true } }, async (_req, reply) =>
    reply.header('content-type', 'text/javascript; charset=utf-8').header('cache-control', 'public, max-age=300').header('access-control-allow-origin', '*').send(WIDGET_SCRIPT),
  );
  app.get('/chat/demo.html', { config: { auth: false }, schema: { hide: true } }, async (_req, reply) =>
    reply.header('content-type', 'text/html; charset=utf-8').send(DEMO_PAGE),
  );
}
