import type { ReactNode } from 'react';
import { useAuth } from './auth';
import { Logo } from './Logo';

/** Header with the app's name, the tenant, the user and logout; the app fills the main area. */
export function AppShell({ app, children }: { app: string; children: ReactNode }) {
  const { user, tenant, logout } = useAuth();
  return (
    <div className="shell">
      <header className="topbar">
        <div className="topbar-left">
          <Logo />
          <span className="app-name">{app}</span>
        </div>
        <div className="topbar-right">
          <span className="tenant" title="Tenant">{tenant.name}</span>
          <span className="who" data-testid="current-user">
            <span className="who-name">{user.name}</span>
            <span className={`role role-${user.role}`}>{user.role}</span>
          </span>
          <button type="button" className="btn btn-ghost" onClick={() => void logout()} data-testid="logout">
            Log out
          </button>
        </div>
      </header>
      {children}
    </div>
  );
}
