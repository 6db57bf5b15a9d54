/** Why an outbound call was refused (the problem's stable code). */
export type DialRefusalCode =
  | 'dial_not_permitted'
  | 'dial_external_not_permitted'
  | 'dial_sip_uri_blocked'
  | 'dial_service_code_blocked'
  | 'dial_prefix_not_allowed'
  | 'dial_international_blocked'
  | 'dial_premium_blocked'
  | 'dial_rate_limited'
  | 'dial_concurrency_limited';

/** Where an outbound call was asked for. */
export type DialVia = 'rest' | 'ws' | 'flow' | 'transfer' | 'callback' | 'room' | 'emergency';

/** Access control: outbound-calling policy, egress allow-list, sign-in locks. */
export interface AccessEvents {
  'call.dial.refused': {
    to: string;
    code: DialRefusalCode;
    reason: string;
    via: DialVia;
    actor: { kind: 'user' | 'apiKey' | 'flow' | 'callback' | 'device'; userId?: string; apiKeyId?: string; deviceId?: string; role?: string };
  };
  'outbound.policy.updated': { by: string | null };
  'egress.policy.updated': { allow: string[]; by: string | null };
  'login.lock.cleared': { email: string; address: string | null; by: string | null };
}
