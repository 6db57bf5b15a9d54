import { AppShell } from '../shared/AppShell';
import { Placeholder } from '../shared/Placeholder';
import { CardSheet } from './cards/CardSheet';
import { SupportChat } from './chat/SupportChat';
import { IncomingCallPreviews } from './lockscreen/IncomingCallPreviews';

const CAPABILITIES = [
  { name: 'Dialer', text: 'Call businesses and people from the browser.' },
  { name: 'Branded incoming calls', text: 'A lockscreen that shows who is calling and why, verified.' },
  { name: 'Pushed cards', text: 'Details the agent shares during the call, for you to confirm.' },
  { name: 'Secure card entry', text: 'Hand over a saved card without reading digits aloud.' },
  { name: 'Rewards', text: 'Earn and redeem points for engaging with brands.' },
];

export function App() {
  return (
    <AppShell app="Phone">
      <Placeholder title="Your phone" intro="Calls that show more than a number." capabilities={CAPABILITIES} />
      {/* Until the active-call screen mounts it, any card waiting for this customer shows here. */}
      <CardSheet />
      <IncomingCallPreviews />
      <SupportChat />
    </AppShell>
  );
}
