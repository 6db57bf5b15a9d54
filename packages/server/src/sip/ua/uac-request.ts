/**
 * Sending a request outside any dialog (RFC 3261 8.1): building it, running
 * the client transaction, and answering one 401/407 Digest challenge with
 * credentials (22.2, 22.3) — the retry reuses Call-ID and From tag with
 * CSeq + 1 (8.1.3.5).
 */
import { newBranch, newCallId, newTag } from '../ids.js';
import { getProxyAuthenticate, getWwwAuthenticate, SIP_VERSION, SipHeaders, type SipRequest, type SipResponse } from '../message.js';
import { createAuthorization } from '../digest.js';
import type { AuthHeader } from '../auth-header.js';
import { parseUri, serializeUri } from '../uri.js';
import type { Flow } from '../transport/flow.js';
import { applyBody, applyHeaders, type SipStack, type SendHandlers } from './stack.js';
import type { ClientTransaction } from '../transaction/client-transaction.js';
import { quote } from '../grammar.js';

export interface Party {
  uri: string;
  displayName?: string;
}

export interface Credentials {
  username: string;
  password: string;
}

export interface UacRequestSpec {
  method: string;
  target: string;
  from: Party;
  to?: Party;
  callId?: string;
  fromTag?: string;
  cseq?: number;
  headers?: Record<string, string | string[]>;
  body?: string | Buffer;
  contentType?: string;
  proxy?: string;
  /** Contact user part; a Contact is added for INVITE, REGISTER, SUBSCRIBE, REFER. */
  contactUser?: string;
  /** Extra Contact params, e.g. ";expires=600". */
  contactParams?: string;
}

export const formatParty = (p: Party): string => (p.displayName ? `${quote(p.displayName)} ` : '') + `<${p.uri}>`;

const NEEDS_CONTACT = new Set(['INVITE', 'REGISTER', 'SUBSCRIBE', 'REFER']);

export interface BuiltRequest {
  req: SipRequest;
  flow: Flow;
  callId: string;
  fromTag: string;
  cseq: number;
}

/** Builds a request (8.1.1): Request-URI, To, From (new tag), Call-ID, CSeq, Max-Forwards, Via placeholder, Contact. */
export function buildUacRequest(stack: SipStack, spec: UacRequestSpec): BuiltRequest {
  const uri = parseUri(spec.target);
  const flow = stack.flowFor(uri, { proxy: spec.proxy });
  const callId = spec.callId ?? newCallId();
  const fromTag = spec.fromTag ?? newTag();
  const cseq = spec.cseq ?? 1;
  const headers = new SipHeaders();
  headers.append('Via', '');
  headers.append('Max-Forwards', '70');
  headers.append('From', `${formatParty(spec.from)};tag=${fromTag}`);
  headers.append('To', formatParty(spec.to ?? { uri: serializeUri(uri) }));
  headers.append('Call-ID', callId);
  headers.append('CSeq', `${cseq} ${spec.method}`);
  if (NEEDS_CONTACT.has(spec.method)) {
    const contact = stack.contact(flow, spec.contactUser);
    headers.append('Contact', contact + (spec.contactParams ?? ''));
  }
  const req: SipRequest = { kind: 'request', method: spec.method, uri, version: SIP_VERSION, headers, body: Buffer.alloc(0) };
  applyHeaders(req, spec.headers);
  applyBody(req, spec.body, spec.contentType);
  return { req, flow, callId, fromTag, cseq };
}

/** Prefers a SHA-256 challenge over MD5 when several are offered (RFC 8760 2.4). */
function pickChallenge(challenges: AuthHeader[]): AuthHeader | undefined {
  const digest = challenges.filter((c) => c.scheme.toLowerCase() === 'digest');
  return digest.find((c) => (c.params.get('algorithm') ?? '').toUpperCase() === 'SHA-256') ?? digest.find((c) => !c.params.get('algorithm') || c.params.get('algorithm')?.toUpperCase() === 'MD5');
}

/**
 * Adds Authorization (401) or Proxy-Authorization (407) for `res` to `req`,
 * bumps CSeq and readies a new branch. False when no usable challenge.
 */
export function authorize(req: SipRequest, res: SipResponse, creds: Credentials): boolean {
  const proxy = res.status === 407;
  let challenge: AuthHeader | undefined;
  try {
    challenge = pickChallenge(proxy ? getProxyAuthenticate(res) : getWwwAuthenticate(res));
  } catch {
    return false;
  }
  if (!challenge) return false;
  let value: string;
  try {
    value = createAuthorization(challenge, { method: req.method, uri: serializeUri(req.uri), username: creds.username, password: creds.password, body: req.body });
  } catch {
    return false;
  }
  req.headers.set(proxy ? 'Proxy-Authorization' : 'Authorization', value);
  const [seq, method] = (req.headers.get('cseq') ?? '1 X').trim().split(/\s+/);
  req.headers.set('CSeq', `${Number(seq) + 1} ${method}`);
  req.headers.set('Via', `SIP/2.0/UDP placeholder;branch=${newBranch()}`);
  return true;
}

export interface SentRequest {
  response: SipResponse;
  /** CSeq number of the request that got `response`. */
  cseq: number;
}

/**
 * Sends a non-INVITE request and resolves with its final response; answers
 * one challenge when credentials are given. Rejects with SipFailure on timeout
 * or transport failure.
 */
export async function sendUacRequest(stack: SipStack, built: BuiltRequest, auth?: Credentials, handlers?: SendHandlers, onTx?: (tx: ClientTransaction) => void): Promise<SentRequest> {
  let cseq = built.cseq;
  let sent = stack.send(built.req, built.flow, handlers);
  onTx?.(sent.tx);
  let res = await sent.final;
  if ((res.status === 401 || res.status === 407) && auth && authorize(built.req, res, auth)) {
    cseq++;
    sent = stack.send(built.req, built.flow, handlers);
    onTx?.(sent.tx);
    res = await sent.final;
  }
  return { response: res, cseq };
}
