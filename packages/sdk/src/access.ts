import type { EgressPolicy, LoginLock, OutboundPolicy } from '@callsight/protocol';
import type { Send } from './request.js';

/** Access control (admins): who may call where, which internal addresses the server may fetch, sign-in locks. */
export function accessMethods(send: Send) {
  return {
    outboundPolicy: () => send<OutboundPolicy>('GET', '/api/outbound-policy'),
    saveOutboundPolicy: (policy: OutboundPolicy) => send<OutboundPolicy>('PUT', '/api/outbound-policy', { body: policy }),
    egressPolicy: () => send<EgressPolicy>('GET', '/api/egress-policy'),
    /** Replaces the egress allow-list (CIDRs); loopback, private and link-local addresses are refused unless listed. */
    saveEgressPolicy: (allow: string[]) => send<EgressPolicy>('PUT', '/api/egress-policy', { body: { allow } }),
    loginLocks: () => send<{ items: LoginLock[] }>('GET', '/api/login-locks'),
    clearLoginLock: (email: string, address: string) => send<{ cleared: number }>('POST', '/api/login-locks/clear', { body: { email, address } }),
  };
}
