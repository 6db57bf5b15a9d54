import type { Role } from '@callsight/sdk';
import { useEffect, useRef, useState, type ComponentType } from 'react';
import { AppShell } from '../shared/AppShell';
import { useAuth } from '../shared/auth';
import { hasRole } from '../shared/roles';
import { AccessSection } from './access/AccessSection';
import { ApiKeysSection } from './ApiKeysSection';
import { BrandsSection } from './branding/BrandsSection';
import { DevicesSection } from './emergency/DevicesSection';
import { InteractionsSection } from './interactions/InteractionsSection';
import { LiveEventsSection } from './LiveEventsSection';
import { RewardsSection } from './rewards/RewardsSection';
import { RoutingSection } from './routing/RoutingSection';
import { EventHooksSection } from './rules/EventHooksSection';
import { RulesSection } from './rules/RulesSection';
import { TelephonySection } from './telephony/TelephonySection';
import { UsersSection } from './UsersSection';
import { VaultAuditSection } from './vault/VaultAuditSection';
import { WebhooksSection } from './WebhooksSection';

/** Sidebar entries; `minRole` mirrors the server's route guards so nobody sees a section that would answer 403. */
const SECTIONS: { id: string; title: string; minRole: Role; Component: ComponentType }[] = [
  { id: 'users', title: 'Users', minRole: 'supervisor', Component: UsersSection },
  { id: 'api-keys', title: 'API keys', minRole: 'admin', Component: ApiKeysSection },
  { id: 'webhooks', title: 'Webhooks', minRole: 'admin', Component: WebhooksSection },
  { id: 'incoming-webhooks', title: 'Incoming webhooks', minRole: 'admin', Component: EventHooksSection },
  { id: 'access', title: 'Access', minRole: 'admin', Component: AccessSection },
  { id: 'brands', title: 'Brands', minRole: 'admin', Component: BrandsSection },
  { id: 'routing', title: 'Routing', minRole: 'supervisor', Component: RoutingSection },
  { id: 'rules', title: 'Rules', minRole: 'supervisor', Component: RulesSection },
  { id: 'telephony', title: 'Telephony', minRole: 'supervisor', Component: TelephonySection },
  { id: 'devices', title: 'Devices', minRole: 'admin', Component: DevicesSection },
  { id: 'rewards', title: 'Rewards', minRole: 'supervisor', Component: RewardsSection },
  { id: 'vault', title: 'Card vault', minRole: 'supervisor', Component: VaultAuditSection },
  { id: 'events', title: 'Live events', minRole: 'supervisor', Component: LiveEventsSection },
  { id: 'interactions', title: 'Interactions', minRole: 'supervisor', Component: InteractionsSection },
];

/** The section in the URL hash, so a section can be bookmarked and the back button works. */
function useHashSection(ids: string[]): string {
  const read = () => {
    const id = window.location.hash.slice(1);
    return ids.includes(id) ? id : ids[0];
  };
  const [id, setId] = useState(read);
  useEffect(() => {
    const onChange = () => setId(read());
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  });
  return id;
}

export function App() {
  const { user } = useAuth();
  const sections = SECTIONS.filter((s) => hasRole(user.role, s.minRole));
  const current = useHashSection(sections.map((s) => s.id));
  const { Component } = sections.find((s) => s.id === current)!;
  const nav = useRef<HTMLElement>(null);
  // On a phone the sections are a strip wider than the screen: keep the open one in sight.
  useEffect(() => {
    nav.current?.querySelector('[aria-current="page"]')?.scrollIntoView({ block: 'nearest', inline: 'center' });
  }, [current]);

  return (
    <AppShell app="Admin">
      <div className="with-sidebar">
        <nav className="sidebar" aria-label="Admin sections" ref={nav}>
          {sections.map((s) => (
            <a key={s.id} href={`#${s.id}`} aria-current={s.id === current ? 'page' : undefined} data-testid={`nav-${s.id}`}>
              {s.title}
            </a>
          ))}
        </nav>
        <main className="page">
          <Component />
        </main>
      </div>
    </AppShell>
  );
}
