import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A local HTTP server that records what it was asked (method and path), for fetches that must or must not arrive. */
export interface Recorder {
  server: Server;
  base: string;
  hits: string[];
}

export async function listenRecorder(host: string, handle: (req: IncomingMessage, res: ServerResponse) => void): Promise<Recorder> {
  const hits: string[] = [];
  const server = createServer((req, res) => {
    hits.push(`${req.method} ${req.url}`);
    req.resume();
    handle(req, res);
  });
  await new Promise<void>((r) => server.listen(0, host, r));
  return { server, base: `http://${host}:${(server.address() as AddressInfo).port}`, hits };
}
