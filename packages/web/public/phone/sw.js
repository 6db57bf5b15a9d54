// callsight phone service worker: keeps the app shell available offline.
// Pages are fetched network-first (a deploy shows up at once, the cache is the
// fallback); hashed build assets never change, so they are served cache-first.
// The API is never cached: calls and events must be live.
const CACHE = 'callsight-phone-v2';
const SHELL = ['/phone/', '/phone/manifest.webmanifest', '/phone/icon.svg', '/phone/icon-192.png'];

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const req = event.request;
  const url = new URL(req.url);
  if (req.method !== 'GET' || url.origin !== self.location.origin || url.pathname.startsWith('/api/')) return;

  if (req.mode === 'navigate') {
    event.respondWith(
      fetch(req)
        .then((res) => {
          if (res.ok) {
            const copy = res.clone();
            caches.open(CACHE).then((cache) => cache.put('/phone/', copy));
          }
          return res;
        })
        .catch(() => caches.match('/phone/')),
    );
    return;
  }

  if (url.pathname.startsWith('/assets/') || SHELL.includes(url.pathname)) {
    event.respondWith(
      caches.match(req).then(
        (hit) =>
          hit ||
          fetch(req).then((res) => {
            if (res.ok) {
              const copy = res.clone();
              caches.open(CACHE).then((cache) => cache.put(req, copy));
            }
            return res;
          }),
      ),
    );
  }
});

// An incoming-call notification (shown by the page while it is in the background):
// clicking it brings the phone tab forward, where the lockscreen is ringing.
self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  event.waitUntil(
    self.clients.matchAll({ type: 'window', includeUncontrolled: true }).then((tabs) => {
      const tab = tabs.find((c) => new URL(c.url).pathname.startsWith('/phone/'));
      return tab ? tab.focus() : self.clients.openWindow('/phone/');
    }),
  );
});
