/** Opening the listening sockets of the stream transports (TCP, TLS, WebSocket). */
import https from 'node:https';
import net from 'node:net';
import tls from 'node:tls';
import { WebSocketServer } from 'ws';
import { SipTransportError } from './errors.js';

function listening<T extends net.Server>(server: T, host: string, port: number): Promise<T> {
  return new Promise((resolve, reject) => {
    server.once('error', (err) => reject(new SipTransportError('sip_bind_failed', `cannot listen on ${host}:${port}: ${err.message}`, err)));
    server.listen(port, host, () => resolve(server));
  });
}

export const listenTcp = (host: string, port: number, onSocket: (s: net.Socket) => void) =>
  listening(net.createServer({ noDelay: true }, onSocket), host, port);

export const listenTls = (host: string, port: number, creds: { key: string | Buffer; cert: string | Buffer }, onSocket: (s: tls.TLSSocket) => void) =>
  listening(tls.createServer({ key: creds.key, cert: creds.cert }, onSocket), host, port);

/**
 * A WebSocket server that only accepts the "sip" subprotocol (RFC 7118 4.1:
 * the handshake must negotiate it), with messages capped like stream frames.
 */
export function listenWs(host: string, port: number, maxPayload: number): Promise<WebSocketServer> {
  return new Promise((resolve, reject) => {
    const wss = new WebSocketServer({
      host,
      port,
      maxPayload,
      handleProtocols: (protocols) => (protocols.has('sip') ? 'sip' : false),
    });
    wss.once('error', (err) => reject(new SipTransportError('sip_bind_failed', `cannot listen on ws ${host}:${port}: ${err.message}`, err)));
    wss.once('listening', () => resolve(wss));
  });
}

/** The same over TLS (WSS, RFC 7118 4.1): what browsers on an https page must use. */
export async function listenWss(host: string, port: number, maxPayload: number, creds: { key: string | Buffer; cert: string | Buffer }): Promise<{ wss: WebSocketServer; server: https.Server }> {
  const server = await listening(https.createServer({ key: creds.key, cert: creds.cert }), host, port);
  const wss = new WebSocketServer({ server, maxPayload, handleProtocols: (protocols) => (protocols.has('sip') ? 'sip' : false) });
  return { wss, server };
}
