import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRoot, issueCertificate, type IssuedCertificate } from '../../src/branding/sti-ca.js';
import type { TnEntry } from '../../src/branding/tn-auth-list.js';

/** A local STI PKI: root → intermediate → delegate, plus a stranger root nobody trusts. */
export async function makePki(tnAuthList: TnEntry[] = [{ range: { start: '15550100', count: 10 } }]) {
  const root = await createRoot('CN=test root');
  const intermediate = await issueCertificate({ subject: 'CN=test intermediate', issuer: root, ca: true });
  const leaf = await issueCertificate({ subject: 'CN=test delegate', issuer: intermediate, ca: false, tnAuthList });
  const chain = (c: IssuedCertificate, ...up: IssuedCertificate[]) => [c, ...up].map((x) => x.cert.toString('pem')).join('\n');
  return { root, intermediate, leaf, chain };
}

export type Route = (req: http.IncomingMessage, res: http.ServerResponse) => void;

/** A 127.0.0.1 HTTP server whose paths the test defines: good content, slow, oversized, looping. */
export async function startContentServer(routes: Record<string, Route>) {
  const server = http.createServer((req, res) => {
    const route = routes[req.url ?? ''];
    if (route) route(req, res);
    else res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    routes,
    close: () => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))),
  };
}

export const serve = (body: string | Buffer, type = 'application/octet-stream'): Route => (_req, res) => res.writeHead(200, { 'content-type': type }).end(body);

/** A 1x1 transparent PNG. */
export const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
