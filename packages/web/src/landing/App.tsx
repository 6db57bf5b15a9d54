import { Logo } from '../shared/Logo';
import { FeatureIcon, type FeatureIconName } from './FeatureIcon';

const CAPABILITIES: { icon: FeatureIconName; title: string; text: string }[] = [
  { icon: 'verified', title: 'Branded, verified calls', text: 'Your logo, name and reason for calling on the screen, signed so people know it is really you.' },
  { icon: 'card', title: 'Pushed cards', text: 'Agents push an amount, an appointment or an address; the caller confirms it with a tap.' },
  { icon: 'lock', title: 'Secure card entry', text: 'Callers hand over a saved card straight into the call — it never reaches the agent or a recording.' },
  { icon: 'chat', title: 'Chat deflection', text: 'Offer a chat link instead of a queue, and keep the context of the call.' },
  { icon: 'spatial', title: 'Spatial audio rooms', text: 'Audio rooms with listeners, and group calls where every voice has its own place.' },
  { icon: 'alert', title: 'Emergency device calls', text: 'Alarms and devices raise calls with location and data attached for responders.' },
  { icon: 'star', title: 'Rewards', text: 'People earn rewards for engaging with what brands show them.' },
];

const APPS = [
  { href: '/phone/', title: 'Phone', text: 'The caller’s softphone: an installable app with a lockscreen for branded calls.', cta: 'Open phone' },
  { href: '/agent/', title: 'Agent desktop', text: 'Voice, video, chat and SMS work in one place, with cards to push.', cta: 'Open agent desktop' },
  { href: '/admin/', title: 'Admin', text: 'Users, API keys, webhooks, live events and interactions.', cta: 'Open admin' },
  { href: '/rooms/', title: 'Rooms', text: 'Social audio rooms and spatial-audio group calls.', cta: 'Open rooms' },
  { href: '/api/docs', title: 'API', text: 'REST + WebSocket API with OpenAPI docs, webhooks and a typed SDK.', cta: 'Read the API docs' },
];

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
                <h3>{c.title}</h3>
                <p>{c.text}</p>
              </li>
            ))}
          </ul>
        </section>

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
