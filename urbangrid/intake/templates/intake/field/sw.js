{% autoescape off %}// The field app's service worker: keeps the app shell so the app opens without signal.
// API calls are never answered from a cache: submissions wait in the page's IndexedDB queue.
const CACHE = "urbangrid-field-{{ version }}";
const SHELL = {{ shell }};

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((c) => c.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith("urbangrid-field-") && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const req = event.request;
  const url = new URL(req.url);
  if (req.method !== "GET" || url.origin !== self.location.origin || url.pathname.startsWith("/api/")) return;
  if (req.mode === "navigate") {
    // The page first, so a new login or version shows at once; the kept copy when offline.
    event.respondWith(
      fetch(req).then((resp) => {
        if (resp.ok && !resp.redirected) caches.open(CACHE).then((c) => c.put(url.pathname, resp.clone()));
        return resp;
      }).catch(() => caches.match(url.pathname)),
    );
    return;
  }
  event.respondWith(caches.match(req).then((hit) => hit || fetch(req)));
});
{% endautoescape %}
