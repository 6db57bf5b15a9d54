/**
 * Where to send a request (RFC 3263 simplified: no NAPTR/SRV lookups; the
 * host is used as is and the OS resolver handles names). The transport comes
 * from the URI's transport parameter, sips implies TLS (RFC 3261 26.2.2).
 */
import { parseUri, type Uri } from '../uri.js';
import { DEFAULT_PORT, type TransportKind } from './flow.js';
import { SipTransportError } from './errors.js';

export interface Destination {
  kind: TransportKind;
  host: string;
  port: number;
}

const KINDS: Record<string, TransportKind> = { udp: 'udp', tcp: 'tcp', tls: 'tls', ws: 'ws', wss: 'ws' };

export function destinationOf(target: Uri | string): Destination {
  const uri = typeof target === 'string' ? parseUri(target) : target;
  if (uri.kind !== 'sip') throw new SipTransportError('sip_unroutable', `cannot route to a ${uri.kind === 'tel' ? 'tel' : uri.scheme} URI`);
  // maddr overrides the host (RFC 3261 19.1.1), used by some trunks.
  const host = (uri.params.get('maddr') ?? uri.host).replace(/^\[(.*)\]$/, '$1');
  const param = uri.params.get('transport')?.toLowerCase();
  let kind: TransportKind = uri.scheme === 'sips' ? 'tls' : 'udp';
  if (param) {
    const k = KINDS[param];
    if (!k) throw new SipTransportError('sip_unsupported_transport', `unsupported transport ${param}`);
    if (uri.scheme !== 'sips' || k !== 'udp') kind = k;
  }
  return { kind, host, port: uri.port ?? DEFAULT_PORT[kind] };
}
