import { useEffect, useState } from 'react';
import { AppShell } from '../shared/AppShell';
import { useAuth } from '../shared/auth';
import { hasRole } from '../shared/roles';
import { LiveCallProvider } from './calls/live-call';
import { DeskLayout } from './desk/DeskLayout';
import { SupervisorConsole } from './supervisor/SupervisorConsole';
import './supervisor/supervisor.css';

const useHash = () => {
  const [hash, setHash] = useState(location.hash);
  useEffect(() => {
    const on = () => setHash(location.hash);
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return hash;
};

/** Agents get the desktop; supervisors and admins also the console (#supervisor), one softphone at a time. */
export function App() {
  const { user } = useAuth();
  const supervisor = hasRole(user.role, 'supervisor');
  const hash = useHash();
  const console_ = supervisor && hash === '#supervisor';
  return (
    <AppShell app={console_ ? 'Supervisor console' : 'Agent desktop'}>
      {supervisor && (
        <nav className={`view-tabs ${console_ ? 'view-tabs-page' : ''}`} aria-label="Views">
          <a className="btn btn-small" href="#desk" aria-current={console_ ? undefined : 'page'} data-testid="view-desk">Desk</a>
          <a className="btn btn-small" href="#supervisor" aria-current={console_ ? 'page' : undefined} data-testid="view-supervisor">Supervisor</a>
        </nav>
      )}
      {console_ ? (
        <SupervisorConsole />
      ) : (
        <LiveCallProvider>
          <DeskLayout />
        </LiveCallProvider>
      )}
    </AppShell>
  );
}
