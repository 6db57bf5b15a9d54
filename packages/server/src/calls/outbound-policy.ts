import type { DialRefusalCode, OutboundPolicy as OutboundPolicyDto } from '@callsight/protocol';
import { z } from 'zod';
import { wire } from '../http/wire-schema.js';
import type { Role } from '../store/schema.js';

/**
 * Who may make callsight place a call where: outbound calling is a permission, not
 * a side effect of being logged in. A tenant's policy gives each role (and, as an
 * override, each user) a reach — nobody, the tenant's own numbers/users/agents
 * ("internal"), or outside too ("external") — and bounds "outside" by destination
 * rules (allowed prefixes, international and premium blocks, foreign SIP URIs) and
 * per-user rate and concurrency limits. Pure: the guard (outbound-guard.ts) applies it.
 */
export const REACH = ['none', 'internal', 'external'] as const;
export type Reach = (typeof REACH)[number];

const digits = z.string().regex(/^[0-9]{1,15}$/, 'must be digits (a country code or E.164 prefix, no +)');

export const outboundPolicySchema = wire<OutboundPolicyDto>()(z
  .object({
    roles: z
      .object({ customer: z.enum(REACH), agent: z.enum(REACH), supervisor: z.enum(REACH), admin: z.enum(REACH) })
      .strict()
      .describe('What each role may reach (API keys by their role)'),
    users: z.record(z.string().regex(/^usr_[0-9a-z]{26}$/), z.enum(REACH)).describe('Per-user overrides of the role reach'),
    flows: z.enum(REACH).describe("What the tenant's flows (dial verbs, also from webhooks) and callbacks may reach"),
    allowSipUris: z.boolean().describe('May external calls go to arbitrary SIP URIs (not only numbers through the trunk)'),
    allowServiceCodes: z.boolean().describe('May dial strings with * or # (carrier service codes such as *67) go out through the trunk'),
    allowedPrefixes: z.array(digits).max(200).describe('E.164 prefixes (digits) external numbers must start with; empty: any'),
    homeCountryCode: digits.max(3).describe('Country code of national numbers (dialled without + or 00)'),
    blockInternational: z.boolean().describe('Refuse numbers outside the home country code'),
    blockPremium: z.boolean(),
    premiumPrefixes: z.array(digits).max(500).describe('E.164 prefixes of premium-rate and other high-cost numbers'),
    limits: z
      .object({
        callsPerMinute: z.number().int().min(0).max(10_000).describe('Per user (0: no limit)'),
        concurrentCalls: z.number().int().min(0).max(10_000).describe('Per user (0: no limit)'),
      })
      .strict(),
  })
  .strict());

export type OutboundPolicy = z.infer<typeof outboundPolicySchema>;

/** Premium-rate ranges that carry most toll fraud: NANP 900/976, UK 09/0871-3, FR 089, DE 0900, IT 899, ES 803/806/807, AU 190. */
export const DEFAULT_PREMIUM_PREFIXES = ['1900', '1976', '449', '44871', '44872', '44873', '3389', '49900', '39899', '34803', '34806', '34807', '61190'];

export const DEFAULT_OUTBOUND_POLICY: OutboundPolicy = {
  roles: { customer: 'internal', agent: 'external', supervisor: 'external', admin: 'external' },
  users: {},
  flows: 'external',
  allowSipUris: true,
  allowServiceCodes: false,
  allowedPrefixes: [],
  homeCountryCode: '1',
  blockInternational: false,
  blockPremium: true,
  premiumPrefixes: DEFAULT_PREMIUM_PREFIXES,
  limits: { callsPerMinute: 10, concurrentCalls: 3 },
};

/** Who asks for a call: a person, a server's API key, the tenant's own configuration, or a call already admitted at its entry point. */
export type DialActor =
  | { kind: 'user'; userId: string; role: Role }
  | { kind: 'apiKey'; apiKeyId: string; role: Role }
  | { kind: 'flow' }
  | { kind: 'callback' }
  /** A device placing its emergency call: reaches what the tenant's flows reach. */
  | { kind: 'device'; deviceId: string }
  /**
   * Checked where it came in (the app's `call.dial`: its leg out is not counted twice), or
   * the server routing a call to the user a number belongs to or to an assigned agent.
   */
  | { kind: 'admitted' };

/** Where a dial target leads, as far as the policy cares. */
export type DialDestination =
  | { kind: 'internal' }
  /** `e164`: the URI's user part when it is a telephone number (the number rules apply to it too). */
  | { kind: 'sip_uri'; uri: string; e164: string | null }
  | { kind: 'number'; e164: string }
  /** A dial string with * or # for the trunk: what it reaches is up to the carrier. */
  | { kind: 'service_code'; dialled: string };

export type RefusalCode = DialRefusalCode;

export interface Refusal {
  code: RefusalCode;
  message: string;
}

export function reachOf(policy: OutboundPolicy, actor: Exclude<DialActor, { kind: 'admitted' }>): Reach {
  switch (actor.kind) {
    case 'user':
      return policy.users[actor.userId] ?? policy.roles[actor.role];
    case 'apiKey':
      return policy.roles[actor.role];
    case 'flow':
    case 'callback':
    case 'device':
      return policy.flows;
  }
}

/** The destination rules, without limits: null when `actor` may reach `dest`. */
export function destinationRefusal(policy: OutboundPolicy, actor: Exclude<DialActor, { kind: 'admitted' }>, dest: DialDestination): Refusal | null {
  const reach = reachOf(policy, actor);
  if (reach === 'none') return { code: 'dial_not_permitted', message: 'You are not permitted to place calls' };
  if (dest.kind === 'internal') return null;
  if (reach === 'internal') return { code: 'dial_external_not_permitted', message: "You may call this organisation's numbers, users and agents only" };
  if (dest.kind === 'service_code') {
    return policy.allowServiceCodes ? null : { code: 'dial_service_code_blocked', message: 'Numbers with * or # are not called out' };
  }
  if (dest.kind === 'sip_uri') {
    if (!policy.allowSipUris) return { code: 'dial_sip_uri_blocked', message: 'Calls to outside SIP addresses are not permitted' };
    return dest.e164 ? numberRefusal(policy, dest.e164) : null;
  }
  return numberRefusal(policy, dest.e164);
}

function numberRefusal(policy: OutboundPolicy, n: string): Refusal | null {
  if (policy.blockPremium && policy.premiumPrefixes.some((p) => n.startsWith(p))) {
    return { code: 'dial_premium_blocked', message: `+${n} is a premium-rate number, which this organisation does not call` };
  }
  if (policy.blockInternational && !n.startsWith(policy.homeCountryCode)) {
    return { code: 'dial_international_blocked', message: `+${n} is international, which this organisation does not call` };
  }
  if (policy.allowedPrefixes.length > 0 && !policy.allowedPrefixes.some((p) => n.startsWith(p))) {
    return { code: 'dial_prefix_not_allowed', message: `+${n} is outside the destinations this organisation calls` };
  }
  return null;
}

/**
 * A dialled number as E.164 digits: `+…` and `00…` are international; `011…` too in
 * North America; anything else is national, so it gets the home country code (after
 * dropping the trunk prefix 0 outside North America; a NANP number may carry its 1).
 * Null when it is not a number.
 */
export function e164Of(dialled: string, homeCountryCode: string): string | null {
  const raw = dialled.replace(/[-.() ]/g, '');
  if (!/^\+?[0-9]{2,20}$/.test(raw)) return null;
  if (raw.startsWith('+')) return raw.slice(1);
  if (raw.startsWith('00')) return raw.slice(2);
  if (homeCountryCode === '1') {
    if (raw.startsWith('011')) return raw.slice(3);
    if (raw.length === 11 && raw.startsWith('1')) return raw;
    return `1${raw}`;
  }
  return homeCountryCode + raw.replace(/^0/, '');
}
