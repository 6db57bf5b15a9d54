import type { Call, User } from '@callsight/sdk';
import type { SipAccount } from '@callsight/sdk';

/** How a call party (`user:<id>`, a SIP URI, a SIP account, a number) reads to a person: a name where one is known. */
export function partyNamer(users: Pick<User, 'id' | 'name' | 'phoneNumber'>[], accounts: SipAccount[]): (party: string) => { name: string; detail: string | null } {
  const byId = new Map(users.map((u) => [u.id, u]));
  const byNumber = new Map(users.filter((u) => u.phoneNumber).map((u) => [u.phoneNumber!, u]));
  const byAccount = new Map(accounts.flatMap((a) => (a.userId && byId.has(a.userId) ? [[a.username, byId.get(a.userId)!] as const] : [])));
  return (party) => {
    if (party.startsWith('user:')) return { name: byId.get(party.slice(5))?.name ?? 'A user', detail: 'app' };
    const m = /^(?:sips?|tel):([^@;>]+)/i.exec(party);
    const shown = m ? decodeURIComponent(m[1]!) : party;
    const user = byNumber.get(shown) ?? byAccount.get(shown);
    return user ? { name: user.name, detail: shown } : { name: shown, detail: null };
  };
}

/** A call as a person thinks of it: its legs (the caller's, the one that rang an agent…) folded into one row per interaction. */
export interface FoldedCall {
  key: string;
  /** The leg the caller is on (the first one created): actions go to it. */
  lead: Call;
  legs: Call[];
  from: string;
  /** Who it reached: the last leg's far end. */
  to: string;
  state: Call['state'];
  startedAt: number;
  answeredAt: number | null;
  endedAt: number | null;
  endCause: string | null;
}

const STATE_RANK: Record<Call['state'], number> = { answered: 2, ringing: 1, ended: 0 };

export function foldCalls(calls: Call[]): FoldedCall[] {
  const groups = new Map<string, Call[]>();
  for (const c of calls) {
    const legs = groups.get(c.interactionId) ?? [];
    legs.push(c);
    groups.set(c.interactionId, legs);
  }
  const folded = [...groups.entries()].map(([key, legs]) => {
    legs.sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
    const lead = legs.find((l) => l.live && l.state !== 'ended') ?? legs[0]!;
    const state = legs.reduce<Call['state']>((s, l) => (STATE_RANK[l.state] > STATE_RANK[s] ? l.state : s), 'ended');
    const answered = legs.map((l) => l.answeredAt).filter((t): t is number => t !== null);
    const ended = legs.map((l) => l.endedAt).filter((t): t is number => t !== null);
    const last = legs[legs.length - 1]!;
    return {
      key,
      lead,
      legs,
      from: legs[0]!.from,
      to: legs.length > 1 ? last.to : legs[0]!.to,
      state,
      startedAt: legs[0]!.createdAt,
      answeredAt: answered.length ? Math.min(...answered) : null,
      endedAt: state === 'ended' && ended.length ? Math.max(...ended) : null,
      endCause: state === 'ended' ? legs[0]!.endCause : null,
    };
  });
  return folded.sort((a, b) => b.startedAt - a.startedAt);
}
