import type { ErrorSpecs } from './error-spec.js';

/** Codes of core: authentication, permissions, limits, configuration and secrets. */
export const CORE_ERRORS = {
  unauthorized: { status: 401, title: 'Sign in or send an API key' },
  forbidden: { status: 403, title: 'Your role does not allow this' },
  not_found: { status: 404, title: 'Not found' },
  rate_limited: { status: 429, title: 'Too many attempts: wait and retry' },
  config_invalid: { status: 500, title: 'The server configuration is invalid' },
  secret_corrupt: { status: 500, title: 'A stored secret could not be decrypted' },
  service_unavailable: { status: 503, title: 'A service this needs is not running' },
  feature_duplicate: { status: 500, title: 'A feature is listed twice (the server does not start)' },
  feature_need_missing: { status: 500, title: 'A feature needs a service no listed feature provides (the server does not start)' },
  service_provided_twice: { status: 500, title: 'Two features provide the same service (the server does not start)' },
  feature_cycle: { status: 500, title: 'Features need each other in a cycle (the server does not start)' },
  service_undeclared: { status: 500, title: 'A feature used a service it did not declare' },
  service_not_provided: { status: 500, title: 'A feature did not provide a service it declared (the server does not start)' },
  egress_blocked: { status: 403, title: 'The server may not fetch from this address', statusVaries: '400 when a submitted URL (webhook subscription, flow or call verbs, play) is refused' },
  egress_scheme: { status: 403, title: 'Only http and https URLs are fetched' },
  egress_timeout: { status: 502, title: 'The URL did not answer in time' },
  egress_too_large: { status: 502, title: 'The URL answered with too much data' },
  egress_redirects: { status: 502, title: 'The URL redirected too often or to a refused address' },
  egress_network: { status: 502, title: 'The URL could not be reached' },
} as const satisfies ErrorSpecs;
