/* Service worker of timeline digests: keeps visited pages and the theme's files for offline
 * reading. The build copies this file to the site root as sw.js (so its scope is the site's
 * folder) and replaces the version below with a hash of the theme's files.
 *   - pages and data (HTML, search index, JSON, feeds): network first, the cached copy when
 *     offline (pages also without their ?query, so search.html?q=… opens offline);
 *   - theme files (<root>/theme/…): cache first; a new theme means a new version, whose
 *     activation deletes this site's older caches (other sites on the same origin are left);
 *   - on install it keeps the offline page, the front page, the latest digests and the theme
 *     (PRECACHE, set by the build), so a reader can open them offline without a visit first;
 *   - a page that is neither reachable nor kept opens offline.html, which lists what is kept.
 */
"use strict";

var VERSION = "__TIMELINE_VERSION__";
var SCOPE = self.registration.scope;
var PREFIX = "timeline-digests " + SCOPE + " ";
var CACHE = PREFIX + VERSION;
var THEME = SCOPE + "theme/";
var PRECACHE = __TIMELINE_PRECACHE__;
var OFFLINE = SCOPE + "offline.html";

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) {
    return cache.addAll(PRECACHE.map(function (path) { return SCOPE + path; }));
  }).catch(function () { /* kept page by page as they are read, then */ })
    .then(function () { return self.skipWaiting(); }));
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
    event.respondWith(networkFirst(request).catch(function (error) {
      if (request.mode !== "navigate") { throw error; }
      return caches.open(CACHE).then(function (cache) {
        return cache.match(OFFLINE);
      }).then(function (page) {
        if (!page) { throw error; }
        /* A redirect, so that the page's links are relative to its own address. */
        return Response.redirect(OFFLINE + "?page=" + encodeURIComponent(request.url), 302);
      });
    }));
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
