import { createPublicKey, type KeyObject } from 'node:crypto';
import { x509 } from './x509.js';
import { VerificationError } from './branding-errors.js';
import { decodeClaimConstraints, ENHANCED_JWT_CLAIM_CONSTRAINTS_OID, JWT_CLAIM_CONSTRAINTS_OID, type ClaimConstraints } from './jwt-claim-constraints.js';
import { decodeTnAuthList, TN_AUTH_LIST_OID, type TnEntry } from './tn-auth-list.js';
import { parsePemCertificates, type TrustStore } from './trust-store.js';

/** What verification needs from a validated x5u chain; cached per URL. */
export interface ValidatedCertificate {
  publicKey: KeyObject;
  tnAuthList: TnEntry[];
  /** JWT claim constraints of the leaf and its intermediates: every PASSporT it signs must meet all of them. */
  claimConstraints: ClaimConstraints[];
  subject: string;
  /** The tightest validity window over the whole path, epoch ms. */
  notBefore: number;
  notAfter: number;
}

const MAX_PATH = 4;

/**
 * Validates the PEM served at an x5u: leaf first, then intermediates, ending at
 * a trust anchor (RFC 8226 §8, ATIS-1000080 §6.3.4). Every signature on the path
 * is checked, CA certificates must be CAs, and the leaf must carry TNAuthList.
 * Dates are returned (and checked at `at`) so a cached chain can be re-checked
 * per call without re-running the signatures.
 */
export async function validateChain(pem: string, trust: TrustStore, at: number): Promise<ValidatedCertificate> {
  let certs: x509.X509Certificate[];
  try {
    certs = parsePemCertificates(pem);
  } catch (err) {
    throw new VerificationError('certificate_invalid', `x5u content is not PEM certificates: ${(err as Error).message}`);
  }
  const [leaf, ...rest] = certs;
  if (!leaf) throw new VerificationError('certificate_invalid', 'x5u holds no certificate');

  const ext = leaf.getExtension(TN_AUTH_LIST_OID);
  if (!ext) throw new VerificationError('certificate_invalid', 'certificate has no TNAuthList extension');
  let tnAuthList: TnEntry[];
  try {
    tnAuthList = decodeTnAuthList(new Uint8Array(ext.value));
  } catch (err) {
    throw new VerificationError('certificate_invalid', `TNAuthList does not decode: ${(err as Error).message}`);
  }

  let notBefore = leaf.notBefore.getTime();
  let notAfter = leaf.notAfter.getTime();
  const claimConstraints: ClaimConstraints[] = [];
  let current = leaf;
  for (let depth = 0; !trust.isAnchor(current); depth++) {
    claimConstraints.push(...constraintsOf(current));
    if (depth >= MAX_PATH) throw new VerificationError('certificate_untrusted', 'certificate path is too long');
    const issuer = await findIssuer(current, [...rest, ...trust.anchorsNamed(current.issuer)]);
    if (!issuer) throw new VerificationError('certificate_untrusted', `no trusted issuer for "${current.subject}" (issuer "${current.issuer}")`);
    if (!issuer.getExtension(x509.BasicConstraintsExtension)?.ca) throw new VerificationError('certificate_invalid', `"${issuer.subject}" is not a CA`);
    notBefore = Math.max(notBefore, issuer.notBefore.getTime());
    notAfter = Math.min(notAfter, issuer.notAfter.getTime());
    current = issuer;
  }
  const publicKey = createPublicKey({ key: Buffer.from(leaf.publicKey.rawData), format: 'der', type: 'spki' });
  const validated = { publicKey, tnAuthList, claimConstraints, subject: leaf.subject, notBefore, notAfter };
  checkValidity(validated, at);
  return validated;
}

function constraintsOf(cert: x509.X509Certificate): ClaimConstraints[] {
  const out: ClaimConstraints[] = [];
  for (const [oid, enhanced] of [[JWT_CLAIM_CONSTRAINTS_OID, false], [ENHANCED_JWT_CLAIM_CONSTRAINTS_OID, true]] as const) {
    const ext = cert.getExtension(oid);
    if (!ext) continue;
    try {
      out.push(decodeClaimConstraints(new Uint8Array(ext.value), enhanced));
    } catch (err) {
      throw new VerificationError('certificate_invalid', `"${cert.subject}" has JWT claim constraints that do not decode: ${(err as Error).message}`);
    }
  }
  return out;
}

async function findIssuer(cert: x509.X509Certificate, candidates: x509.X509Certificate[]): Promise<x509.X509Certificate | undefined> {
  for (const c of candidates) {
    if (c.subject === cert.issuer && (await cert.verify({ publicKey: c.publicKey, signatureOnly: true }))) return c;
  }
  return undefined;
}

export function checkValidity(c: Pick<ValidatedCertificate, 'notBefore' | 'notAfter'>, at: number): void {
  if (at < c.notBefore) throw new VerificationError('certificate_expired', 'a certificate on the path is not yet valid');
  if (at > c.notAfter) throw new VerificationError('certificate_expired', 'a certificate on the path has expired');
}
