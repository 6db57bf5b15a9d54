import type { Interaction, PendingWrapUp, User, WorkItem } from '@callsight/sdk';
import { useEffect, useMemo, useState } from 'react';
import { client } from '../../shared/api';
import { useAuth } from '../../shared/auth';
import { useLiveCall, type LiveCall } from '../calls/live-call';
import { useAgentWork, type AgentWork } from '../routing/use-agent-work';
import { customerLabel, partyName } from '../routing/work-labels';

/** One row of the work list: everything of one interaction the agent is working on (one call is one row). */
export interface DeskRow {
  interactionId: string;
  /** Items the agent holds in it (a call, a chat…). */
  items: WorkItem[];
  interaction: Interaction | null;
  wrapUp: PendingWrapUp | null;
  onCall: boolean;
  /** The agent's own work (held, on their phone, or waiting for their wrap-up), not only open in the tenant. */
  mine: boolean;
  name: string;
  /** When the work started, for the row's timer. */
  since: number;
}

export interface Desk extends AgentWork {
  rows: DeskRow[];
  /** The call on the agent's phone. */
  call: LiveCall | null;
  customers: Map<string, User>;
  wrapUps: PendingWrapUp[];
}

/** The agent's work as the three panes show it: offers, their rows by interaction, wrap-ups, and who the customers are. */
export function useDesk(): Desk {
  const { user } = useAuth();
  const work = useAgentWork(user.id);
  const live = useLiveCall();
  const [open, setOpen] = useState<Interaction[]>([]);
  const [wrapUps, setWrapUps] = useState<PendingWrapUp[]>([]);
  const [customers, setCustomers] = useState<Map<string, User>>(new Map());
  const onCallId = live && live.state !== 'ended' ? live.interactionId : null;

  useEffect(() => {
    client.users.list({ role: 'customer' }).then((r) => setCustomers(new Map(r.items.map((u) => [u.id, u]))), () => {});
  }, []);
  useEffect(() => {
    let current = true;
    client.interactions.list({ state: 'open', limit: 50 }).then((r) => current && setOpen(r.items), () => {});
    client.desk.wrapUps().then((r) => current && setWrapUps(r.items), () => {});
    return () => {
      current = false;
    };
  }, [work.version, work.assigned.length, onCallId]);

  const rows = useMemo(() => {
    const byId = new Map<string, DeskRow>();
    const row = (interactionId: string): DeskRow => {
      let r = byId.get(interactionId);
      if (!r) byId.set(interactionId, (r = { interactionId, items: [], interaction: null, wrapUp: null, onCall: false, mine: false, name: '', since: Date.now() }));
      return r;
    };
    for (const it of work.assigned) {
      const r = row(it.interactionId);
      r.items.push(it);
      r.mine = true;
      r.since = Math.min(r.since, it.assignedAt ?? it.enqueuedAt);
    }
    for (const w of wrapUps) {
      const r = row(w.interactionId);
      r.wrapUp = w;
      r.mine = true;
      r.since = Math.min(r.since, w.endedAt);
    }
    if (onCallId) {
      const r = row(onCallId);
      r.onCall = true;
      r.mine = true;
      if (live?.answeredAt) r.since = Math.min(r.since, live.answeredAt);
    }
    for (const i of open) {
      const r = row(i.id);
      r.interaction = i;
      if (!r.mine) r.since = i.createdAt;
    }
    for (const r of byId.values()) {
      const item = r.items[0];
      const customer = r.interaction?.customerId ? customers.get(r.interaction.customerId) : undefined;
      r.name = customer?.name ?? (item ? customerLabel(item) : r.wrapUp ? customerLabel({ context: r.wrapUp.context } as WorkItem) : partyName(r.interaction?.subject ?? 'Unknown caller'));
    }
    return [...byId.values()].sort((a, b) => Number(b.mine) - Number(a.mine) || b.since - a.since);
  }, [work.assigned, wrapUps, onCallId, live?.answeredAt, open, customers]);

  return { ...work, rows, call: live, customers, wrapUps };
}
