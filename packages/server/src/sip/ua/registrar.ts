/**
 * Registrar logic for REGISTER (RFC 3261 10.3) with Digest authentication
 * (22.4; SHA-256 and MD5 challenges per RFC 8760, stateless nonces, stale=true
 * retries), expiry bounds (423 Interval Too Brief, 10.3 step 7), "*" removal,
 * Call-ID/CSeq ordering, and a brute-force brake answering 403 to sources that
 * keep failing. Transport-free: `process` maps a request to a response spec.
 */
import { parseDigestCredentials, verifyDigest, createChallenge, type DigestCredentials } from '../digest.js';
import { getAuthorization, getCallId, getContacts, getCSeq, getExpires, getTo, type SipRequest } from '../message.js';
import type { NameAddr } from '../name-addr.js';
import { serializeUri, type Uri } from '../uri.js';
import type { FlowSource } from '../transport/flow.js';
import { AuthBrake, type AuthBrakeOptions } from './auth-brake.js';
import type { IncomingRequest } from './incoming-request.js';
import type { RegistrationBinding, RegistrationStore } from './registration-store.js';

export type CredentialsLookup = (realm: string, username: string) => Promise<{ password: string } | null>;

export interface RegistrarOptions {
  realm: string;
  /** HMAC secret for stateless nonces. */
  secret: string | Buffer;
  credentials: CredentialsLookup;
  store: RegistrationStore;
  minExpires?: number;
  maxExpires?: number;
  defaultExpires?: number;
  /** Challenges offered, in order (default SHA-256 then MD5, RFC 8760 2.4). */
  algorithms?: Array<'SHA-256' | 'MD5'>;
  nonceMaxAgeSeconds?: number;
  brake?: AuthBrakeOptions;
  now?: () => number;
}

export interface RegistrarResult {
  status: number;
  reason?: string;
  headers?: Record<string, string | string[]>;
  /** Address of record, once authenticated. */
  aor?: string;
  /** Bindings after the request (on 200). */
  bindings?: RegistrationBinding[];
}

export interface RegistrarStats {
  registered: number;
  challenged: number;
  authFailures: number;
  /** Requests refused by the brute-force brake. */
  blocked: number;
}

/** AOR canonical form: scheme:user@host, lower-case host, no parameters (10.3 step 5). */
export function canonicalAor(uri: Uri): string | undefined {
  if (uri.kind !== 'sip') return undefined;
  return `${uri.scheme}:${uri.user ? `${uri.user}@` : ''}${uri.host.toLowerCase()}`;
}

const bareContact = (c: NameAddr): string => serializeUri(c.uri);

export class Registrar {
  readonly stats: RegistrarStats = { registered: 0, challenged: 0, authFailures: 0, blocked: 0 };
  private readonly brake: AuthBrake;
  private readonly now: () => number;
  private readonly min: number;
  private readonly max: number;
  private readonly def: number;

  constructor(private readonly opts: RegistrarOptions) {
    this.now = opts.now ?? Date.now;
    this.brake = new AuthBrake({ now: this.now, ...opts.brake });
    this.min = opts.minExpires ?? 60;
    this.max = opts.maxExpires ?? 3600;
    this.def = Math.min(opts.defaultExpires ?? 3600, this.max);
  }

  /** Processes and answers an incoming REGISTER. */
  async handle(req: IncomingRequest): Promise<RegistrarResult> {
    const result = await this.process(req.message, req.source);
    req.respond(result.status, { reason: result.reason, headers: result.headers });
    return result;
  }

  private challenge(stale = false): RegistrarResult {
    this.stats.challenged++;
    const algorithms = this.opts.algorithms ?? ['SHA-256', 'MD5'];
    const now = this.now();
    return {
      status: 401,
      headers: {
        'WWW-Authenticate': algorithms.map((algorithm) => createChallenge({ secret: this.opts.secret, realm: this.opts.realm, algorithm, stale, now })),
      },
    };
  }

  private failed(sourceKey: string): RegistrarResult {
    this.stats.authFailures++;
    this.brake.fail(sourceKey);
    return this.challenge();
  }

  async process(req: SipRequest, source: FlowSource): Promise<RegistrarResult> {
    if (req.method !== 'REGISTER') return { status: 405, headers: { Allow: 'REGISTER' } };
    const sourceKey = source.address;
    if (this.brake.isBlocked(sourceKey)) {
      this.stats.blocked++;
      return { status: 403, reason: 'Forbidden (too many failed attempts)' };
    }
    const to = getTo(req);
    const aor = to ? canonicalAor(to.uri) : undefined;
    if (!aor) return { status: 404, reason: 'Not Found (bad AOR)' };

    // ---- authentication (22.4) ----
    let creds: DigestCredentials | undefined;
    try {
      creds = getAuthorization(req)
        .map(parseDigestCredentials)
        .find((c) => c?.realm === this.opts.realm);
    } catch {
      creds = undefined;
    }
    if (!creds) return this.challenge();
    const user = await this.opts.credentials(this.opts.realm, creds.username);
    if (!user) return this.failed(sourceKey);
    const verdict = verifyDigest(creds, {
      secret: this.opts.secret,
      realm: this.opts.realm,
      method: req.method,
      secretFor: { password: user.password },
      maxNonceAgeSeconds: this.opts.nonceMaxAgeSeconds ?? 300,
      now: this.now(),
    });
    if (!verdict.ok) {
      if (verdict.reason === 'stale-nonce') return this.challenge(true);
      if (verdict.reason === 'forged-nonce' || verdict.reason === 'realm') return this.challenge();
      return this.failed(sourceKey);
    }
    // 10.3 step 6: the authenticated user may only touch its own AOR.
    if (to?.uri.kind === 'sip' && to.uri.user !== undefined && to.uri.user !== creds.username) {
      return { status: 403, reason: 'Forbidden (AOR does not belong to user)' };
    }
    this.brake.succeed(sourceKey);

    // ---- bindings (10.3 steps 7-8) ----
    const callId = getCallId(req) ?? '';
    const cseq = getCSeq(req)?.seq ?? 0;
    let contacts: NameAddr[] | '*';
    let headerExpires: number | undefined;
    try {
      contacts = getContacts(req);
      headerExpires = getExpires(req);
    } catch {
      return { status: 400, reason: 'Bad Contact or Expires' };
    }
    const existing = await this.opts.store.lookup(aor);
    const outOfOrder = (b: RegistrationBinding | undefined) => b !== undefined && b.callId === callId && cseq <= b.cseq;
    if (contacts === '*') {
      if (headerExpires !== 0) return { status: 400, reason: 'Wildcard Contact requires Expires: 0' };
      if (existing.some(outOfOrder)) return { status: 500, reason: 'Out of Order CSeq', headers: { 'Retry-After': '1' } };
      await this.opts.store.remove(aor);
      return this.ok(aor, []);
    }
    // Validate every contact before changing anything (the request is atomic, 10.3 step 7).
    const changes: Array<{ contact: string; expires: number; instanceId?: string; regId?: number }> = [];
    for (const c of contacts) {
      const expires = c.expires ?? headerExpires ?? this.def;
      if (expires !== 0 && expires < this.min) return { status: 423, reason: 'Interval Too Brief', headers: { 'Min-Expires': String(this.min) } };
      const contact = bareContact(c);
      if (outOfOrder(existing.find((b) => b.contact === contact))) return { status: 500, reason: 'Out of Order CSeq', headers: { 'Retry-After': '1' } };
      const instance = c.params.get('+sip.instance')?.replace(/^"|"$/g, '') || undefined;
      const regIdParam = c.params.get('reg-id');
      const regId = instance && regIdParam && /^[1-9]\d{0,9}$/.test(regIdParam) && Number(regIdParam) < 2 ** 31 ? Number(regIdParam) : undefined;
      if (regIdParam !== undefined && instance && regId === undefined) return { status: 400, reason: 'Bad reg-id' };
      changes.push({ contact, expires: Math.min(expires, this.max), instanceId: instance, regId });
    }
    const now = this.now();
    for (const ch of changes) {
      // RFC 5626 6 (and RFC 5627 for no reg-id): a binding is the instance's flow, whatever its
      // Contact says; a UA that reconnects (a browser phone's new WebSocket, a new contact user)
      // replaces its old binding instead of leaving one that rings a dead flow until it expires.
      if (ch.instanceId) {
        for (const b of existing) if (b.contact !== ch.contact && b.instanceId === ch.instanceId && b.regId === ch.regId) await this.opts.store.remove(aor, b.contact);
      }
      if (ch.expires === 0) await this.opts.store.remove(aor, ch.contact);
      else await this.opts.store.save(aor, { contact: ch.contact, expiresAt: now + ch.expires * 1000, source, instanceId: ch.instanceId, regId: ch.regId, callId, cseq });
    }
    if (changes.length > 0) this.stats.registered++;
    return this.ok(aor, await this.opts.store.lookup(aor));
  }

  /** 200 listing every current binding with its remaining lifetime (10.3 step 8). */
  private ok(aor: string, bindings: RegistrationBinding[]): RegistrarResult {
    const now = this.now();
    const contact = bindings.map((b) => `<${b.contact}>;expires=${Math.max(0, Math.round((b.expiresAt - now) / 1000))}`);
    const headers: Record<string, string | string[]> = { Date: new Date(now).toUTCString() };
    if (contact.length > 0) headers.Contact = contact;
    return { status: 200, headers, aor, bindings };
  }
}
