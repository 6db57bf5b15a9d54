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
}

export const newTransportStats = (): TransportStats => ({
  received: 0,
  sent: 0,
  dropped: 0,
  badRequests: 0,
  sendErrors: 0,
  connectionsOpened: 0,
  connectionsClosed: 0,
});
