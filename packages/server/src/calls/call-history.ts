import type { MyCall } from '@callsight/protocol';
import type { AppContext } from '../app-context.js';
import type { CallRecord } from './call-repo.js';

export type { MyCall };

/**
 * A user's own calls, newest first: calls of interactions where they are the
 * customer, and calls from or to any of their identities (`user:<id>`, their
 * phone number, numbers assigned to them). Calls are tenant rows with no
 * per-user leg table, so "mine" is decided from those two facts.
 */
export async function callsOf(ctx: AppContext, q: { tenantId: string; userId: string; before?: string; limit: number }): Promise<MyCall[]> {
  const db = ctx.store.db;
  const [user, numbers, accounts] = await Promise.all([
    ctx.users.get(q.tenantId, q.userId),
    db.selectFrom('numbers').select('number').where('tenant_id', '=', q.tenantId).where('user_id', '=', q.userId).execute(),
    db.selectFrom('sip_accounts').select('username').where('tenant_id', '=', q.tenantId).where('user_id', '=', q.userId).execute(),
  ]);
  const ids = [`user:${q.userId}`, ...numbers.map((n) => n.number), ...(user?.phoneNumber ? [user.phoneNumber] : [])];
  // SIP parties are URIs (sip:customer@host): their user part is what identifies the person.
  const mine = new Set([...ids, ...accounts.map((a) => a.username)]);
  const isMine = (party: string) => mine.has(party) || mine.has(displayParty(party));
  let sel = db
    .selectFrom('calls as c')
    .leftJoin('interactions as i', 'i.id', 'c.interaction_id')
    .selectAll('c')
    .where('c.tenant_id', '=', q.tenantId)
    .where((eb) => eb.or([eb('i.customer_id', '=', q.userId), eb('c.from_uri', 'in', ids), eb('c.to_uri', 'in', ids)]));
  if (q.before) sel = sel.where('c.id', '<', q.before);
  const rows = await sel.orderBy('c.id', 'desc').limit(q.limit).execute();

  const names = new Map<string, string>();
  const nameOf = async (party: string): Promise<string> => {
    if (!party.startsWith('user:')) return displayParty(party);
    if (!names.has(party)) names.set(party, (await ctx.users.get(q.tenantId, party.slice(5)))?.name ?? 'A colleague');
    return names.get(party)!;
  };
  return Promise.all(
    rows.map(async (r) => {
      const outgoing = isMine(r.from_uri) && !isMine(r.to_uri);
      const other = outgoing ? r.to_uri : r.from_uri;
      const answeredAt = r.answered_at == null ? null : Number(r.answered_at);
      const endedAt = r.ended_at == null ? null : Number(r.ended_at);
      return {
        id: r.id,
        direction: outgoing ? 'outgoing' : 'incoming',
        peer: await nameOf(other),
        callBack: callBackOf(other),
        state: r.state,
        missed: !outgoing && r.state === 'ended' && answeredAt === null,
        startedAt: Number(r.created_at),
        answeredAt,
        endedAt,
        durationSeconds: answeredAt !== null && endedAt !== null ? Math.round((endedAt - answeredAt) / 1000) : null,
        endCause: r.end_cause,
      } satisfies MyCall;
    }),
  );
}

/** `sip:+15550101@carrier.example;user=phone` → `+15550101`; a bare number stays as it is. */
export function displayParty(party: string): string {
  const m = /^(?:sips?|tel):([^@;>]+)/i.exec(party);
  return m ? decodeURIComponent(m[1]!) : party;
}

/** What the softphone dials to call back: the number or SIP user; nothing for anonymous callers and colleagues' app ids. */
function callBackOf(party: string): string | null {
  const shown = displayParty(party);
  return party.startsWith('user:') || shown === '' || /^anonymous$/i.test(shown) ? null : shown;
}
