import { CallsightApiError } from '@callsight/sdk';

/** Types and calls of the telephony configuration API (flows, numbers, SIP accounts, trunks); calls go through the SDK's `client.calls`. */
export interface Flow {
  id: string;
  name: string;
  verbs: unknown[];
  createdAt: number;
  updatedAt: number;
}

export interface PhoneNumber {
  id: string;
  number: string;
  flowId: string | null;
  userId: string | null;
  trunkId: string | null;
  createdAt: number;
}

export interface SipAccount {
  id: string;
  username: string;
  userId: string | null;
  createdAt: number;
  /** Contact URIs of the account's current registrations. */
  registered: string[];
}

export interface Trunk {
  id: string;
  name: string;
  address: string;
  username: string | null;
  register: boolean;
  createdAt: number;
}

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];
export type RuleAction = 'deflect_chat' | 'deflect_menu' | 'deflect_callback' | 'continue';

/** A number's call-control rule (packages/server/src/deflection/deflection-rules.ts). */
export interface CallRule {
  direction?: 'inbound' | 'outbound';
  when: {
    callerType?: 'mobile' | 'landline' | 'any';
    callerNumber?: { prefixes?: string[]; numbers?: string[] };
    hours?: { from: string; to: string; tz: string };
    calendar?: { tz: string; weekdays?: Weekday[]; dates?: string[] };
    queueWaitAbove?: number;
    noAgentsAvailable?: boolean;
    history?: { callsAtLeast?: number; withinDays?: number; openConversation?: boolean };
    campaign?: string[];
  };
  then: RuleAction;
  options?: { queue?: string; timeoutSeconds?: number; announcement?: string };
}

/** Deflections of one number over a window (GET /api/deflection/stats). */
export interface DeflectionStats {
  numberId: string | null;
  number: string | null;
  offered: number;
  opened: number;
  completed: number;
  smsFailed: number;
  expired: number;
  byTarget: { chat: number; menu: number; callback: number };
  rate: number;
}

/** Where a number routes: exactly one of a flow or a user. */
export type NumberRoute = { flowId: string; userId: null } | { flowId: null; userId: string };

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(path, {
    method,
    credentials: 'same-origin',
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw await CallsightApiError.fromResponse(res);
  return (res.status === 204 ? undefined : await res.json()) as T;
}

const enc = encodeURIComponent;

export const telephonyApi = {
  flows: {
    list: () => call<{ items: Flow[] }>('GET', '/api/flows'),
    create: (name: string, verbs: unknown) => call<Flow>('POST', '/api/flows', { name, verbs }),
    update: (id: string, input: { name: string; verbs: unknown }) => call<Flow>('PUT', `/api/flows/${enc(id)}`, input),
    remove: (id: string) => call<void>('DELETE', `/api/flows/${enc(id)}`),
  },
  numbers: {
    list: () => call<{ items: PhoneNumber[] }>('GET', '/api/numbers'),
    create: (number: string, route: NumberRoute) => call<PhoneNumber>('POST', '/api/numbers', { number, ...route }),
    route: (id: string, route: NumberRoute) => call<PhoneNumber>('PATCH', `/api/numbers/${enc(id)}`, route),
    remove: (id: string) => call<void>('DELETE', `/api/numbers/${enc(id)}`),
  },
  rules: {
    get: (numberId: string) => call<{ rules: CallRule[] }>('GET', `/api/numbers/${enc(numberId)}/deflection-rules`),
    save: (numberId: string, rules: CallRule[]) => call<{ rules: CallRule[] }>('PUT', `/api/numbers/${enc(numberId)}/deflection-rules`, { rules }),
  },
  deflectionStats: (windowHours = 24) => call<{ windowHours: number; items: DeflectionStats[] }>('GET', `/api/deflection/stats?windowHours=${windowHours}`),
  sipAccounts: {
    list: () => call<{ items: SipAccount[] }>('GET', '/api/sip/accounts'),
    create: (input: { username: string; password: string; userId?: string }) => call<SipAccount>('POST', '/api/sip/accounts', input),
  },
  trunks: {
    list: () => call<{ items: Trunk[] }>('GET', '/api/sip/trunks'),
    create: (input: { name: string; address: string; username?: string; password?: string; register: boolean }) => call<Trunk>('POST', '/api/sip/trunks', input),
    remove: (id: string) => call<void>('DELETE', `/api/sip/trunks/${enc(id)}`),
  },
};
