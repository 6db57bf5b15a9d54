import type { User } from '@callsight/sdk';
import { HOME_APP } from './roles';

/** A clear dead end for the wrong role, with the way to the right app. */
export function RoleRefusal({ app, audience, user, onLogout }: { app: string; audience: string; user: User; onLogout: () => void }) {
  const home = HOME_APP[user.role];
  return (
    <main className="center-screen">
      <section className="card narrow stack" data-testid="role-refusal" aria-labelledby="refusal-title">
        <h1 id="refusal-title">This app is for {audience}</h1>
        <p>
          You are logged in as <strong>{user.role}</strong> ({user.name}, {user.email}), so {app} is not available to you.
        </p>
        <div className="row">
          <a className="btn btn-primary" href={home.path}>Open {home.name}</a>
          <button type="button" className="btn" onClick={onLogout}>Log out</button>
        </div>
      </section>
    </main>
  );
}
