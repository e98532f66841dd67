/* The offline page (offline.html): links the page asked for (sw.js's ?page=) and lists the
 * pages this browser kept for this site (sw.js's cache), so a reader who is offline sees what
 * can still be opened: those the page does not list already, of this site only (a user site
 * and a project site share an origin: its caches are named "timeline-digests <site address>
 * <version>"). Lists nothing where there is no cache (file://: a downloaded copy has every
 * page anyway).
 */
(function () {
  "use strict";
  var list = document.getElementById("kept-read-list");
  var section = document.getElementById("kept-read-section");
  if (!list || !section) { return; }
  var root = new URL(list.getAttribute("data-root") || "./", window.location.href).href;
  showAsked(root);
  if (!window.caches) { return; }
  var prefix = "timeline-digests " + root + " ";
  var seen = {"offline.html": true};  /* what this page links already */
  Array.prototype.forEach.call(document.querySelectorAll(".kept-pages a[href]"), function (link) {
    if (link.href.indexOf(root) === 0) { seen[link.href.slice(root.length)] = true; }
  });
  caches.keys().then(function (keys) {
    var own = keys.filter(function (key) { return key.indexOf(prefix) === 0; });
    return Promise.all(own.map(function (key) {
      return caches.open(key).then(function (cache) { return cache.keys(); });
    }));
  }).then(function (lists) {
    var pages = [];
    lists.forEach(function (requests) {
      requests.forEach(function (request) {
        var url = new URL(request.url);
        url.search = "";
        var path = url.href.slice(root.length);
        if (url.href.indexOf(root) !== 0 || !/\.html$/.test(path) || seen[path]) { return; }
        seen[path] = true;
        pages.push(path);
      });
    });
    pages.sort();
    pages.forEach(function (path) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = root + path;
      link.textContent = path.replace(/\/index\.html$/, "/").replace(/\.html$/, "");
      item.appendChild(link);
      list.appendChild(item);
    });
    section.hidden = pages.length === 0;
  }).catch(function () { /* no list then; the digests above still open */ });

  /* The page sw.js could not open (offline.html?page=<its address>), linked to open when the
   * reader is connected again: a page of this site only. */
  function showAsked(root) {
    var asked = new URLSearchParams(window.location.search).get("page");
    var line = document.getElementById("asked-page");
    var link = document.getElementById("asked-link");
    if (!asked || !line || !link || asked.indexOf(root) !== 0) { return; }
    link.href = asked;
    link.textContent = asked.slice(root.length) || "index.html";
    line.hidden = false;
  }
})();
