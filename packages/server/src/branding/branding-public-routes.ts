import { z } from 'zod';
import type { AppContext } from '../app-context.js';
import { CallsightError, notFound } from '../core/errors.js';
import { renderNoticePage, wantsHtml } from '../http/html-page.js';
import type { HttpApp } from '../http/http-types.js';
import { brandJcard } from './passport-signer.js';
import { contentVersion } from './brand-repo.js';
import './branding-service.js';
import { renderCallContentPage, type CallLinkPayload } from './call-links.js';
import { peekToken, verifyToken } from './signed-token.js';

const linkGone = () => new CallsightError('link_invalid', 'This call link is invalid or has expired', { status: 410 });
const LINK_GONE_PAGE = renderNoticePage({
  title: 'This link has expired',
  text: "The details of this call are no longer available here. If you still need them, call the business back on the number you know.",
  testId: 'link-gone',
});

/**
 * What verifiers and callees fetch without an account: certificate chains at
 * their x5u, brand logos and jCards at the URLs rcd points at (content-versioned,
 * so cacheable forever), and call links.
 */
export async function brandingPublicRoutes(app: HttpApp, ctx: AppContext): Promise<void> {
  const svc = () => ctx.services.get('branding');
  const tags = ['branding'];
  const immutable = 'public, max-age=31536000, immutable';

  app.get(
    '/sti/certs/:file',
    { config: { auth: false }, schema: { tags, summary: 'STI certificate chain (PEM) at its x5u URL', params: z.object({ file: z.string().regex(/^[a-z0-9_-]{1,40}\.pem$/) }) } },
    async (req, reply) => {
      const pem = await svc().certificates.chainPem(req.params.file.slice(0, -4));
      if (!pem) throw notFound('Certificate');
      return reply.header('content-type', 'application/pem-certificate-chain').header('cache-control', 'public, max-age=3600').send(pem);
    },
  );

  app.get(
    '/brand-assets/:brandId/logo/:version',
    { config: { auth: false }, schema: { tags, summary: 'Brand logo (rcd icn)', params: z.object({ brandId: z.string().max(40), version: z.string().max(40) }) } },
    async (req, reply) => {
      const brand = await svc().brands.getAnyTenant(req.params.brandId);
      if (!brand?.logo || brand.logo.version !== req.params.version) throw notFound('Logo');
      return reply
        .header('content-type', brand.logo.mime)
        .header('cache-control', immutable)
        .header('x-content-type-options', 'nosniff')
        // An uploaded SVG opened as a page must not run script on callsight's origin.
        .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; sandbox")
        .send(brand.logo.bytes);
    },
  );

  app.get(
    '/brand-assets/:brandId/jcard/:file',
    { config: { auth: false }, schema: { tags, summary: 'Brand jCard (rcd jcl)', params: z.object({ brandId: z.string().max(40), file: z.string().max(60) }) } },
    async (req, reply) => {
      const brand = await svc().brands.getAnyTenant(req.params.brandId);
      const bytes = brand && brandJcard(brand);
      if (!bytes || req.params.file !== `${contentVersion(bytes)}.json`) throw notFound('jCard');
      return reply.header('content-type', 'application/json').header('cache-control', immutable).send(Buffer.from(bytes));
    },
  );

  app.get(
    // A wildcard, not `:token`: Fastify caps named parameters at 100 characters and a signed link is longer.
    '/b/*',
    { config: { auth: false }, schema: { tags, summary: "Call link: the brand's content for this call (signed, expiring)", params: z.object({ '*': z.string().max(4096) }) } },
    async (req, reply) => {
      const s = svc();
      const token = req.params['*'];
      // Opened in a browser, a dead link is a page that says so, not problem+json.
      const gone = () => {
        if (!wantsHtml(req)) throw linkGone();
        return reply.code(410).header('content-type', 'text/html; charset=utf-8').header('cache-control', 'no-store').send(LINK_GONE_PAGE);
      };
      const tenantId = peekToken(token)?.ten;
      if (typeof tenantId !== 'string' || !(await ctx.tenants.get(tenantId))) return gone();
      const link = verifyToken(token, (await s.appKeys.forTenant(tenantId)).publicKey) as CallLinkPayload | undefined;
      if (!link || link.typ !== 'link' || link.exp * 1000 < Date.now()) return gone();
      const brand = await s.brands.get(tenantId, link.bid);
      if (!brand) return gone();
      await ctx.bus.publish({ tenantId, type: 'branding.link.opened', interactionId: link.int, data: { brandId: brand.id, callId: link.cid } });
      const logoUrl = s.assets(brand).logoUrl;
      return reply
        .header('content-type', 'text/html; charset=utf-8')
        .header('cache-control', 'no-store')
        .header('content-security-policy', "default-src 'none'; img-src 'self' https: data:; style-src 'unsafe-inline'")
        .send(renderCallContentPage(brand, logoUrl, link));
    },
  );
}
