/**
 * Installs the app-shell cache (public/phone/sw.js) so the installed PWA opens
 * offline. Skipped in development, where Vite serves unbundled modules.
 */
export function registerServiceWorker(): void {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return;
  window.addEventListener('load', () => {
    navigator.serviceWorker.register('/phone/sw.js', { scope: '/phone/' }).catch((err: unknown) => {
      console.warn('callsight: service worker registration failed', err);
    });
  });
}
