/* Service worker of timeline digests: keeps visited pages and the theme's files for offline
 * reading. The build writes this file to the site root as sw.js (so its scope is the site's
 * folder), the version below replaced by a hash of the theme's static files.
 *   - pages and data (HTML, search index, JSON, feeds): network first, the cached copy when
 *     offline or when the server answers with an error of its own (5xx: GitHub Pages has
 *     outages); each kept once, without its ?query (search.html?q=… opens search.html);
 *   - theme files (<root>/theme/…): cache first; a new theme means a new version, whose
 *     activation deletes this site's older caches (other sites on the same origin are left),
 *     once it has taken over the pages and data they kept;
 *   - on install it keeps the offline page, the front page, the pages every page's header
 *     links (the section indexes, the menu's pages), the latest digests and the theme
 *     (PRECACHE, set by the build), so a reader can open them offline without a visit first:
 *     each asked of the server (not taken from the HTTP cache, which may hold last build's
 *     copy), each on its own (a file the server lacks is skipped, the others kept); without
 *     a connection the install fails, and the browser tries again on the next page opened;
 *   - the site's folder (…/timeline/) is its front page, index.html;
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
    return Promise.all(PRECACHE.map(function (path) {
      var url = SCOPE + path;
      return fetch(new Request(url, {cache: "no-cache"})).then(function (response) {
        return store(cache, url, response);
      });
    }));
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(Promise.all([caches.open(CACHE), caches.keys()]).then(function (both) {
    return Promise.all(both[1].filter(function (key) {
      return key.indexOf(PREFIX) === 0 && key !== CACHE;
    }).map(function (key) {
      return carry(key, both[0]).then(function () { return caches.delete(key); });
    }));
  }).then(function () { return self.clients.claim(); }));
});

/* The pages and data an older version kept, into `cache` where it has none of its own (its
 * theme files are not: the new theme's replace them), so a reader keeps what was read. */
function carry(key, cache) {
  return caches.open(key).then(function (old) {
    return old.keys().then(function (requests) {
      return Promise.all(requests.filter(function (request) {
        return request.url.indexOf(THEME) !== 0;
      }).map(function (request) {
        return cache.match(request).then(function (hit) {
          return hit || old.match(request).then(function (response) {
            return response && cache.put(request, response);
          });
        });
      }));
    });
  });
}

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

/* A response worth keeping: a whole file of this site (no error, no redirect, no other site's). */
function store(cache, request, response) {
  if (response && response.ok && response.type === "basic" && !response.redirected) {
    return cache.put(request, response);
  }
  return Promise.resolve();
}

/* Kept without its ?query: a static host answers every query of a file with that file. */
function keep(request, response) {
  var copy = response.clone();
  var url = new URL(request.url);
  url.search = "";
  caches.open(CACHE).then(function (cache) { return store(cache, url.href, copy); });
  return response;
}

function cacheFirst(request) {
  return caches.open(CACHE).then(function (cache) {
    return cache.match(request).then(function (hit) {
      return hit || fetch(request).then(function (response) { return keep(request, response); });
    });
  });
}

/* The server's answer, kept; a server error (5xx: a host's outage) gives way to the copy kept
 * earlier when there is one; without a connection the copy kept, else the error. */
function networkFirst(request) {
  return fetch(request).then(function (response) {
    if (response.status < 500) { return keep(request, response); }
    return keptCopy(request).then(function (hit) { return hit || response; });
  }, function (error) {
    return keptCopy(request).then(function (hit) {
      if (hit) { return hit; }
      throw error;
    });
  });
}

/* The copy kept of `request`: as asked, else without its ?query, else a folder's index.html. */
function keptCopy(request) {
  return caches.open(CACHE).then(function (cache) {
    return cache.match(request).then(function (hit) {
      return hit || cache.match(request, {ignoreSearch: true});
    }).then(function (hit) {
      var url = new URL(request.url);
      if (hit || !/\/$/.test(url.pathname)) { return hit; }
      url.search = "";
      return cache.match(url.href + "index.html");
    });
  });
}
