import { HOME_APP_PATH, type Role } from '@callsight/sdk';

const RANK: Record<Role, number> = { customer: 0, agent: 1, supervisor: 2, admin: 3 };

/** Same order as the server: admin > supervisor > agent > customer. */
export const hasRole = (role: Role, min: Role) => RANK[role] >= RANK[min];

export const ROLES: readonly Role[] = ['admin', 'supervisor', 'agent', 'customer'];

/** Where each role does its work, to point people who opened the wrong app to theirs. */
export const HOME_APP: Record<Role, { path: string; name: string }> = {
  admin: { path: HOME_APP_PATH.admin, name: 'Admin' },
  supervisor: { path: HOME_APP_PATH.supervisor, name: 'Admin' },
  agent: { path: HOME_APP_PATH.agent, name: 'Agent desktop' },
  customer: { path: HOME_APP_PATH.customer, name: 'Phone' },
};
