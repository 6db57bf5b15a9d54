import { z } from 'zod';
import type { Brand as BrandDto, BrandingPolicy, Verification } from '@callsight/protocol';
import { wire } from '../http/wire-schema.js';
import type { AppContext } from '../app-context.js';
import { badRequest, conflict, notFound } from '../core/errors.js';
import { idParam } from '../http/common-schemas.js';
import type { HttpApp } from '../http/http-types.js';
import type { Brand, BrandInput } from './brand-repo.js';
import { LOGO_TYPES, type BrandingService } from './branding-service.js';
import { canonicalTn } from './telephone-number.js';

const MAX_LOGO_BYTES = 256 * 1024;
const LOGO_MIME = z.string().refine((m) => LOGO_TYPES.has(m), `must be one of ${[...LOGO_TYPES].join(', ')}`);
const e164 = z.string().max(20).refine((s) => canonicalTn(s) !== undefined, 'must be a telephone number (E.164)');
const httpUrl = z.string().url().max(2000).refine((u) => /^https?:\/\//.test(u), 'must be http(s)');

const brandBody = z
  .object({
    name: z.string().trim().min(1).max(32).describe('Shown to callees (RFC 9795 recommends ≤ 32 characters)'),
    logo: z
      .union([z.object({ dataBase64: z.string().max(Math.ceil(MAX_LOGO_BYTES / 3) * 4), mime: LOGO_MIME }).strict(), z.object({ url: httpUrl }).strict()])
      .nullable()
      .optional(),
    reasons: z.array(z.string().trim().min(1).max(64)).max(20).default([]),
    numbers: z.array(e164).min(1).max(500),
    content: z.object({ kind: z.enum(['order', 'appointment', 'message']), title: z.string().trim().min(1).max(80) }).strict(),
  })
  .strict();

const brandOut = wire<BrandDto>()(z.object({
  id: z.string(),
  name: z.string(),
  logoUrl: z.string().nullable(),
  reasons: z.array(z.string()),
  numbers: z.array(z.string()),
  content: z.object({ kind: z.enum(['order', 'appointment', 'message']), title: z.string() }),
  createdAt: z.number(),
  updatedAt: z.number(),
}));

const verifiedBrandOut = z.object({
  name: z.string(),
  logoUrl: z.string().optional(),
  jcardUrl: z.string().optional(),
  logoDataUri: z.string().optional(),
  reason: z.string().optional(),
  jcard: z.unknown().optional(),
});

const verificationOut = wire<Verification>()(z.object({
  verstat: z.enum(['TN-Validation-Passed', 'TN-Validation-Failed', 'No-TN-Validation']),
  attest: z.enum(['A', 'B', 'C']).optional(),
  origId: z.string().optional(),
  brand: verifiedBrandOut.optional(),
  reasons: z.array(z.string()),
  codes: z.array(z.string()),
  caller: z
    .object({
      uri: z.string(),
      source: z.enum(['P-Asserted-Identity', 'From']),
      tn: z.string().optional(),
      problem: z.string().optional(),
      displayName: z.string().optional(),
      withheld: z.boolean().optional(),
    })
    .optional()
    .describe('The identity compared with orig: P-Asserted-Identity when it holds a number, else From'),
  passports: z.array(z.object({ ppt: z.enum(['shaken', 'rcd']), attest: z.enum(['A', 'B', 'C']).optional(), origId: z.string().optional(), brand: verifiedBrandOut.optional() })).optional(),
  callerName: z.string().optional().describe("The carrier's display name, unverified; only when no brand is shown and the policy allows it"),
  brandWithheld: z.string().optional().describe("Why the tenant's policy hid a verified brand"),
}));

const attestations = z.array(z.enum(['A', 'B', 'C'])).max(3);
const policyBody = wire<BrandingPolicy>()(z
  .object({
    brandAttestations: attestations.describe('SHAKEN attestations whose calls show a brand (programmes brand only A)'),
    unverifiedNames: z.boolean().describe("Pass an unverified call's carrier display name (CNAM) to phones, marked unverified"),
  })
  .strict());

function toOut(svc: BrandingService, b: Brand): z.infer<typeof brandOut> {
  return {
    id: b.id,
    name: b.name,
    logoUrl: svc.assets(b).logoUrl ?? null,
    reasons: b.reasons,
    numbers: b.numbers.map((n) => `+${n}`),
    content: b.content,
    createdAt: b.createdAt,
    updatedAt: b.updatedAt,
  };
}

async function toInput(svc: BrandingService, body: Partial<z.infer<typeof brandBody>>): Promise<Partial<BrandInput>> {
  const out: Partial<BrandInput> = { name: body.name, reasons: body.reasons, content: body.content };
  if (body.numbers) out.numbers = numbersOf(body.numbers);
  if (body.logo === null) out.logo = null;
  else if (body.logo && 'url' in body.logo) out.logo = await svc.copyLogo(body.logo.url);
  else if (body.logo) {
    const bytes = Buffer.from(body.logo.dataBase64, 'base64');
    if (bytes.length === 0 || bytes.length > MAX_LOGO_BYTES) throw badRequest('logo_invalid', `logo must be 1..${MAX_LOGO_BYTES} bytes`, [{ path: 'body.logo.dataBase64', message: 'size' }]);
    out.logo = { mime: body.logo.mime, bytes };
  }
  return out;
}

const numbersOf = (numbers: string[] | undefined) => numbers && [...new Set(numbers.map((n) => canonicalTn(n)!))];

/** A number belongs to at most one brand of a tenant: it decides which brand signs a call from it. */
async function assertNumbersFree(svc: BrandingService, tenantId: string, numbers: string[] | undefined, exceptBrandId?: string) {
  if (!numbers) return;
  for (const b of await svc.brands.list(tenantId)) {
    if (b.id === exceptBrandId) continue;
    const taken = numbers.find((n) => b.numbers.includes(n));
    if (taken) throw conflict('number_taken', `+${taken} already belongs to brand "${b.name}"`);
  }
}

export async function brandingRoutes(app: HttpApp, ctx: AppContext): Promise<void> {
  const svc = () => ctx.services.get('branding');
  const tags = ['branding'];

  app.get('/api/branding/brands', { config: { role: 'supervisor' }, schema: { tags, summary: 'List brands', response: { 200: z.object({ items: z.array(brandOut) }) } } }, async (req) => {
    const s = svc();
    return { items: (await s.brands.list(req.principal.tenantId)).map((b) => toOut(s, b)) };
  });

  app.post(
    '/api/branding/brands',
    { config: { role: 'admin' }, schema: { tags, summary: 'Create a brand: name, logo, call reasons, the numbers it calls from, its content page', body: brandBody, response: { 201: brandOut } } },
    async (req, reply) => {
      const s = svc();
      const { tenantId } = req.principal;
      await assertNumbersFree(s, tenantId, numbersOf(req.body.numbers));
      const input = (await toInput(s, req.body)) as BrandInput;
      const brand = await s.brands.create(tenantId, input);
      await ctx.bus.publish({ tenantId, type: 'branding.brand.created', data: { brandId: brand.id, name: brand.name } });
      return reply.code(201).send(toOut(s, brand));
    },
  );

  app.patch(
    '/api/branding/brands/:id',
    { config: { role: 'admin' }, schema: { tags, summary: 'Change a brand', params: idParam('brd'), body: brandBody.partial().strict(), response: { 200: brandOut } } },
    async (req) => {
      const s = svc();
      const { tenantId } = req.principal;
      if (!(await s.brands.get(tenantId, req.params.id))) throw notFound('Brand');
      await assertNumbersFree(s, tenantId, numbersOf(req.body.numbers), req.params.id);
      const input = await toInput(s, req.body);
      const brand = await s.brands.update(tenantId, req.params.id, input);
      if (!brand) throw notFound('Brand');
      await ctx.bus.publish({ tenantId, type: 'branding.brand.updated', data: { brandId: brand.id, name: brand.name } });
      return toOut(s, brand);
    },
  );

  app.delete('/api/branding/brands/:id', { config: { role: 'admin' }, schema: { tags, summary: 'Delete a brand', params: idParam('brd'), response: { 204: z.null() } } }, async (req, reply) => {
    const { tenantId } = req.principal;
    if (!(await svc().brands.remove(tenantId, req.params.id))) throw notFound('Brand');
    await ctx.bus.publish({ tenantId, type: 'branding.brand.deleted', data: { brandId: req.params.id } });
    return reply.code(204).send(null);
  });

  app.get(
    '/api/branding/certificates',
    {
      config: { role: 'admin' },
      schema: {
        tags,
        summary: "The tenant's STI delegate certificates (TNAuthList per brand); each is served at its x5u",
        response: {
          200: z.object({
            items: z.array(
              z.object({ id: z.string(), brandId: z.string().nullable(), kind: z.string(), subject: z.string(), tnAuthList: z.array(z.record(z.string(), z.unknown())).nullable(), notBefore: z.number(), notAfter: z.number(), x5u: z.string() }),
            ),
          }),
        },
      },
    },
    async (req) => {
      const s = svc();
      return { items: (await s.certificates.list(req.principal.tenantId)).map((c) => ({ ...c, x5u: s.certificateUrl(c.id) })) };
    },
  );

  app.get(
    '/api/branding/app-key',
    { config: { role: 'customer' }, schema: { tags, summary: 'Public JWK (ES256) that signs call metadata and call links for this tenant', response: { 200: z.record(z.string(), z.unknown()) } } },
    async (req) => (await svc().appKeys.forTenant(req.principal.tenantId)).publicJwk,
  );

  app.post(
    '/api/branding/sign',
    {
      config: { role: 'supervisor' },
      schema: {
        tags,
        summary: 'Sign an outgoing call: SIP Identity header with SHAKEN attestation and Rich Call Data',
        body: z
          .object({ from: e164, to: z.union([e164, z.array(e164).min(1).max(10)]), attest: z.enum(['A', 'B', 'C']).optional(), origId: z.string().uuid().optional(), brandId: z.string().max(40).optional(), reason: z.string().max(64).optional() })
          .strict(),
        response: { 200: z.object({ identityHeader: z.string(), passport: z.object({ header: z.record(z.string(), z.unknown()), claims: z.record(z.string(), z.unknown()) }) }) },
      },
    },
    async (req) => {
      const { identityHeader, passport } = await svc().signOutgoing({ tenantId: req.principal.tenantId, ...req.body });
      return { identityHeader, passport: { header: { ...passport.header }, claims: { ...passport.claims } } };
    },
  );

  app.post(
    '/api/branding/verify',
    {
      config: { role: 'agent' },
      schema: {
        tags,
        summary: 'Verify the Identity headers of an incoming call',
        body: z
          .object({
            identityHeaders: z.array(z.string().max(8192)).max(10),
            from: z.string().max(300).describe('From: a name-addr, a URI or a number'),
            pai: z.array(z.string().max(300)).max(4).optional().describe('P-Asserted-Identity values; the first holding a number is the calling identity'),
            privacy: z.array(z.string().max(100)).max(4).optional().describe('Privacy values: id, header or user withhold the caller from the callee'),
            to: z.string().max(300),
          })
          .strict(),
        response: { 200: verificationOut },
      },
    },
    async (req) => svc().verifyIncoming({ tenantId: req.principal.tenantId, ...req.body }),
  );

  app.get(
    '/api/branding/policy',
    { config: { role: 'supervisor' }, schema: { tags, summary: "The tenant's branded-calling policy: which attestations show a brand, whether unverified caller names pass through", response: { 200: policyBody } } },
    async (req) => svc().policies.get(req.principal.tenantId),
  );

  app.put(
    '/api/branding/policy',
    { config: { role: 'admin' }, schema: { tags, summary: "Set the tenant's branded-calling policy", body: policyBody, response: { 200: policyBody } } },
    async (req) => {
      const { tenantId } = req.principal;
      const policy = await svc().policies.set(tenantId, req.body);
      await ctx.bus.publish({ tenantId, type: 'branding.policy.updated', data: policy });
      return policy;
    },
  );

  app.post(
    '/api/branding/test-call',
    {
      config: { role: 'supervisor' },
      schema: {
        tags,
        summary: "Ring a user's phone app with a signed incoming-call preview (verified, unsigned, or spoofed) to try branded calling end to end",
        body: z
          .object({
            brandId: z.string().max(40),
            userId: z.string().max(40),
            reason: z.string().max(64).optional(),
            content: z.record(z.string().max(40), z.string().max(200)).optional(),
            mode: z.enum(['verified', 'unsigned', 'spoofed']).default('verified'),
          })
          .strict(),
        response: { 200: z.object({ callId: z.string(), interactionId: z.string(), metadataToken: z.string(), verification: verificationOut, delivered: z.number() }) },
      },
    },
    async (req) => svc().testCall({ tenantId: req.principal.tenantId, ...req.body }),
  );
}
