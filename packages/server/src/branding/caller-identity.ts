import { splitTopLevel } from '../sip/grammar.js';
import { parseNameAddr } from '../sip/name-addr.js';
import { serializeUri } from '../sip/uri.js';
import { canonicalizeTn } from './telephone-number.js';

/** Who an INVITE says is calling, as the verification service compares it with PASSporT `orig`. */
export interface CallerIdentity {
  /** The URI (sip/sips/tel) or number the identity came from. */
  uri: string;
  source: 'P-Asserted-Identity' | 'From';
  /** Canonical TN (digits with country code), when the identity is a telephone number. */
  tn?: string;
  /** Why `uri` is not a telephone number, when it is not. */
  problem?: string;
  /** The display name that came with it (the carrier's CNAM); unverified. */
  displayName?: string;
  /** The caller asked for privacy (RFC 3323/3325 `Privacy: id`, `header` or `user`): the callee is not told who it is. */
  withheld?: boolean;
}

/** Privacy values that withhold the caller's identity from the callee (RFC 3323 §4.2, RFC 3325 §9.3). */
const WITHHOLDING = new Set(['id', 'header', 'user']);

/** Whether `Privacy` header values (`id; critical`, `header;user`, …) ask to withhold the caller's identity. */
export function privacyWithholds(values: string[] = []): boolean {
  return values.some((v) => v.split(/[;,]/).some((t) => WITHHOLDING.has(t.trim().toLowerCase())));
}

/**
 * ATIS-1000074 §5.3.1: the calling TN is taken from P-Asserted-Identity when the
 * INVITE carries one, else from From. PAI may list a sip and a tel identity
 * (RFC 3325 §9.1), so the first that is a telephone number counts; a PAI with no
 * number in it does not hide the From number (the authentication service would
 * have signed From then too).
 *
 * `from` and `pai` are header values (name-addr or addr-spec); a bare number is
 * accepted for From, for callers that have only the number.
 */
export function callerIdentity(from: string, pai: string[] = []): CallerIdentity {
  for (const value of pai.flatMap((v) => splitTopLevel(v))) {
    const id = identityOf(value, 'P-Asserted-Identity');
    if (id?.tn) return id;
  }
  return identityOf(from, 'From') ?? { uri: from, source: 'From', ...canonical(from) };
}

function identityOf(value: string, source: CallerIdentity['source']): CallerIdentity | undefined {
  // A bare number (API callers) is no name-addr: skip the parser rather than pay for its exception.
  if (!value.includes(':')) return undefined;
  let addr;
  try {
    addr = parseNameAddr(value);
  } catch {
    return undefined;
  }
  if (addr.uri.kind === 'absolute') return undefined;
  const uri = serializeUri(addr.uri);
  const displayName = addr.displayName?.trim();
  return { uri, source, ...canonical(uri), ...(displayName ? { displayName } : {}) };
}

function canonical(value: string): Pick<CallerIdentity, 'tn' | 'problem'> {
  const c = canonicalizeTn(value);
  return 'tn' in c ? { tn: c.tn } : { problem: c.problem };
}
