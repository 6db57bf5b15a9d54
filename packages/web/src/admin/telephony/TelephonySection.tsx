import type { Role } from '@callsight/sdk';
import { useState } from 'react';
import { client } from '../../shared/api';
import { useAuth } from '../../shared/auth';
import { hasRole } from '../../shared/roles';
import { useResource } from '../../shared/use-resource';
import { Section } from '../Section';
import { CallsPanel } from './CallsPanel';
import { FlowsPanel } from './FlowsPanel';
import { NumbersPanel } from './NumbersPanel';
import { SipAccountsPanel } from './SipAccountsPanel';

import { TrunksPanel } from './TrunksPanel';

type Tab = 'calls' | 'flows' | 'numbers' | 'sip' | 'trunks';

/** Tabs and the role that may use them (the server's guards: changing flows, numbers and trunks is for admins). */
const TABS: { id: Tab; title: string; minRole: Role }[] = [
  { id: 'calls', title: 'Calls', minRole: 'supervisor' },
  { id: 'flows', title: 'Flows', minRole: 'admin' },
  { id: 'numbers', title: 'Numbers', minRole: 'admin' },
  { id: 'sip', title: 'SIP accounts', minRole: 'supervisor' },
  { id: 'trunks', title: 'Trunks', minRole: 'admin' },
];

/** Calls, flows, numbers, SIP accounts and trunks: the tenant's telephony in one place. */
export function TelephonySection() {
  const { user } = useAuth();
  const isAdmin = hasRole(user.role, 'admin');
  const tabs = TABS.filter((t) => hasRole(user.role, t.minRole));
  const [tab, setTab] = useState<Tab>('calls');
  // Flows and users are the routing targets of numbers; loaded once for the tabs that need them.
  const flows = useResource(() => (isAdmin ? client.flows.list() : Promise.resolve({ items: [] })));
  const users = useResource(() => client.users.list());

  return (
    <Section id="telephony" title="Telephony" description="Live and recent calls, the flows that answer them, the numbers that reach them, and SIP phones and trunks.">
      <div className="row wrap" role="tablist" aria-label="Telephony">
        {tabs.map((t) => (
          <button key={t.id} type="button" role="tab" className={`chip ${tab === t.id ? 'chip-on' : ''}`} aria-selected={tab === t.id} onClick={() => setTab(t.id)} data-testid={`telephony-tab-${t.id}`}>
            {t.title}
          </button>
        ))}
      </div>
      {tab === 'calls' && <CallsPanel users={users.data?.items ?? []} />}
      {tab === 'flows' && <FlowsPanel flows={flows} users={users.data?.items ?? []} />}
      {tab === 'numbers' && <NumbersPanel flows={flows.data?.items ?? []} users={users.data?.items ?? []} />}
      {tab === 'sip' && <SipAccountsPanel users={users.data?.items ?? []} canEdit={isAdmin} />}
      {tab === 'trunks' && <TrunksPanel />}
    </Section>
  );
}
