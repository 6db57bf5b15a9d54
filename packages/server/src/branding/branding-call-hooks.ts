import type { Logger } from '../core/logger.js';
import type { Call } from '../calls/call.js';
import type { CallHooks } from '../calls/call-hooks.js';
import { telephoneNumberOf } from '../calls/destinations.js';
import type { BrandingService } from './branding-service.js';
import type { PolicyResult } from './branding-policy.js';
import { deskPhoneHeaders } from './sip-verstat.js';

declare module '../calls/call.js' {
  interface CallAnnotations {
    /** STIR/SHAKEN result of an inbound call, set before anything rings. */
    verification?: PolicyResult;
  }
}

/**
 * Branding in calls: inbound INVITEs are verified (RFC 8224) before anything rings;
 * calls from a brand's number are signed; desk phones a verified call rings get the
 * verified name and verstat in P-Asserted-Identity (ATIS-1000074) and the logo as
 * Call-Info; ringing apps get signed call metadata for the lockscreen.
 */
export function registerBrandingCallHooks(hooks: CallHooks, branding: BrandingService, log: Logger): (() => void)[] {
  return [
    hooks.onInboundInvite(async ({ call, dialled, headers }) => {
      // The raw From and P-Asserted-Identity go to branding: it picks the calling identity and the carrier's name.
      const sip = { identity: headers('identity'), from: headers('from')[0] ?? '', pai: headers('p-asserted-identity'), privacy: headers('privacy') };
      call.annotations.verification = await verifyCaller(branding, log, call, sip, dialled);
    }),
    hooks.outgoingHeaders(async ({ tenantId, from, to, reason, forwarding }) => ({
      ...(forwarding ? brandHeaders(forwarding) : {}),
      ...(await identityFor(branding, tenantId, from, to, reason)),
    })),
    hooks.appRingMetadata(async (out) => {
      const verification = out.forwarding?.annotations.verification;
      if (out.forwarding && verification) {
        const verifiedTn = verification.caller?.tn;
        const callerNumber = verifiedTn ? `+${verifiedTn}` : (telephoneNumberOf(out.forwarding.record.from) ?? out.forwarding.record.from);
        return branding.callMetadata({ tenantId: out.tenantId, callId: out.forwarding.id, callerNumber, verification });
      }
      const identity = out.headers.Identity;
      return typeof identity === 'string' ? ownCallMetadata(branding, out, identity) : undefined;
    }),
  ];
}

/** STIR/SHAKEN verification (RFC 8224): a call without Identity is No-TN-Validation; a failed check never shows brand data. */
async function verifyCaller(
  branding: BrandingService,
  log: Logger,
  call: Call,
  sip: { identity: string[]; from: string; pai: string[]; privacy?: string[] },
  dialled: string,
): Promise<PolicyResult> {
  try {
    return await branding.verifyIncoming({ tenantId: call.record.tenantId, interactionId: call.record.interactionId, identityHeaders: sip.identity, from: sip.from, pai: sip.pai, privacy: sip.privacy, to: dialled });
  } catch (err) {
    log.warn({ err, callId: call.id }, 'caller verification failed');
    return { verstat: 'TN-Validation-Failed', reasons: ['verification_error'], codes: [] };
  }
}

/** For desk phones: the verified identity with verstat on PAI (ATIS-1000074), brand or marked carrier name, logo as Call-Info. */
function brandHeaders(call: Call): Record<string, string> {
  const v = call.annotations.verification;
  return v ? deskPhoneHeaders(v, call.record.from) : {};
}

/** An Identity header when the tenant's brand owns the calling number; otherwise none (the call goes unsigned). */
async function identityFor(branding: BrandingService, tenantId: string, from: string, to: string, reason?: string): Promise<Record<string, string>> {
  const fromTn = telephoneNumberOf(from);
  const toTn = telephoneNumberOf(to);
  if (!fromTn || !toTn) return {};
  try {
    return { Identity: (await branding.signOutgoing({ tenantId, from: fromTn, to: toTn, reason })).identityHeader };
  } catch {
    return {};
  }
}

/**
 * A call we originate from a brand's number to one of our own app users never crosses
 * a carrier, but the app should see it exactly as it would: verify our own Identity
 * header and send the result as call metadata.
 */
async function ownCallMetadata(
  branding: BrandingService,
  call: { tenantId: string; callId: string; interactionId?: string; reason?: string; from: string; to: string },
  identity: string,
): Promise<string | undefined> {
  const { tenantId } = call;
  const fromTn = telephoneNumberOf(call.from);
  const toTn = telephoneNumberOf(call.to);
  if (!fromTn || !toTn) return undefined;
  const verification = await branding.verifyIncoming({ tenantId, identityHeaders: [identity], from: fromTn, to: toTn });
  // Our own brand: its content page for this call is the link the lockscreen offers.
  const brand = await branding.brands.findByNumber(tenantId, fromTn.replace(/^\+/, ''));
  const link = brand
    ? await branding.callLink({ tenantId, brandId: brand.id, callId: call.callId, interactionId: call.interactionId, data: call.reason ? { reason: call.reason } : {} })
    : undefined;
  return branding.callMetadata({ tenantId, callId: call.callId, callerNumber: fromTn, verification, link });
}
