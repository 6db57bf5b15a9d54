import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { x509 } from './x509.js';

/**
 * The STI-CA roots a verification service trusts. The local CA's root is always
 * in it; `stiTrustDir` adds PEM files (one or many certificates each) so real
 * STI-PA approved CA roots can be loaded without code changes.
 */
export class TrustStore {
  private readonly bySubject = new Map<string, x509.X509Certificate[]>();
  private readonly raw = new Set<string>();

  add(cert: x509.X509Certificate): void {
    const key = Buffer.from(cert.rawData).toString('base64');
    if (this.raw.has(key)) return;
    this.raw.add(key);
    const list = this.bySubject.get(cert.subject) ?? [];
    list.push(cert);
    this.bySubject.set(cert.subject, list);
  }

  addPem(pem: string): number {
    const certs = parsePemCertificates(pem);
    certs.forEach((c) => this.add(c));
    return certs.length;
  }

  /** Loads every *.pem / *.crt file of a directory; returns how many certificates were added. */
  addDirectory(dir: string): number {
    let n = 0;
    for (const file of readdirSync(dir).sort()) {
      if (/\.(pem|crt)$/i.test(file)) n += this.addPem(readFileSync(path.join(dir, file), 'utf8'));
    }
    return n;
  }

  isAnchor(cert: x509.X509Certificate): boolean {
    return this.raw.has(Buffer.from(cert.rawData).toString('base64'));
  }

  anchorsNamed(subject: string): readonly x509.X509Certificate[] {
    return this.bySubject.get(subject) ?? [];
  }

  get size(): number {
    return this.raw.size;
  }
}

export function parsePemCertificates(pem: string): x509.X509Certificate[] {
  return x509.PemConverter.decode(pem).map((der) => new x509.X509Certificate(der));
}
