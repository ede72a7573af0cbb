/* global __CACHE_NAME__, __PRECACHE_FILES__ -- filled in by the build (vite.config.ts, offline()) */
/* TLS Lab service worker (template: the build writes it to dist/sw.js with the two constants filled in, see
 * vite.config.ts). Precaches the built site so it works offline. Same-origin GETs only; page loads go to the
 * network first (so a new build is picked up) and fall back to the cache; hashed assets come from the cache
 * first. It never talks to another origin. Each build has its own cache name, so a new deploy changes this
 * file's bytes, the browser installs the new worker, and `activate` deletes the previous build's cache. */
const CACHE = __CACHE_NAME__;
const PRECACHE = __PRECACHE_FILES__;

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      await cache.addAll(['./', ...PRECACHE]);
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const key of await caches.keys())
        if (key.startsWith('tls-lab-') && key !== CACHE) await caches.delete(key);
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
