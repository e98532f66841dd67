/* The offline page (offline.html): lists the pages this browser kept for this site (sw.js's
 * cache), so a reader who is offline sees what can still be opened: those the page does not
 * list already, of this site only (a user site and a project site share an origin: its
 * caches are named "timeline-digests <site address> <version>"). Does nothing where there
 * is no cache (file://: a downloaded copy has every page anyway).
 */
(function () {
  "use strict";
  var list = document.getElementById("kept-read-list");
  var section = document.getElementById("kept-read-section");
  if (!list || !section || !window.caches) { return; }
  var root = new URL(list.getAttribute("data-root") || "./", window.location.href).href;
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
})();
