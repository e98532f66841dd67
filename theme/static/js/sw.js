/* Service worker of timeline digests: keeps visited pages and the theme's files for offline
 * reading. The build copies this file to the site root as sw.js (so its scope is the site's
 * folder) and replaces the version below with a hash of the theme's files.
 *   - pages and data (HTML, search index, JSON, feeds): network first, the cached copy when
 *     offline (pages also without their ?query, so search.html?q=… opens offline);
 *   - theme files (<root>/theme/…): cache first; a new theme means a new version, whose
 *     activation deletes this site's older caches (other sites on the same origin are left).
 */
"use strict";

var VERSION = "__TIMELINE_VERSION__";
var SCOPE = self.registration.scope;
var PREFIX = "timeline-digests " + SCOPE + " ";
var CACHE = PREFIX + VERSION;
var THEME = SCOPE + "theme/";

self.addEventListener("install", function () {
  self.skipWaiting();
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (key) {
      return key.indexOf(PREFIX) === 0 && key !== CACHE;
    }).map(function (key) { return caches.delete(key); }));
  }).then(function () { return self.clients.claim(); }));
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET" || request.url.indexOf(SCOPE) !== 0) { return; }
  var path = new URL(request.url).pathname;
  if (/\.zip$/.test(path)) { return; }  /* the download is not worth a second copy */
  if (request.url.indexOf(THEME) === 0) {
    event.respondWith(cacheFirst(request));
  } else {
    event.respondWith(networkFirst(request));
  }
});

function keep(request, response) {
  if (response && response.ok && response.type === "basic") {
    var copy = response.clone();
    caches.open(CACHE).then(function (cache) { return cache.put(request, copy); });
  }
  return response;
}

function cacheFirst(request) {
  return caches.open(CACHE).then(function (cache) {
    return cache.match(request).then(function (hit) {
      return hit || fetch(request).then(function (response) { return keep(request, response); });
    });
  });
}

function networkFirst(request) {
  return fetch(request).then(function (response) {
    return keep(request, response);
  }, function (error) {
    return caches.open(CACHE).then(function (cache) {
      return cache.match(request).then(function (hit) {
        return hit || cache.match(request, {ignoreSearch: true});
      });
    }).then(function (hit) {
      if (hit) { return hit; }
      throw error;
    });
  });
}
