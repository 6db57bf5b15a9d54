import type { Egress } from '../../core/egress.js';
import type { Verb } from './flow-schema.js';

/** The http(s) URLs a verb list would fetch (`play` audio, `webhook`), with their JSON paths, nested verbs included. */
export function verbUrls(verbs: readonly Verb[], path = 'verbs'): { path: string; url: string }[] {
  return verbs.flatMap((v, i): { path: string; url: string }[] => {
    const at = `${path}.${i}`;
    switch (v.verb) {
      case 'play':
        return /^https?:/i.test(v.url) ? [{ path: `${at}.url`, url: v.url }] : [];
      case 'webhook':
        return [{ path: `${at}.url`, url: v.url }];
      case 'gather':
        return [
          ...verbUrls(v.prompt ?? [], `${at}.prompt`),
          ...Object.entries(v.branches).flatMap(([key, list]) => verbUrls(list, `${at}.branches.${key}`)),
          ...verbUrls(v.noInput ?? [], `${at}.noInput`),
        ];
      default:
        return [];
    }
  });
}

/**
 * Refuses, when they are saved or submitted, verbs whose URLs the egress policy would
 * refuse when fetched (400 egress_blocked naming the field) — the fetch checks again.
 */
export async function checkVerbUrls(egress: Egress, tenantId: string, verbs: readonly Verb[], path = 'body.verbs'): Promise<void> {
  for (const { path: at, url } of verbUrls(verbs, path)) await egress.checkField(url, tenantId, at);
}
