/**
 * A flow is one path to a peer over which SIP messages travel (RFC 5626 3.1
 * vocabulary): a UDP 5-tuple, or one TCP/TLS/WebSocket connection. Responses go
 * back over the flow the request arrived on (RFC 3261 18.2.2) and in-dialog
 * requests may reuse it (RFC 3261 18.1.1, RFC 7118 5.2), so the transport
 * layer hands flows, not sockets, to the layers above.
 */
export type TransportKind = 'udp' | 'tcp' | 'tls' | 'ws';

export interface Flow {
  readonly kind: TransportKind;
  /** Reliable transports get no retransmissions (RFC 3261 17.1.1.2, 17.1.2.2). */
  readonly reliable: boolean;
  readonly remoteAddress: string;
  readonly remotePort: number;
  /** True once a connection is gone; a UDP flow never closes. */
  readonly closed: boolean;
  /** Sends one serialized message; never throws (failures are logged and counted). */
  send(data: Buffer): void;
}

/** Where a message came from, as the UA API exposes it. */
export interface FlowSource {
  transport: TransportKind;
  address: string;
  port: number;
}

/**
 * A URI that routes to a flow (use it as `proxy` to reach a UA behind NAT or
 * on WebSocket through the connection it registered on, RFC 7118 5.3).
 */
export const flowUri = (s: FlowSource): string => `sip:${s.address.includes(':') ? `[${s.address}]` : s.address}:${s.port}${s.transport === 'udp' ? '' : `;transport=${s.transport}`}`;

export const sourceOf = (flow: Flow): FlowSource => ({ transport: flow.kind, address: flow.remoteAddress, port: flow.remotePort });

/** Default ports (RFC 3261 19.1.2; RFC 7118 uses the HTTP ports for WS). */
export const DEFAULT_PORT: Record<TransportKind, number> = { udp: 5060, tcp: 5060, tls: 5061, ws: 80 };

export const isReliable = (kind: TransportKind): boolean => kind !== 'udp';
