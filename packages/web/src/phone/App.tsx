import { AppShell } from '../shared/AppShell';
import { Placeholder } from '../shared/Placeholder';
import { AppSoftphone } from '../shared/softphone/AppSoftphone';
import { CardSheet } from './cards/CardSheet';
import { SupportChat } from './chat/SupportChat';
import { IncomingCallPreviews } from './lockscreen/IncomingCallPreviews';
import { Lockscreen } from './lockscreen/Lockscreen';

const CAPABILITIES = [
  { name: 'Branded incoming calls', text: 'A lockscreen that shows who is calling and why, verified.' },
  { name: 'Pushed cards', text: 'Details the agent shares during the call, for you to confirm.' },
  { name: 'Secure card entry', text: 'Hand over a saved card without reading digits aloud.' },
  { name: 'Rewards', text: 'Earn and redeem points for engaging with brands.' },
];

export function App() {
  return (
    <AppShell app="Phone">
      {/* Incoming calls arrive on the lockscreen: verified brand, or the number marked unverified. */}
      <AppSoftphone
        title="Phone"
        incomingScreen={(call, { answer, reject }) => (
          <Lockscreen key={call.callId} call={{ metadataToken: call.remote.metadataToken, callerNumber: call.remote.number, onAccept: answer, onDecline: reject }} />
        )}
      />
      <Placeholder title="Your phone" intro="Calls that show more than a number." capabilities={CAPABILITIES} />
      {/* Until the active-call screen mounts it, any card waiting for this customer shows here. */}
      <CardSheet />
      <IncomingCallPreviews />
      <SupportChat />
    </AppShell>
  );
}
