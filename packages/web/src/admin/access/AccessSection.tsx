import { useState } from 'react';
import { Section } from '../Section';
import { EgressPolicyCard } from './EgressPolicyCard';
import { LoginLocksPanel } from './LoginLocksPanel';
import { OutboundPolicyCard } from './OutboundPolicyCard';

type Tab = 'calling' | 'requests' | 'sign-in';

const TABS: { id: Tab; title: string }[] = [
  { id: 'calling', title: 'Outbound calling' },
  { id: 'requests', title: 'Internal addresses' },
  { id: 'sign-in', title: 'Sign-in locks' },
];

/** Who may make the server call out or reach inside the network, and who is locked out of signing in. */
export function AccessSection() {
  const [tab, setTab] = useState<Tab>('calling');
  return (
    <Section id="access" title="Access" description="Who may place calls where, which internal addresses your webhooks and call flows may reach, and sign-ins blocked after wrong passwords.">
      <div className="row wrap" role="tablist" aria-label="Access">
        {TABS.map((t) => (
          <button key={t.id} type="button" role="tab" className={`chip ${tab === t.id ? 'chip-on' : ''}`} aria-selected={tab === t.id} onClick={() => setTab(t.id)} data-testid={`access-tab-${t.id}`}>
            {t.title}
          </button>
        ))}
      </div>
      {tab === 'calling' && <OutboundPolicyCard />}
      {tab === 'requests' && <EgressPolicyCard />}
      {tab === 'sign-in' && <LoginLocksPanel />}
    </Section>
  );
}
