import { useCallback, useState } from 'react';
import { AppShell } from '../shared/AppShell';
import { useAuth } from '../shared/auth';
import { AppSoftphone } from '../shared/softphone/AppSoftphone';
import type { OnCallChange } from '../shared/softphone/Softphone';
import { CallerHeader } from './call/CallerHeader';
import { rememberCaller } from './call/caller-memory';
import { RecentPeer } from './call/RecentPeer';
import { CardSheet } from './cards/CardSheet';
import { SupportChat } from './chat/SupportChat';
import { IncomingCallPreviews } from './lockscreen/IncomingCallPreviews';
import { Lockscreen } from './lockscreen/Lockscreen';
import { CallAlertsPrompt } from './notifications/CallAlertsPrompt';
import { useIncomingCallNotifications } from './notifications/use-incoming-call-notifications';
import { client } from '../shared/api';
import { useResource } from '../shared/use-resource';
import { KeypadCaptureSheet } from './wallet/KeypadCaptureSheet';
import { ReadCardSheet } from './wallet/ReadCardSheet';
import { Wallet } from './wallet/Wallet';
import { RewardsWallet } from './rewards/RewardsWallet';
import { Conversations } from '../shared/conversations/Conversations';
import { DeviceSimulator } from './emergency/DeviceSimulator';
import { EmergencyAlert } from './emergency/EmergencyAlert';
import './phone.css';

export function App() {
  const { user, tenant } = useAuth();
  // A ringing call owns the screen: no card sheet (nor the chat button) may cover its Accept.
  const [callRinging, setCallRinging] = useState(false);
  const [previewRinging, setPreviewRinging] = useState(false);
  const [liveCallId, setLiveCallId] = useState<string | null>(null);
  const [reading, setReading] = useState(false);
  const [raised, setRaised] = useState<string | null>(null);
  const cards = useResource(() => client.vault.list());
  const savedCards = cards.data?.items ?? [];
  const onCallChange = useCallback<OnCallChange>((c) => {
    setCallRinging(c?.direction === 'incoming' && c.state === 'ringing');
    setLiveCallId(c && c.state === 'answered' ? c.callId : null);
  }, []);
  const notify = useIncomingCallNotifications();
  const firstName = user.name.split(/\s+/)[0] || user.name;

  return (
    <AppShell app="Phone">
      <main className="page phone-home" data-testid="phone-home">
        <h1 className="phone-greeting" data-testid="phone-greeting">
          Hello, {firstName}
        </h1>
        <CallAlertsPrompt />
        {/* Incoming calls arrive on the lockscreen: verified brand, a named colleague, or the number marked unverified. */}
        <AppSoftphone
          title="Phone"
          onCallChange={onCallChange}
          callerView={(call) => <CallerHeader call={call} org={tenant.name} />}
          historyPeer={(c) => <RecentPeer call={c} />}
          callActions={(call) => (
            <>
              {savedCards.length > 0 && (
                <button type="button" className="btn btn-primary call-action" onClick={() => setReading(true)} data-testid="read-card-open">
                  Read a card into the call
                </button>
              )}
              <KeypadCaptureSheet call={call} />
            </>
          )}
          incomingScreen={(call, { answer, reject }) => (
            <Lockscreen
              key={call.callId}
              onShown={(alert) => {
                notify(alert);
                if (call.callId && alert.kind !== 'number') {
                  rememberCaller(call.callId, { name: alert.title, verified: alert.kind === 'brand', logo: alert.icon, reason: alert.kind === 'brand' ? alert.body : undefined });
                }
              }}
              call={{ metadataToken: call.remote.metadataToken, callerNumber: call.remote.number, callerName: call.remote.name, callerOrg: tenant.name, onAccept: answer, onDecline: reject }}
            />
          )}
        />
        <RewardsWallet />
        <Wallet cards={cards} />
        <DeviceSimulator onRaised={setRaised} />
        <section className="stack conv-section" aria-label="Conversations" data-testid="phone-conversations">
          <Conversations userId={user.id} />
        </section>
      </main>
      {reading && liveCallId && <ReadCardSheet cards={savedCards} callId={liveCallId} onClose={() => setReading(false)} />}
      <CardSheet hidden={callRinging || previewRinging} />
      <IncomingCallPreviews onRingingChange={setPreviewRinging} />
      <SupportChat />
      <EmergencyAlert raised={raised} />
    </AppShell>
  );
}
