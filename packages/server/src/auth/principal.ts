import type { Role } from '../store/schema.js';

/** Who is making a request: a logged-in user (cookie) or a server (API key). */
export interface Principal {
  tenantId: string;
  role: Role;
  userId: string | null;
  apiKeyId: string | null;
  /** A cookie session's reference (see `sessionRef`): logging out closes the sockets it opened. */
  sessionRef?: string;
}

export const STAFF_ROLES: readonly Role[] = ['admin', 'supervisor', 'agent'];
export const isStaff = (p: Principal) => STAFF_ROLES.includes(p.role);

/** Role rank for "at least" checks: admin > supervisor > agent > customer. */
const RANK: Record<Role, number> = { customer: 0, agent: 1, supervisor: 2, admin: 3 };
export const hasRole = (p: Principal, min: Role) => RANK[p.role] >= RANK[min];
