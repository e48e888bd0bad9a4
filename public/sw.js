// The portal's service worker: an installable app that still helps when the phone is offline.
//
// * Pages are always fetched from the network first. Only the resident's own booking pages
//   (/bookings and /bookings/CODE) are kept, so they can be shown offline, marked as a saved
//   copy with the time it was saved, and without the app script (a saved copy never pretends
//   to be live).
// * Every other page offline shows /offline.html. Booking pages with free slots are never
//   stored, so a slot list is never served from a cache as if it were current.
// * Server functions and the REST API (POST, /api/) are never touched.
// * Built files under /pkg carry a content hash, so they are kept cache-first; icons too.
const VERSION = "portal-v2";
const SHELL = VERSION + "-shell";
const SAVED = "portal-saved-bookings";
const OFFLINE = "/offline.html";

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(SHELL)
      .then((c) => c.addAll([OFFLINE, "/icons/icon-192.png", "/icons/icon-48.png"]))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(
        keys.filter((k) => k !== SHELL && k !== SAVED).map((k) => caches.delete(k)),
      ))
      .then(() => self.clients.claim()),
  );
});

// A booking the resident can see: the list or one booking (not its cancel/reschedule forms).
function isSavedBookingPage(url) {
  return url.pathname === "/bookings" || /^\/bookings\/[A-Za-z0-9-]+$/.test(url.pathname);
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname.startsWith("/api/")) return;

  if (request.mode === "navigate") {
    event.respondWith(navigate(request, url));
  } else if (url.pathname.startsWith("/pkg/") || url.pathname.startsWith("/icons/")) {
    event.respondWith(cacheFirst(request));
  }
});

async function navigate(request, url) {
  try {
    const response = await fetch(request);
    if (isSavedBookingPage(url) && response.ok) {
      await save(url, response.clone());
    }
    return response;
  } catch (offline) {
    if (isSavedBookingPage(url)) {
      const saved = await caches.open(SAVED).then((c) => c.match(url.pathname));
      if (saved) return savedCopy(saved);
    }
    return (await caches.match(OFFLINE)) || new Response("Offline", { status: 503 });
  }
}

async function save(url, response) {
  const headers = new Headers(response.headers);
  headers.set("x-saved-at", new Date().toISOString());
  const body = await response.blob();
  const cache = await caches.open(SAVED);
  await cache.put(url.pathname, new Response(body, { status: 200, headers }));
}

// The saved page, marked as such, static (its app script removed).
async function savedCopy(saved) {
  let html = await saved.text();
  const en = /<html[^>]*\blang="en"/.test(html);
  const at = new Date(saved.headers.get("x-saved-at") || Date.now());
  const when = at.toLocaleString(en ? "en-GB" : "zh-CN", {
    timeZone: "Asia/Shanghai", month: "long", day: "numeric", weekday: "long",
    hour: "2-digit", minute: "2-digit",
  });
  const note = en
    ? `You are offline. This is the copy saved on ${when}; it may have changed since.`
    : `您现在没有联网。这是 ${when} 保存的副本，之后可能有变化。`;
  html = html
    .replace(/<script type="module">[\s\S]*?<\/script>/g, "")
    .replace(/<main([^>]*)>/, `<main$1><p class="notice offline-note" role="status">${note}</p>`);
  const headers = new Headers(saved.headers);
  headers.delete("content-length");
  headers.delete("content-encoding");
  return new Response(html, { status: 200, headers });
}

async function cacheFirst(request) {
  const cache = await caches.open(SHELL);
  const hit = await cache.match(request);
  if (hit) return hit;
  const response = await fetch(request);
  if (response.ok) {
    // a new build's file replaces the previous one of the same name: cargo-leptos puts a
    // 22-character base64url content hash before the extension, and a page group's chunk
    // also carries a number derived from where its loader sits in the source
    // (`split_resident_pages_<number>.<hash>.wasm`; the shared `chunk_<n>` files keep theirs)
    const unhashed = (path) => path
      .replace(/(\/split_[a-z_]+?)_\d+\./, "$1.")
      .replace(/\.[A-Za-z0-9_-]{22}\.(js|wasm|css)$/, ".*.$1");
    const name = unhashed(new URL(request.url).pathname);
    for (const key of await cache.keys()) {
      const path = new URL(key.url).pathname;
      if (path !== new URL(request.url).pathname && unhashed(path) === name) {
        await cache.delete(key);
      }
    }
    await cache.put(request, response.clone());
  }
  return response;
}
