import { AUTH_ERRORS } from './auth/auth-errors.js';
import { BRANDING_ERRORS } from './branding/branding-errors.js';
import { CALLS_ERRORS } from './calls/calls-errors.js';
import { CONFIRM_ERRORS } from './confirm/confirm-errors.js';
import { CORE_ERRORS } from './core/core-errors.js';
import type { ErrorSpec } from './core/error-spec.js';
import { DEFLECTION_ERRORS } from './deflection/deflection-errors.js';
import { DESK_ERRORS } from './desk/desk-errors.js';
import { HTTP_ERRORS } from './http/http-errors.js';
import { MEDIA_ERRORS } from './media/media-errors.js';
import { REWARDS_ERRORS } from './rewards/reward-errors.js';
import { ROOMS_ERRORS } from './rooms/rooms-errors.js';
import { CONVERSATIONS_ERRORS } from './rooms/conversations/conversations-errors.js';
import { ROUTING_ERRORS } from './routing/routing-errors.js';
import { RULES_ERRORS } from './rules/rules-errors.js';
import { SIP_ERRORS } from './sip/sip-errors.js';
import { SMS_ERRORS } from './sms/sms-errors.js';
import { VAULT_ERRORS } from './vault/vault-errors.js';
import { WEBRTC_ERRORS } from './webrtc/webrtc-errors.js';
import { EMERGENCY_ERRORS } from './emergency/emergency-errors.js';

/**
 * Every stable error code, by the src folder that declares it (its `*-errors.ts`).
 * A new folder with errors adds its line here; `npm run docs:errors` then updates
 * docs/errors.md, the list of published codes and the SDK's `ErrorCode`.
 */
export const ERRORS_BY_FOLDER = {
  core: CORE_ERRORS,
  http: HTTP_ERRORS,
  auth: AUTH_ERRORS,
  sip: SIP_ERRORS,
  media: MEDIA_ERRORS,
  webrtc: WEBRTC_ERRORS,
  calls: CALLS_ERRORS,
  branding: BRANDING_ERRORS,
  routing: ROUTING_ERRORS,
  deflection: DEFLECTION_ERRORS,
  confirm: CONFIRM_ERRORS,
  sms: SMS_ERRORS,
  rooms: ROOMS_ERRORS,
  'rooms/conversations': CONVERSATIONS_ERRORS,
  rules: RULES_ERRORS,
  emergency: EMERGENCY_ERRORS,
  vault: VAULT_ERRORS,
  desk: DESK_ERRORS,
  rewards: REWARDS_ERRORS,
} as const;

type Folders = typeof ERRORS_BY_FOLDER;
/** A stable error code: `CallsightError` takes no other, so an unknown code fails to compile. */
export type ErrorCode = { [F in keyof Folders]: keyof Folders[F] & string }[keyof Folders];

export interface CatalogueEntry extends ErrorSpec {
  code: ErrorCode;
  folder: keyof Folders;
}

/** The catalogue as rows, in declaration order (a code declared twice is caught by its test). */
export const ERROR_CATALOGUE: readonly CatalogueEntry[] = Object.entries(ERRORS_BY_FOLDER).flatMap(([folder, specs]) =>
  Object.entries(specs as Record<string, ErrorSpec>).map(([code, spec]) => ({ code: code as ErrorCode, folder: folder as keyof Folders, ...spec })),
);

const BY_CODE = new Map<string, CatalogueEntry>(ERROR_CATALOGUE.map((e) => [e.code, e]));

/** The catalogue entry of a code, if it is one (codes from outside, e.g. a problem+json body, may not be). */
export const errorSpec = (code: string): CatalogueEntry | undefined => BY_CODE.get(code);
