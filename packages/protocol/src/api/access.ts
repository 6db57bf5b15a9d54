import type { Role } from './core.js';

/** Access control: who may call where, which internal addresses the server may fetch, sign-in locks. */

/** How far a caller may dial: nowhere, inside the tenant, or out through its trunks. */
export type Reach = 'none' | 'internal' | 'external';

export interface OutboundPolicy {
  roles: Record<Role, Reach>;
  /** Exceptions per person (user id → reach). */
  users: Record<string, Reach>;
  /** Flows and callbacks. */
  flows: Reach;
  allowSipUris: boolean;
  /** May dial strings with * or # (carrier service codes such as *67) go to the trunk. */
  allowServiceCodes: boolean;
  /** When not empty, external numbers must start with one of these. */
  allowedPrefixes: string[];
  homeCountryCode: string;
  blockInternational: boolean;
  blockPremium: boolean;
  premiumPrefixes: string[];
  limits: { callsPerMinute: number; concurrentCalls: number };
}

/** Internal addresses (CIDRs) this tenant's webhooks, flow verbs and audio URLs may reach; the public internet needs no entry. */
export interface EgressPolicy {
  allow: string[];
}

/** Failed sign-ins of one account from one address. */
export interface LoginLock {
  email: string;
  address: string;
  failures: number;
  lastFailureAt: number;
  /** 0: counted, not blocked (yet). */
  blockedUntil: number;
}
