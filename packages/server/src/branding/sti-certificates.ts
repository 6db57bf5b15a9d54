import type { KeyObject } from 'node:crypto';
import { x509 } from './x509.js';
import type { SecretBox } from '../core/secret-box.js';
import { newId } from '../core/ids.js';
import { fromJson, toJson, type Store } from '../store/store.js';
import type { Brand } from './brand-repo.js';
import type { BrandingCertsTable } from './branding-tables.js';
import { createRoot, issueCertificate, signingKeyObject, type IssuedCertificate } from './sti-ca.js';
import { tnEntriesFor, type TnEntry } from './tn-auth-list.js';
import type { TrustStore } from './trust-store.js';

export interface DelegateCertificate {
  id: string;
  brandId: string;
  tnAuthList: TnEntry[];
  notAfter: number;
  signingKey: KeyObject;
}

export interface CertificateSummary {
  id: string;
  brandId: string | null;
  kind: BrandingCertsTable['kind'];
  subject: string;
  tnAuthList: TnEntry[] | null;
  notBefore: number;
  notAfter: number;
}

const ROOT_ID = 'sti-root';
const INTERMEDIATE_ID = 'sti-intermediate';
/** Re-issue before expiry so a call never signs with a certificate about to lapse mid-verification. */
const RENEW_BEFORE_MS = 24 * 3600_000;

/**
 * The local STI-CA's certificates, persisted with their private keys sealed
 * (secretBox, bound to the row id). One root and intermediate per install
 * (fixed ids, so concurrent processes converge on the same CA), and one RFC 9060
 * delegate certificate per brand and number set, issued on first use.
 */
export class StiCertificates {
  private intermediate?: IssuedCertificate;
  private readonly delegates = new Map<string, DelegateCertificate>();
  private readonly issuing = new Map<string, Promise<DelegateCertificate>>();

  constructor(
    private readonly store: Store,
    private readonly secretBox: SecretBox,
    private readonly trust: TrustStore,
  ) {}

  async init(): Promise<void> {
    const root = await this.ensureCa(ROOT_ID, 'root', () => createRoot('CN=callsight local STI-CA root,O=callsight'));
    this.trust.add(root.cert);
    this.intermediate = await this.ensureCa(INTERMEDIATE_ID, 'intermediate', () =>
      issueCertificate({ subject: 'CN=callsight local STI-CA intermediate,O=callsight', issuer: root, ca: true }),
    );
  }

  /** The PEM chain served at the certificate's x5u URL. */
  async chainPem(id: string): Promise<string | undefined> {
    const r = await this.store.db.selectFrom('branding_certs').select('chain_pem').where('id', '=', id).executeTakeFirst();
    return r?.chain_pem;
  }

  async list(tenantId: string): Promise<CertificateSummary[]> {
    const rows = await this.store.db.selectFrom('branding_certs').selectAll().where('tenant_id', '=', tenantId).orderBy('id', 'desc').limit(200).execute();
    return rows.map((r) => ({
      id: r.id,
      brandId: r.brand_id,
      kind: r.kind,
      subject: r.subject,
      tnAuthList: fromJson<TnEntry[] | null>(r.tn_auth),
      notBefore: Number(r.not_before),
      notAfter: Number(r.not_after),
    }));
  }

  /** A valid delegate certificate covering exactly the brand's numbers, issuing one if needed. */
  async delegateFor(brand: Brand): Promise<DelegateCertificate> {
    const key = `${brand.id}:${[...brand.numbers].sort().join(',')}`;
    const ready = this.delegates.get(key);
    if (ready && ready.notAfter - RENEW_BEFORE_MS > Date.now()) return ready;
    // One issuance per brand and number set even when a burst of calls asks at once.
    let pending = this.issuing.get(key);
    if (!pending) {
      pending = this.loadOrIssueDelegate(brand).finally(() => this.issuing.delete(key));
      this.issuing.set(key, pending);
    }
    const cert = await pending;
    this.delegates.set(key, cert);
    return cert;
  }

  private async loadOrIssueDelegate(brand: Brand): Promise<DelegateCertificate> {
    const tnAuthList = tnEntriesFor(brand.numbers);
    const wanted = toJson(tnAuthList);
    const existing = await this.store.db
      .selectFrom('branding_certs')
      .selectAll()
      .where('tenant_id', '=', brand.tenantId)
      .where('brand_id', '=', brand.id)
      .where('kind', '=', 'delegate')
      .where('not_after', '>', Date.now() + RENEW_BEFORE_MS)
      .orderBy('not_after', 'desc')
      .execute();
    const row = existing.find((r) => r.tn_auth === wanted);
    if (row) return this.toDelegate(row, tnAuthList);

    if (!this.intermediate) throw new Error('StiCertificates.init() was not awaited');
    const issued = await issueCertificate({ subject: `CN=${cnSafe(brand.name)} delegate,O=callsight`, issuer: this.intermediate, ca: false, tnAuthList });
    const created = this.toRow(newId('stc'), 'delegate', issued, this.intermediate, { tenantId: brand.tenantId, brandId: brand.id, tnAuthList });
    await this.store.db.insertInto('branding_certs').values(created).execute();
    return this.toDelegate(created, tnAuthList);
  }

  private toDelegate(r: BrandingCertsTable, tnAuthList: TnEntry[]): DelegateCertificate {
    return { id: r.id, brandId: r.brand_id!, tnAuthList, notAfter: Number(r.not_after), signingKey: signingKeyObject(this.secretBox.open(r.sealed_key, r.id)) };
  }

  private async ensureCa(id: string, kind: 'root' | 'intermediate', make: () => Promise<IssuedCertificate>): Promise<IssuedCertificate> {
    const load = async () => {
      const r = await this.store.db.selectFrom('branding_certs').selectAll().where('id', '=', id).executeTakeFirst();
      if (!r) return undefined;
      const first = x509.PemConverter.decode(r.chain_pem)[0]!;
      return { cert: new x509.X509Certificate(first), privateKeyPem: this.secretBox.open(r.sealed_key, r.id) };
    };
    const found = await load();
    if (found) return found;
    const issued = await make();
    try {
      await this.store.db.insertInto('branding_certs').values(this.toRow(id, kind, issued)).execute();
    } catch (err) {
      // Another process created it first: use theirs, so every process signs under one CA.
      const theirs = await load();
      if (theirs) return theirs;
      throw err;
    }
    return issued;
  }

  private toRow(
    id: string,
    kind: BrandingCertsTable['kind'],
    issued: IssuedCertificate,
    issuer?: IssuedCertificate,
    owner?: { tenantId: string; brandId: string; tnAuthList: TnEntry[] },
  ): BrandingCertsTable {
    const chain = [issued.cert, ...(issuer ? [issuer.cert] : [])];
    return {
      id,
      tenant_id: owner?.tenantId ?? null,
      brand_id: owner?.brandId ?? null,
      kind,
      subject: issued.cert.subject,
      chain_pem: chain.map((c) => c.toString('pem')).join('\n') + '\n',
      sealed_key: this.secretBox.seal(issued.privateKeyPem, id),
      tn_auth: owner ? toJson(owner.tnAuthList) : null,
      not_before: issued.cert.notBefore.getTime(),
      not_after: issued.cert.notAfter.getTime(),
      created_at: Date.now(),
    };
  }
}

const cnSafe = (s: string) => s.replace(/[,=+<>#;"\\]/g, ' ').slice(0, 48);
