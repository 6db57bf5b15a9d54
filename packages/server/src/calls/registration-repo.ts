import { flowUri } from '../sip/ua/index.js';
import type { FlowSource } from '../sip/transport/flow.js';
import type { RegistrationBinding, RegistrationStore } from '../sip/ua/registration-store.js';
import { fromJson, toJson, type Store } from '../store/store.js';
import type { SipAccountRepo } from './sip-account-repo.js';

/** Where a registered phone can be reached: its Contact, through the connection it registered on. */
export interface ReachableContact {
  uri: string;
  /** For phones behind NAT or on TCP/TLS/WebSocket: send via the flow they registered over (RFC 5626). */
  proxy?: string;
  /** Registered over WebSocket (RFC 7118): a browser, offered WebRTC media (ICE, DTLS-SRTP). */
  webrtc?: boolean;
}

/** Whether a Contact URI names the address and port a flow came from. */
function sameHostPort(contact: string, source: FlowSource): boolean {
  const m = /^sips?:(?:[^@]*@)?(\[[^\]]+\]|[^:;>]+)(?::(\d+))?/i.exec(contact);
  if (!m) return false;
  const host = m[1].replace(/^\[|\]$/g, '');
  return host === source.address.replace(/^::ffff:/i, '') && Number(m[2] ?? 5060) === source.port;
}

/**
 * RFC 5626 5.3: an instance registered over several flows (one per reg-id, e.g. two
 * WebSocket servers) is one phone, so it rings once: on the flow it registered on last
 * (the latest expiry, its registrations using one interval). Bindings without an instance
 * are separate phones and all ring.
 */
export function oneFlowPerInstance(bindings: RegistrationBinding[]): RegistrationBinding[] {
  const latest = new Map<string, RegistrationBinding>();
  for (const b of bindings) {
    if (!b.instanceId) continue;
    const seen = latest.get(b.instanceId);
    if (!seen || b.expiresAt > seen.expiresAt) latest.set(b.instanceId, b);
  }
  return bindings.filter((b) => !b.instanceId || latest.get(b.instanceId) === b);
}

/** What dialling needs from registrations: where a SIP account can be reached now. */
export interface RegistrationLookup {
  contacts(username: string): Promise<string[]>;
  reachable(username: string): Promise<ReachableContact[]>;
}

/**
 * Registrar bindings in the store, so every process (and a restarted one) can
 * reach registered phones. Accounts are unique by user name across tenants, so the
 * AOR's user part is the key whatever host the phone put in its To header.
 */
export class RegistrationRepo implements RegistrationStore, RegistrationLookup {
  constructor(
    private readonly store: Store,
    private readonly accounts: SipAccountRepo,
  ) {}

  private key(aor: string): string {
    const m = /^sips?:([^@;>]+)@/i.exec(aor);
    return decodeURIComponent(m ? m[1] : aor);
  }

  async save(aor: string, b: RegistrationBinding): Promise<void> {
    const username = this.key(aor);
    const account = await this.accounts.credentials(username);
    const row = {
      aor: username,
      contact: b.contact,
      tenant_id: account?.tenantId ?? '',
      // The reg-id names the flow, so it is kept with the flow's address.
      source: toJson(b.regId === undefined ? b.source : { ...b.source, regId: b.regId }),
      call_id: b.callId,
      cseq: b.cseq,
      instance_id: b.instanceId ?? null,
      expires_at: b.expiresAt,
    };
    await this.store.db
      .insertInto('sip_registrations')
      .values(row)
      .onConflict((oc) => oc.columns(['aor', 'contact']).doUpdateSet({ source: row.source, call_id: row.call_id, cseq: row.cseq, instance_id: row.instance_id, expires_at: row.expires_at }))
      .execute();
  }

  async remove(aor: string, contact?: string): Promise<void> {
    let q = this.store.db.deleteFrom('sip_registrations').where('aor', '=', this.key(aor));
    if (contact !== undefined) q = q.where('contact', '=', contact);
    await q.execute();
  }

  async lookup(aor: string): Promise<RegistrationBinding[]> {
    const rows = await this.store.db
      .selectFrom('sip_registrations')
      .selectAll()
      .where('aor', '=', this.key(aor))
      .where('expires_at', '>', Date.now())
      .execute();
    return rows.map((r) => {
      const { regId, ...source } = fromJson<FlowSource & { regId?: number }>(r.source);
      return {
        contact: r.contact,
        expiresAt: Number(r.expires_at),
        source,
        callId: r.call_id,
        cseq: r.cseq,
        ...(r.instance_id ? { instanceId: r.instance_id } : {}),
        ...(regId !== undefined ? { regId } : {}),
      };
    });
  }

  async contacts(username: string): Promise<string[]> {
    return (await this.lookup(`sip:${username}@x`)).map((b) => b.contact);
  }

  async reachable(username: string): Promise<ReachableContact[]> {
    return oneFlowPerInstance(await this.lookup(`sip:${username}@x`)).map((b) => ({
      uri: b.contact,
      // The flow the REGISTER arrived on (RFC 5626 5.3; RFC 3581 received/rport for UDP): a phone behind
      // NAT names its private address or port in Contact, but is reached only where its packets come from.
      ...(b.source.transport === 'udp' && sameHostPort(b.contact, b.source) ? {} : { proxy: flowUri(b.source) }),
      ...(b.source.transport === 'ws' || /;transport=wss?\b/i.test(b.contact) ? { webrtc: true } : {}),
    }));
  }
}
