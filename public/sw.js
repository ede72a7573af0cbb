/* TLS Lab service worker: precaches the built site (precache.json, written at build time) so it works
 * offline. Same-origin GETs only; page loads go to the network first (so a new build is picked up) and fall
 * back to the cache; hashed assets come from the cache first. It never talks to another origin. */
const CACHE = 'tls-lab-v1';

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      const response = await fetch('precache.json', { cache: 'no-cache' });
      const files = response.ok ? await response.json() : [];
      await cache.addAll(['./', ...files.filter((f) => typeof f === 'string')]);
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const key of await caches.keys()) if (key !== CACHE) await caches.delete(key);
      await self.clients.claim();
    })(),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET' || new URL(request.url).origin !== self.location.origin) return;
  if (request.mode === 'navigate') {
    event.respondWith(
      (async () => {
        try {
          const response = await fetch(request);
          if (response.ok) (await caches.open(CACHE)).put(request, response.clone());
          return response;
        } catch (error) {
          const cached = (await caches.match(request, { ignoreSearch: true })) ?? (await caches.match('./'));
          if (cached) return cached;
          throw error;
        }
      })(),
    );
    return;
  }
  event.respondWith(
    (async () => {
      const cached = await caches.match(request);
      if (cached) return cached;
      const response = await fetch(request);
      if (response.ok && response.type === 'basic') (await caches.open(CACHE)).put(request, response.clone());
      return response;
    })(),
  );
});
