import type { PolicyResult } from './branding-policy.js';
import type { VerifiedBrand, Verstat } from './verifier.js';

/**
 * How a verification result travels on the forwarded INVITE (ATIS-1000074
 * §5.3.1, 3GPP TS 24.229 §7.2A.20): `verstat` is a tel URI parameter; in a SIP
 * URI with user=phone it sits in the user part, before the '@':
 *   <tel:+15550100;verstat=TN-Validation-Passed>
 *   <sip:+15550100;verstat=TN-Validation-Passed@example.com;user=phone>
 * Any verstat already present (e.g. set by an untrusted upstream) is replaced.
 */
export function applyVerstat(nameAddr: string, verstat: Verstat): string {
  const open = nameAddr.indexOf('<');
  const close = open >= 0 ? nameAddr.indexOf('>', open) : -1;
  const [before, uri, after] = open >= 0 && close > open ? [nameAddr.slice(0, open + 1), nameAddr.slice(open + 1, close), nameAddr.slice(close)] : ['', nameAddr.split(';')[0]!, nameAddr.slice(nameAddr.split(';')[0]!.length)];
  return before + withVerstat(uri, verstat) + after;
}

function withVerstat(uri: string, verstat: Verstat): string {
  const strip = (s: string) => s.replace(/;verstat=[^;@?>]*/gi, '');
  const param = `;verstat=${verstat}`;
  if (/^tel:/i.test(uri)) {
    const q = uri.indexOf('?');
    const main = q < 0 ? uri : uri.slice(0, q);
    return strip(main) + param + (q < 0 ? '' : uri.slice(q));
  }
  const at = uri.indexOf('@');
  if (/^sips?:/i.test(uri) && at > 0) return strip(uri.slice(0, at)) + param + uri.slice(at);
  return uri; // no telephone number to qualify: verstat only applies to TNs
}

/**
 * The display name a SIP desk phone shows, set on From / P-Asserted-Identity:
 * the verified brand name, quoted (RFC 3261 quoted-string escaping).
 */
export function withDisplayName(nameAddr: string, displayName: string): string {
  const quoted = `"${displayName.replace(/[\\"]/g, '\\$&').replace(/[\r\n]/g, ' ')}"`;
  const open = nameAddr.indexOf('<');
  if (open < 0) {
    const semi = nameAddr.indexOf(';');
    return semi < 0 ? `${quoted} <${nameAddr.trim()}>` : `${quoted} <${nameAddr.slice(0, semi).trim()}>${nameAddr.slice(semi)}`;
  }
  return `${quoted} ${nameAddr.slice(open)}`;
}

/**
 * The Call-Info header value for a verified brand (RFC 3261 §20.9 purpose=icon;
 * RFC 9796 purpose=jcard), or undefined when there is nothing to point at.
 */
export function brandCallInfo(brand: Pick<VerifiedBrand, 'logoUrl' | 'jcardUrl'>): string | undefined {
  const parts: string[] = [];
  if (brand.logoUrl) parts.push(`<${brand.logoUrl}>;purpose=icon`);
  if (brand.jcardUrl) parts.push(`<${brand.jcardUrl}>;purpose=jcard`);
  return parts.length ? parts.join(', ') : undefined;
}

/** How a carrier's display name is marked when nothing verified it: a prefix, so a narrow screen that cuts the end keeps it. */
export const UNVERIFIED_NAME_PREFIX = 'Unverified: ';

/**
 * The headers a SIP desk phone gets for an inbound call (ATIS-1000074 §5.3.1):
 * P-Asserted-Identity is the identity that was verified — the caller's PAI when
 * it carried the number, else From — with `verstat`, and as its display name the
 * verified brand, or the carrier's plain name marked unverified when the policy
 * passes it through; the brand's logo and jCard go in Call-Info. A caller who
 * asked for privacy is shown as Anonymous only.
 */
export function deskPhoneHeaders(v: PolicyResult, fallbackUri: string): Record<string, string> {
  // RFC 3325 §7 / RFC 3323: a caller who asked for privacy is not revealed to the callee (anonymous URI of RFC 3323 §4.1.1.3).
  if (v.caller?.withheld) return { 'P-Asserted-Identity': '"Anonymous" <sip:anonymous@anonymous.invalid>' };
  const identity = `<${v.caller?.uri ?? fallbackUri}>`;
  const name = v.brand?.name ?? (v.callerName !== undefined ? UNVERIFIED_NAME_PREFIX + v.callerName : undefined);
  const pai = applyVerstat(name !== undefined ? withDisplayName(identity, name) : identity, v.verstat);
  const info = v.brand ? brandCallInfo(v.brand) : undefined;
  return { 'P-Asserted-Identity': pai, ...(info ? { 'Call-Info': info } : {}) };
}
