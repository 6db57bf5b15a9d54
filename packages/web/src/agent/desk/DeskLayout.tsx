import type { CallsightEvent } from '@callsight/sdk';
import { useEffect, useRef, useState } from 'react';
import { ProblemBanner } from '../../shared/ProblemBanner';
import { Conversation } from './Conversation';
import { CustomerPanel } from './CustomerPanel';
import '../routing/agent-desktop.css';
import './desk.css';
import { useDesk } from './use-desk';
import { WorkList } from './WorkList';

/** Alt+key → the control it presses (the same buttons a mouse would). */
const SHORTCUTS: Record<string, string> = { a: '[data-testid=offer-accept]', h: '[data-testid=hangup]', m: '[data-testid=mute]', o: '[data-testid=hold]', w: '#desk-wrap-up select' };

/**
 * The agent desktop, in three panes as contact-centre desktops are: the work list
 * (offers, active work, wrap-ups), the selected conversation, and the customer.
 */
export function DeskLayout() {
  const desk = useDesk();
  const [selected, setSelected] = useState<string | null>(null);
  const [unread, setUnread] = useState<Map<string, number>>(new Map());
  const selectedRef = useRef(selected);
  selectedRef.current = selected;
  const onCall = desk.rows.find((r) => r.onCall)?.interactionId ?? null;

  // The call on the phone is what the agent works on: select it as it connects.
  useEffect(() => {
    if (onCall) setSelected(onCall);
  }, [onCall]);
  // Nothing chosen yet: the newest of the agent's own work.
  useEffect(() => {
    if (!selected && desk.rows[0]?.mine) setSelected(desk.rows[0].interactionId);
  }, [selected, desk.rows]);

  // Customer messages on conversations not in view count as unread.
  useEffect(
    () =>
      desk.onChatEvent((e: CallsightEvent) => {
        const d = e.data as { author?: string };
        if ((e.type === 'chat.message' && d.author !== 'agent') || e.type === 'sms.received') {
          if (e.interactionId && e.interactionId !== selectedRef.current) setUnread((u) => new Map(u).set(e.interactionId!, (u.get(e.interactionId!) ?? 0) + 1));
        }
      }),
    [desk.onChatEvent],
  );
  const select = (id: string) => {
    setSelected(id);
    setUnread((u) => {
      if (!u.has(id)) return u;
      const next = new Map(u);
      next.delete(id);
      return next;
    });
  };

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!e.altKey || e.ctrlKey || e.metaKey) return;
      const target = SHORTCUTS[e.key.toLowerCase()];
      const el = target ? document.querySelector<HTMLElement>(target) : null;
      if (!el) return;
      e.preventDefault();
      if (el instanceof HTMLSelectElement) el.focus();
      else el.click();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const row = desk.rows.find((r) => r.interactionId === selected) ?? null;
  return (
    <div className="desk">
      <aside className="desk-pane desk-left" aria-label="Your work">
        <ProblemBanner error={desk.error} />
        <WorkList desk={desk} selected={selected} onSelect={select} unread={unread} />
      </aside>
      <main className="desk-pane desk-centre" aria-label="Conversation">
        <Conversation desk={desk} row={row} onChatEvent={desk.onChatEvent} />
      </main>
      <aside className="desk-pane desk-right" aria-label="Customer">
        <CustomerPanel desk={desk} row={row} />
      </aside>
    </div>
  );
}
