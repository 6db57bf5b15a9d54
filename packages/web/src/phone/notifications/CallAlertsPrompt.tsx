import { useState } from 'react';
import { canAskForNotifications } from './use-incoming-call-notifications';

/** Offers call alerts for when the tab is in the background; asks the browser only on a click. */
export function CallAlertsPrompt() {
  const [ask, setAsk] = useState(canAskForNotifications);
  if (!ask) return null;
  return (
    <section className="card phone-alerts" aria-label="Call alerts" data-testid="call-alerts">
      <span className="small">Get an alert for incoming calls while this tab is in the background.</span>
      <button type="button" className="btn btn-small" onClick={() => void Notification.requestPermission().finally(() => setAsk(false))} data-testid="enable-alerts">
        Turn on
      </button>
    </section>
  );
}
