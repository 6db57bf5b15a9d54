import type { Config } from '../core/config.js';

/** Fastify's `trustProxy` from CALLSIGHT_TRUSTED_PROXIES: the listed CIDRs, or nobody. */
export function trustedProxies(config: Pick<Config, 'trustedProxies'>): string[] | false {
  const list = config.trustedProxies
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean);
  return list.length ? list : false;
}
