/* Offline reading over http(s): registers the site's service worker (sw.js at the site root,
 * so its scope is the site's own folder, e.g. /timeline/ on a GitHub Pages project site).
 * Does nothing under file:// (service workers need http(s)), in browsers without service
 * workers, or on plain-http hosts that are not a secure context.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  var protocol = window.location.protocol;
  if (!script || !("serviceWorker" in navigator) || (protocol !== "https:" && protocol !== "http:")) {
    return;
  }
  var root = new URL("../../", script.src);  /* this file is <root>/theme/js/offline.js */
  if (root.origin !== window.location.origin) { return; }
  navigator.serviceWorker.register(new URL("sw.js", root).href, {scope: root.href})
    .catch(function () { /* no offline copy then; the site works as before */ });
})();
