import type { DemoInfo } from '@callsight/sdk';
import { useEffect, useState } from 'react';
import { client } from '../shared/api';
import { Logo } from '../shared/Logo';
import { FeatureIcon, type FeatureIconName } from './FeatureIcon';

/** `soon`: described here, not built yet — marked so nobody goes looking for it. */
const CAPABILITIES: { icon: FeatureIconName; title: string; text: string; soon?: true }[] = [
  { icon: 'verified', title: 'Branded, verified calls', text: 'Your logo, name and reason for calling on the screen, signed so people know it is really you.' },
  { icon: 'card', title: 'Pushed cards', text: 'Agents push an amount, an appointment or an address; the caller confirms it with a tap.' },
  { icon: 'lock', title: 'Secure card entry', text: 'Callers hand over a saved card straight into the call — it never reaches the agent or a recording.', soon: true },
  { icon: 'chat', title: 'Chat deflection', text: 'Offer a chat link instead of a queue, and keep the context of the call.' },
  { icon: 'spatial', title: 'Audio rooms', text: 'Rooms with hosts, speakers and a large listening audience, from a browser or a phone.' },
  { icon: 'spatial', title: 'Spatial group calls', text: 'Group calls where every voice has its own place around you.', soon: true },
  { icon: 'alert', title: 'Emergency device calls', text: 'Alarms and devices raise calls with location and data attached for responders.', soon: true },
  { icon: 'star', title: 'Rewards', text: 'People earn rewards for engaging with what brands show them.', soon: true },
];

const APPS = [
  { href: '/phone/', title: 'Phone', text: 'The caller’s softphone: an installable app with a lockscreen for branded calls.', cta: 'Open phone' },
  { href: '/agent/', title: 'Agent desktop', text: 'Voice, video, chat and SMS work in one place, with cards to push.', cta: 'Open agent desktop' },
  { href: '/admin/', title: 'Admin', text: 'Users, API keys, webhooks, live events and interactions.', cta: 'Open admin' },
  { href: '/rooms/', title: 'Rooms', text: 'Social audio rooms and spatial-audio group calls.', cta: 'Open rooms' },
  { href: '/chat/demo.html', title: 'Chat widget', text: 'The “Chat with us” widget a business puts on its website, on a demo page.', cta: 'Try the chat demo' },
  { href: '/api/docs', title: 'API', text: 'REST + WebSocket API with OpenAPI docs, webhooks and a typed SDK.', cta: 'Read the API docs' },
];

const ROLE_APP: Record<string, { href: string; app: string }> = {
  admin: { href: '/admin/', app: 'Admin' },
  supervisor: { href: '/admin/', app: 'Admin' },
  agent: { href: '/agent/', app: 'Agent desktop' },
  customer: { href: '/phone/', app: 'Phone' },
};

/** The demo tenant's logins, while the server seeds it. */
function DemoLogins() {
  const [demo, setDemo] = useState<DemoInfo | null>(null);
  useEffect(() => {
    client.demo().then(setDemo, () => setDemo(null));
  }, []);
  if (!demo?.enabled) return null;
  return (
    <section className="landing-section" aria-labelledby="demo-title" data-testid="demo-logins">
      <h2 id="demo-title">Try it with the demo logins</h2>
      <p className="muted">
        {demo.tenant} is a demo business seeded on this server.{' '}
        {demo.password ? <>Every demo user's password is <code>{demo.password}</code>.</> : 'The password is the demo password this server was configured with.'}
      </p>
      <div className="card table-wrap">
        <table className="table">
          <thead>
            <tr><th scope="col">Who</th><th scope="col">Email</th><th scope="col">Opens</th></tr>
          </thead>
          <tbody>
            {demo.users.map((u) => (
              <tr key={u.email}>
                <td>{u.name} <span className={`role role-${u.role}`}>{u.role}</span></td>
                <td><code>{u.email}</code></td>
                <td>{ROLE_APP[u.role] ? <a href={ROLE_APP[u.role]!.href}>{ROLE_APP[u.role]!.app}</a> : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

export function App() {
  return (
    <div className="landing">
      <header className="topbar">
        <div className="topbar-left"><Logo /></div>
        <nav className="topbar-right" aria-label="Apps">
          <a href="/admin/">Admin</a>
          <a href="/api/docs">API docs</a>
        </nav>
      </header>
      <main>
        <section className="hero">
          <p className="eyebrow">Self-hosted · open source · one process</p>
          <h1>Voice calls, enhanced with visual information.</h1>
          <p className="lead">
            callsight runs phone and browser calls whose screens show more than a number: who is calling and why, what the agent is
            talking about, and a safe way to act on it — on a machine you own.
          </p>
          <div className="row wrap">
            <a className="btn btn-primary btn-large" href="/admin/">Open the admin</a>
            <a className="btn btn-large" href="/api/docs">Explore the API</a>
          </div>
        </section>

        <section className="landing-section" aria-labelledby="capabilities-title">
          <h2 id="capabilities-title">What a call can show</h2>
          <ul className="feature-grid">
            {CAPABILITIES.map((c) => (
              <li key={c.title} className="card feature">
                <span className="feature-icon" aria-hidden="true"><FeatureIcon name={c.icon} /></span>
                <h3>
                  {c.title}
                  {c.soon && <span className="pill pill-soon" data-testid="not-built">Not built yet</span>}
                </h3>
                <p>{c.text}</p>
              </li>
            ))}
          </ul>
        </section>

        <DemoLogins />

        <section className="landing-section" aria-labelledby="apps-title">
          <h2 id="apps-title">The apps</h2>
          <ul className="app-grid">
            {APPS.map((a) => (
              <li key={a.href}>
                <a className="card app-card" href={a.href}>
                  <h3>{a.title}</h3>
                  <p>{a.text}</p>
                  <span className="app-cta">{a.cta} →</span>
                </a>
              </li>
            ))}
          </ul>
        </section>
      </main>
      <footer className="footer">callsight · Apache-2.0</footer>
    </div>
  );
}
