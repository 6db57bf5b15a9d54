/** Transaction keys (RFC 3261 17.1.3 for clients, 17.2.3 for servers). */
import { getCallId, getCSeq, getFrom, getVias, type SipRequest, type SipResponse } from '../message.js';

/**
 * Server side: branch + sent-by + method, with ACK matching its INVITE
 * (17.2.3). Requests from RFC 2543 elements (no magic cookie) fall back to
 * Call-ID, CSeq number, From tag and top Via (17.2.3 last paragraph, simplified).
 */
export function serverKey(req: SipRequest, method = req.method): string {
  const via = getVias(req)[0];
  const m = method === 'ACK' ? 'INVITE' : method;
  const sentBy = `${via.host}:${via.port ?? ''}`;
  if (via.isRfc3261Branch) return `${via.branch}|${sentBy}|${m}`;
  return `2543|${getCallId(req)}|${getCSeq(req)?.seq}|${getFrom(req)?.tag ?? ''}|${sentBy}|${m}`;
}

/** Client side: the top Via branch we generated + the CSeq method (17.1.3). */
export function clientKey(msg: SipRequest | SipResponse): string | undefined {
  const branch = getVias(msg)[0]?.branch;
  const method = getCSeq(msg)?.method;
  return branch && method ? `${branch}|${method}` : undefined;
}
