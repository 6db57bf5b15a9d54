import type { AppContext } from '../app-context.js';
import type { CallSearch } from './call-repo.js';

/**
 * What a search text matches on a call's ends. Ends are URIs, numbers or `user:<id>`,
 * never names, so a name finds the users called that and then their identities:
 * the app (`user:<id>`), their phone number and their SIP accounts' user names.
 */
export async function callMatch(ctx: AppContext, tenantId: string, text: string): Promise<NonNullable<CallSearch['match']>> {
  const needle = text.trim().toLowerCase();
  const named = (await ctx.users.list(tenantId)).filter((u) => u.name.toLowerCase().includes(needle));
  const ids = new Set(named.map((u) => u.id));
  const accounts = ids.size ? (await ctx.services.get('telephony').sipAccounts.list(tenantId)).filter((a) => a.userId && ids.has(a.userId)) : [];
  return {
    contains: [needle, ...named.flatMap((u) => (u.phoneNumber ? [u.phoneNumber] : [])), ...accounts.map((a) => `:${a.username}@`)],
    parties: named.map((u) => `user:${u.id}`),
  };
}
