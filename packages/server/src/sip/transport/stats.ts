/** Counters kept by the transport layer; exported to metrics by the caller. */
export interface TransportStats {
  received: number;
  sent: number;
  /** Messages discarded: unparseable, invalid responses, oversize stream frames. */
  dropped: number;
  /** 400 responses sent for malformed but answerable requests (RFC 3261 8.2, 18.3). */
  badRequests: number;
  /** Send failures (socket errors, unreachable flows). */
  sendErrors: number;
  connectionsOpened: number;
  connectionsClosed: number;
  /** Inbound connections refused at the per-address or total cap. */
  connectionsRefused: number;
  /** Connections closed because a message did not complete in time (slowloris). */
  slowMessages: number;
  /** 513 Message Too Large answers sent before closing a connection or dropping a datagram. */
  tooLarge: number;
}

export const newTransportStats = (): TransportStats => ({
  received: 0,
  sent: 0,
  dropped: 0,
  badRequests: 0,
  sendErrors: 0,
  connectionsOpened: 0,
  connectionsClosed: 0,
  connectionsRefused: 0,
  slowMessages: 0,
  tooLarge: 0,
});
