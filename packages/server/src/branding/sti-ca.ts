import { createPrivateKey, KeyObject, webcrypto } from 'node:crypto';
import { x509 } from './x509.js';
import { encodeClaimConstraints, ENHANCED_JWT_CLAIM_CONSTRAINTS_OID, type ClaimConstraints } from './jwt-claim-constraints.js';
import { encodeTnAuthList, TN_AUTH_LIST_OID, type TnEntry } from './tn-auth-list.js';


/**
 * A local STI certification authority (ATIS-1000080 profile, simplified): a
 * self-signed root, an intermediate, and end-entity certificates carrying the
 * TNAuthList extension — SPC certificates for a provider, RFC 9060 delegate
 * certificates listing the numbers a brand may call from. Real deployments
 * load their STI-CA roots as extra trust anchors; this CA makes tests and
 * demos work with no outside party.
 */
const EC = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const SIGNING = { name: 'ECDSA', hash: 'SHA-256' } as const;
/** The SHAKEN certificate policy (ATIS-1000080 §5.3.1). */
const SHAKEN_POLICY_OID = '2.16.840.1.114569.1.1.1';
const DAY = 86_400_000;

export interface IssuedCertificate {
  cert: x509.X509Certificate;
  /** PKCS#8 PEM of the private key; sealed before it is stored. */
  privateKeyPem: string;
}

async function newKeyPair(): Promise<CryptoKeyPair> {
  return (await webcrypto.subtle.generateKey(EC, true, ['sign', 'verify'])) as CryptoKeyPair;
}

async function pkcs8Pem(key: CryptoKey): Promise<string> {
  const der = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', key));
  return createPrivateKey({ key: der, format: 'der', type: 'pkcs8' }).export({ format: 'pem', type: 'pkcs8' }).toString();
}

async function importSigningKey(pem: string): Promise<CryptoKey> {
  const der = createPrivateKey(pem).export({ format: 'der', type: 'pkcs8' });
  return webcrypto.subtle.importKey('pkcs8', der, EC, false, ['sign']);
}

export async function createRoot(name: string, now = new Date(), years = 20): Promise<IssuedCertificate> {
  const keys = await newKeyPair();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    name,
    keys,
    signingAlgorithm: SIGNING,
    notBefore: new Date(now.getTime() - DAY),
    notAfter: new Date(now.getTime() + years * 365 * DAY),
    extensions: [
      new x509.BasicConstraintsExtension(true, 1, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { cert, privateKeyPem: await pkcs8Pem(keys.privateKey) };
}

export interface IssueParams {
  subject: string;
  issuer: IssuedCertificate;
  /** CA certificates sign other certificates; end-entity ones sign PASSporTs. */
  ca: boolean;
  tnAuthList?: TnEntry[];
  /** RFC 9118 EnhancedJWTClaimConstraints: what PASSporTs signed with this certificate may assert. */
  claimConstraints?: Partial<ClaimConstraints>;
  notBefore?: Date;
  notAfter?: Date;
}

export async function issueCertificate(p: IssueParams): Promise<IssuedCertificate> {
  const keys = await newKeyPair();
  const now = Date.now();
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(p.ca, p.ca ? 0 : undefined, true),
    new x509.KeyUsagesExtension(p.ca ? x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign : x509.KeyUsageFlags.digitalSignature, true),
    await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    await x509.AuthorityKeyIdentifierExtension.create(p.issuer.cert.publicKey),
    new x509.CertificatePolicyExtension([SHAKEN_POLICY_OID]),
  ];
  if (p.tnAuthList) extensions.push(new x509.Extension(TN_AUTH_LIST_OID, false, new Uint8Array(encodeTnAuthList(p.tnAuthList))));
  if (p.claimConstraints) extensions.push(new x509.Extension(ENHANCED_JWT_CLAIM_CONSTRAINTS_OID, false, new Uint8Array(encodeClaimConstraints(p.claimConstraints))));
  const cert = await x509.X509CertificateGenerator.create({
    subject: p.subject,
    issuer: p.issuer.cert.subject,
    publicKey: keys.publicKey,
    signingKey: await importSigningKey(p.issuer.privateKeyPem),
    signingAlgorithm: SIGNING,
    notBefore: p.notBefore ?? new Date(now - 60_000),
    notAfter: p.notAfter ?? new Date(now + (p.ca ? 10 * 365 : 90) * DAY),
    extensions,
  });
  return { cert, privateKeyPem: await pkcs8Pem(keys.privateKey) };
}

/** The node:crypto key PASSporTs are signed with (synchronous signing, see jws.ts). */
export const signingKeyObject = (privateKeyPem: string): KeyObject => createPrivateKey(privateKeyPem);
