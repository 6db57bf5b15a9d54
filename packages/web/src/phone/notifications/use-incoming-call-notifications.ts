import { useCallback } from 'react';
import type { IncomingAlert } from '../lockscreen/Lockscreen';

const ICON = '/phone/icon-192.png';

/**
 * Incoming calls while the tab is in the background: a system notification with
 * the brand's name and logo (through the service worker when there is one, so it
 * also shows on Android, where `new Notification` is not allowed). Clicking it
 * brings the tab forward, where the lockscreen waits. Nothing is shown while the
 * page is visible: the lockscreen is on screen already.
 */
export function useIncomingCallNotifications(): (alert: IncomingAlert) => void {
  return useCallback((alert: IncomingAlert) => {
    if (typeof Notification === 'undefined' || Notification.permission !== 'granted' || document.visibilityState === 'visible') return;
    const options: NotificationOptions = { body: alert.body, icon: alert.icon ?? ICON, badge: ICON, tag: 'incoming-call', requireInteraction: true };
    void (async () => {
      const reg = await navigator.serviceWorker?.getRegistration('/phone/').catch(() => undefined);
      if (reg) await reg.showNotification(alert.title, options);
      else {
        const n = new Notification(alert.title, options);
        n.onclick = () => {
          window.focus();
          n.close();
        };
      }
    })().catch(() => undefined);
  }, []);
}

/** Whether to offer the "Turn on call alerts" button: supported and not yet decided. */
export function canAskForNotifications(): boolean {
  return typeof Notification !== 'undefined' && Notification.permission === 'default';
}
