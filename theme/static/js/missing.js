/* The page of a partial download that stands for the pages it does not hold
 * (not-in-download.html?page=<path>): names the page asked for and, when the copy knows the
 * website's address, links it there.
 */
(function () {
  "use strict";
  var name = new URLSearchParams(window.location.search).get("page");
  var line = document.getElementById("missing-page");
  var code = document.getElementById("missing-name");
  if (!name || !line || !code || /^[a-z][a-z0-9+.-]*:|^\/|(^|\/)\.\.(\/|$)/i.test(name)) { return; }
  code.textContent = name;
  var online = document.getElementById("missing-online");
  if (online) {
    online.href = online.getAttribute("data-site") + name;
    online.textContent = online.href;
  }
  line.hidden = false;
})();
