/* Tandem's service worker: vendored, no build step. Served from /sw.js
 * (tandem/core/pwa.py) so its scope is the whole site.
 *
 * What it keeps, and only that:
 *   - the neutral offline page (the same for everyone; fetched without
 *     cookies), shown when a page can't be reached;
 *   - static files under /static/ (styles, scripts, icons).
 * It NEVER keeps a page: navigations go to the network every time and are
 * not stored, signed in or not; nor any response marked no-store or private.
 * So nothing a couple wrote is ever in this worker's caches.
 *
 * It also shows web push notifications. Their words come from the server
 * and are always neutral ("Something is waiting for you").
 */
"use strict";

var CACHE = "tandem-static-v1";
var OFFLINE_URL = "__OFFLINE_URL__";
var STATIC_PREFIX = "__STATIC_URL__";

/* The one rule for what may be stored; kept apart so a test can read it. */
function cacheable(request, response) {
  var url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return false;
  if (url.pathname.indexOf(STATIC_PREFIX) !== 0) return false;
  if (!response || !response.ok || response.type !== "basic") return false;
  var control = (response.headers.get("Cache-Control") || "").toLowerCase();
  return control.indexOf("no-store") === -1 && control.indexOf("private") === -1;
}

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(CACHE).then(function (cache) {
      return fetch(OFFLINE_URL, { credentials: "omit", cache: "no-store" }).then(function (response) {
        if (!response.ok) throw new Error("offline page: " + response.status);
        return cache.put(OFFLINE_URL, response);
      });
    }).then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) { return name !== CACHE; }).map(function (name) {
        return caches.delete(name);
      }));
    }).then(function () { return self.clients.claim(); })
  );
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  if (request.mode === "navigate") {
    // Always the network; never stored. Only when it fails: the neutral page.
    event.respondWith(fetch(request).catch(function () {
      return caches.match(OFFLINE_URL);
    }));
    return;
  }
  var url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname.indexOf(STATIC_PREFIX) !== 0) return;
  // Static files have hashed names (whitenoise): one found in the cache is current.
  event.respondWith(caches.open(CACHE).then(function (cache) {
    return cache.match(request).then(function (found) {
      if (found) return found;
      return fetch(request).then(function (response) {
        if (cacheable(request, response)) cache.put(request, response.clone());
        return response;
      });
    });
  }));
});

self.addEventListener("push", function (event) {
  var data = {};
  try { data = event.data ? event.data.json() : {}; } catch (e) { data = {}; }
  event.waitUntil(self.registration.showNotification(data.title || "Tandem", {
    body: data.body || "",
    icon: STATIC_PREFIX + "tandem/icon-192.png",
    // One notification on screen at a time: a new one replaces the last.
    tag: "tandem",
    data: { url: data.url || "/" }
  }));
});

self.addEventListener("notificationclick", function (event) {
  event.notification.close();
  var target = new URL((event.notification.data && event.notification.data.url) || "/", self.location.origin);
  if (target.origin !== self.location.origin) target = new URL("/", self.location.origin);
  event.waitUntil(self.clients.matchAll({ type: "window", includeUncontrolled: true }).then(function (open) {
    for (var i = 0; i < open.length; i++) {
      if ("focus" in open[i]) { open[i].navigate(target.href); return open[i].focus(); }
    }
    return self.clients.openWindow(target.href);
  }));
});
