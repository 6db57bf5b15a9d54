import { AppShell } from '../shared/AppShell';
import { Placeholder } from '../shared/Placeholder';

const CAPABILITIES = [
  { name: 'Work offers', text: 'Voice, video, chat and SMS work offered by routing, accepted in one click.' },
  { name: 'Softphone', text: 'Answer, hold, transfer and end calls in the browser.' },
  { name: 'Pushed cards', text: 'Send the caller information to confirm while you talk.' },
  { name: 'Chats', text: 'Deflected callers continue in chat, with the call context.' },
  { name: 'Customer context', text: 'The interaction timeline across every channel.' },
];

export function App() {
  return (
    <AppShell app="Agent desktop">
      <Placeholder title="Agent desktop" intro="Take work from every channel in one place." capabilities={CAPABILITIES} />
    </AppShell>
  );
}
