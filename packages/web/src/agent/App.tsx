import { AppShell } from '../shared/AppShell';
import { Placeholder } from '../shared/Placeholder';
import { LiveCallProvider } from './calls/live-call';
import { ConfirmWorkspace } from './cards/ConfirmWorkspace';
import { AgentDesktop } from './routing/AgentDesktop';

const CAPABILITIES = [
  { name: 'Pushed cards', text: 'Send the caller information to confirm while you talk.' },
];

export function App() {
  return (
    <AppShell app="Agent desktop">
      <LiveCallProvider>
        <AgentDesktop />
        <ConfirmWorkspace />
      </LiveCallProvider>
      <Placeholder title="Agent desktop" intro="Take work from every channel in one place." capabilities={CAPABILITIES} />
    </AppShell>
  );
}
