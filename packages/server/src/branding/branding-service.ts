import { randomUUID } from 'node:crypto';
import type { AppContext } from '../app-context.js';
import { egressAllowList } from '../core/egress.js';
import type { WsHub } from '../http/ws-hub.js';
import { badRequest, notFound } from '../core/errors.js';
import { AppSigningKeys } from './app-signing-keys.js';
import { BoundedFetcher } from './bounded-fetcher.js';
import { BrandRepo, contentVersion, type Brand } from './brand-repo.js';
import { applyBrandingPolicy, type PolicyResult } from './branding-policy.js';
import { BrandingPolicyRepo } from './branding-policy-repo.js';
import { tnNotAuthorized } from './branding-errors.js';
import { encodeCallMetadata } from './call-metadata.js';
import type { CallLinkPayload } from './call-links.js';
import { brandJcard, signPassport, type BrandAssets, type SignedPassport } from './passport-signer.js';
import type { Attestation } from './passport.js';
import { signToken } from './signed-token.js';
import { StiCertificates } from './sti-certificates.js';
import { requireTn } from './telephone-number.js';
import { TrustStore } from './trust-store.js';
import { PassportVerifier, type VerifyInput } from './verifier.js';

export const LOGO_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/svg+xml']);

export interface SignOutgoingInput {
  tenantId: string;
  /** Calling number (E.164, "+" optional). */
  from: string;
  to: string | string[];
  attest?: Attestation;
  origId?: string;
  /** Defaults to the brand authorized for `from`. */
  brandId?: string;
  /** Call reason (crn); must be one of the brand's reasons. */
  reason?: string;
  interactionId?: string;
}

/**
 * Branded calling for the rest of callsight: sign outgoing calls, verify
 * incoming ones, and package the result for the phone app. One per server
 * (`ctx.services.get('branding')`); events are published here so every caller —
 * SIP path, REST API, demo — is audited the same way.
 */
export class BrandingService {
  readonly brands: BrandRepo;
  readonly policies: BrandingPolicyRepo;
  readonly certificates: StiCertificates;
  readonly appKeys: AppSigningKeys;
  readonly trust = new TrustStore();
  readonly verifier: PassportVerifier;

  constructor(
    private readonly ctx: AppContext,
    /** Base URL the world reaches this server at (x5u, icn, jcl, call links). */
    readonly publicBase: () => string,
    private readonly ws: Pick<WsHub, 'sendToUser'>,
  ) {
    this.brands = new BrandRepo(ctx.store);
    this.policies = new BrandingPolicyRepo(ctx.store);
    this.certificates = new StiCertificates(ctx.store, ctx.secretBox, this.trust);
    this.appKeys = new AppSigningKeys(ctx.store, ctx.secretBox);
    // In production a PASSporT's URLs must not reach inside the network (SSRF); dev and tests serve them from 127.0.0.1.
    this.verifier = new PassportVerifier({ trust: this.trust, fetcher: new BoundedFetcher({ blockPrivateAddresses: true, allow: egressAllowList(ctx.config) }) });
  }

  async init(): Promise<void> {
    await this.certificates.init();
    if (this.ctx.config.stiTrustDir) {
      const n = this.trust.addDirectory(this.ctx.config.stiTrustDir);
      this.ctx.log.info({ dir: this.ctx.config.stiTrustDir, certificates: n }, 'loaded STI trust anchors');
    }
  }

  async signOutgoing(input: SignOutgoingInput): Promise<SignedPassport> {
    const from = requireTn(input.from, 'from');
    const to = (Array.isArray(input.to) ? input.to : [input.to]).map((t, i) => requireTn(t, `to.${i}`));
    const brand = input.brandId ? await this.brands.get(input.tenantId, input.brandId) : await this.brands.findByNumber(input.tenantId, from);
    if (!brand) throw input.brandId ? notFound('Brand') : tnNotAuthorized(from);
    if (input.reason !== undefined && !brand.reasons.includes(input.reason)) {
      throw badRequest('unknown_reason', `"${input.reason}" is not one of ${brand.name}'s call reasons`, [{ path: 'reason', message: 'not a reason of this brand' }]);
    }
    const cert = await this.certificates.delegateFor(brand);
    const signed = signPassport({ from, to, attest: input.attest, origId: input.origId, reason: input.reason }, brand, cert, this.certificateUrl(cert.id), this.assets(brand));
    const c = signed.passport.claims;
    await this.ctx.bus.publish({
      tenantId: input.tenantId,
      type: 'branding.signed',
      interactionId: input.interactionId,
      data: { brandId: brand.id, certificateId: cert.id, from, to, attest: c.attest, origId: c.origid, reason: input.reason ?? null },
    });
    return signed;
  }

  /**
   * Verifies an incoming call's Identity headers and applies the tenant's policy
   * (which attestations show a brand, whether an unverified carrier name passes
   * through). Every call that presented an Identity header is an audit event.
   */
  async verifyIncoming(input: VerifyInput & { tenantId: string; interactionId?: string }): Promise<PolicyResult> {
    const result = applyBrandingPolicy(await this.verifier.verifyIncoming(input), await this.policies.get(input.tenantId));
    if (input.identityHeaders.length > 0) {
      await this.ctx.bus.publish({
        tenantId: input.tenantId,
        type: 'branding.verified',
        interactionId: input.interactionId,
        data: {
          from: result.caller?.uri ?? input.from,
          identity: result.caller?.source ?? 'From',
          to: input.to,
          verstat: result.verstat,
          attest: result.attest ?? null,
          passports: (result.passports ?? []).map((p) => p.ppt),
          brandName: result.brand?.name ?? null,
          brandWithheld: result.brandWithheld ?? null,
          reasons: result.reasons,
        },
      });
    }
    return result;
  }

  /** The signed token the phone app renders the lockscreen from. */
  async callMetadata(input: { tenantId: string; callId: string; callerNumber: string; verification: PolicyResult; link?: string }): Promise<string> {
    const key = await this.appKeys.forTenant(input.tenantId);
    return encodeCallMetadata(input, key.privateKey);
  }

  /** A call link to the brand's content for this call, valid for `ttlSeconds` (default: config callLinkTtlHours, so it outlives the call). */
  async callLink(input: { tenantId: string; brandId: string; callId: string; interactionId?: string; data: Record<string, string>; ttlSeconds?: number }): Promise<string> {
    const key = await this.appKeys.forTenant(input.tenantId);
    const payload: CallLinkPayload = {
      typ: 'link',
      ten: input.tenantId,
      bid: input.brandId,
      cid: input.callId,
      ...(input.interactionId && { int: input.interactionId }),
      d: input.data,
      exp: Math.floor(Date.now() / 1000) + (input.ttlSeconds ?? Math.round(this.ctx.config.callLinkTtlHours * 3600)),
    };
    return `${this.publicBase()}/b/${signToken(payload, key.privateKey)}`;
  }

  /**
   * Rings a user's phone app with the lockscreen preview of an incoming call:
   * WS message `{ kind: 'call.incoming.preview', callId, callerNumber, metadataToken }`.
   * Returns how many of the user's sockets got it.
   */
  pushIncomingPreview(tenantId: string, userId: string, preview: { callId: string; callerNumber: string; metadataToken: string; interactionId?: string }): number {
    return this.ws.sendToUser(tenantId, userId, { kind: 'call.incoming.preview', ...preview });
  }

  /**
   * A complete branded call without a network: sign as the brand, verify it like
   * an incoming call (fetching x5u, logo and jCard over HTTP from this server),
   * and push the result to the user's phone. `spoofed` alters the signed claims
   * after signing, `unsigned` sends no Identity header.
   */
  async testCall(input: { tenantId: string; brandId: string; userId: string; reason?: string; content?: Record<string, string>; mode: 'verified' | 'unsigned' | 'spoofed' }) {
    const { tenantId } = input;
    const brand = await this.brands.get(tenantId, input.brandId);
    if (!brand) throw notFound('Brand');
    const user = await this.ctx.users.get(tenantId, input.userId);
    if (!user) throw notFound('User');
    if (!user.phoneNumber) throw badRequest('no_phone_number', `${user.name} has no phone number to call`);
    const from = `+${brand.numbers[0]}`;
    const interaction = await this.ctx.interactions.create({ tenantId, channel: 'voice', customerId: user.id, subject: `${brand.name} test call` });
    const callId = `call-${randomUUID()}`;
    const headers: string[] = [];
    if (input.mode !== 'unsigned') {
      const signed = await this.signOutgoing({ tenantId, from, to: user.phoneNumber, brandId: brand.id, reason: input.reason, interactionId: interaction.id });
      headers.push(input.mode === 'spoofed' ? spoof(signed.identityHeader) : signed.identityHeader);
    }
    const verification = await this.verifyIncoming({ tenantId, interactionId: interaction.id, identityHeaders: headers, from, to: user.phoneNumber });
    const link =
      verification.brand &&
      (await this.callLink({ tenantId, brandId: brand.id, callId, interactionId: interaction.id, data: input.content ?? (input.reason ? { About: input.reason } : {}) }));
    const metadataToken = await this.callMetadata({ tenantId, callId, callerNumber: from, verification, link });
    const delivered = this.pushIncomingPreview(tenantId, user.id, { callId, callerNumber: from, metadataToken, interactionId: interaction.id });
    return { callId, interactionId: interaction.id, metadataToken, verification, delivered };
  }

  /**
   * Copies a logo given by URL (through the bounded fetcher: size cap, timeout,
   * no private addresses in production) so callsight serves it from then on.
   */
  async copyLogo(url: string): Promise<{ mime: string; bytes: Buffer; sourceUrl: string }> {
    let fetched;
    try {
      fetched = await this.verifier.fetcher.fetch(url);
    } catch (err) {
      throw badRequest('logo_unreachable', `the logo URL could not be fetched: ${(err as Error).message}`, [{ path: 'body.logo.url', message: 'unreachable' }]);
    }
    const mime = fetched.contentType.split(';')[0]!.trim().toLowerCase();
    if (!LOGO_TYPES.has(mime)) throw badRequest('logo_invalid', `the logo URL serves ${mime || 'no content type'}, not an image`, [{ path: 'body.logo.url', message: 'not an image' }]);
    return { mime, bytes: fetched.body, sourceUrl: url };
  }

  certificateUrl(id: string): string {
    return `${this.publicBase()}/sti/certs/${id}.pem`;
  }

  /** The URLs and bytes a brand's rcd points at; the URLs embed content versions so digests stay valid in caches. */
  assets(brand: Brand): BrandAssets {
    const base = `${this.publicBase()}/brand-assets/${brand.id}`;
    const jcardBytes = brandJcard(brand);
    const jcardUrl = `${base}/jcard/${contentVersion(jcardBytes)}.json`;
    if (brand.logo) return { logoUrl: `${base}/logo/${brand.logo.version}`, logoBytes: brand.logo.bytes, jcardUrl, jcardBytes };
    return { jcardUrl, jcardBytes };
  }
}

declare module '../core/services.js' {
  interface Services {
    /** Sign outgoing / verify incoming calls, call metadata and links: `ctx.services.get('branding')`. */
    branding: BrandingService;
  }
}

/** What a spoofer does: keep the signature, change who the call claims to be from (the name). */
function spoof(identityHeader: string): string {
  const semi = identityHeader.indexOf(';');
  const [h, p, sig] = identityHeader.slice(0, semi).split('.') as [string, string, string];
  const claims = JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as { rcd?: { nam: string } };
  if (claims.rcd) claims.rcd.nam = 'Your Bank Security Team';
  return `${h}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${sig}${identityHeader.slice(semi)}`;
}
