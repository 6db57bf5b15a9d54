/** The ACK a client INVITE transaction sends for a non-2xx final response (RFC 3261 17.1.1.3). */
import { SIP_VERSION, SipHeaders, type SipRequest, type SipResponse } from '../message.js';

export function buildNon2xxAck(invite: SipRequest, response: SipResponse): SipRequest {
  const headers = new SipHeaders();
  // Same Request-URI, Call-ID, From, top Via (same branch) and Route as the INVITE;
  // To from the response (it carries the UAS tag); CSeq number with method ACK.
  const via = invite.headers.get('via');
  if (via !== undefined) headers.append('Via', via);
  headers.append('Max-Forwards', '70');
  for (const name of ['route', 'from', 'call-id']) for (const v of invite.headers.getAll(name)) headers.append(name, v);
  headers.append('To', response.headers.get('to') ?? invite.headers.get('to') ?? '');
  const seq = (invite.headers.get('cseq') ?? '1').trim().split(/\s+/)[0];
  headers.append('CSeq', `${seq} ACK`);
  return { kind: 'request', method: 'ACK', uri: invite.uri, version: SIP_VERSION, headers, body: Buffer.alloc(0) };
}
