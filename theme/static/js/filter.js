/* Region pages: filter the timeline of this page by a child region, without reloading.
 *
 * Progressive enhancement. The page ships the control hidden (.region-filter[hidden]) and
 * every development as <li class="event" data-regions="id parent ... root">; without this
 * script the control stays hidden and the whole timeline is shown. No network, no storage,
 * no inline script (the pages' CSP is script-src 'self'). */
(function () {
  "use strict";

  var box = document.querySelector(".region-filter");
  var timeline = document.querySelector(".timeline");
  if (!box || !timeline) {
    return;
  }
  var select = box.querySelector("select");
  var status = box.querySelector(".region-filter-status");
  var events = Array.prototype.slice.call(timeline.querySelectorAll("li.event[data-regions]"));
  var days = Array.prototype.slice.call(timeline.querySelectorAll("section.day"));
  var jumps = Array.prototype.slice.call(document.querySelectorAll(".jump-to-date li"));
  if (!select || !events.length) {
    return;
  }

  function inRegion(item, id) {
    return !id || (" " + item.getAttribute("data-regions") + " ").indexOf(" " + id + " ") !== -1;
  }

  // How many developments of this page each option would show, written into the option.
  Array.prototype.forEach.call(select.options, function (option) {
    var n = events.filter(function (item) { return inRegion(item, option.value); }).length;
    option.textContent = option.textContent + " (" + n + ")";
    if (!n) {
      option.disabled = true;
    }
  });

  function apply() {
    var id = select.value;
    var shown = 0;
    events.forEach(function (item) {
      var keep = inRegion(item, id);
      item.hidden = !keep;
      if (keep) {
        shown += 1;
      }
    });
    var visibleDays = {};
    days.forEach(function (day) {
      var any = day.querySelector("li.event:not([hidden])") !== null;
      day.hidden = !any;
      if (any && day.id) {
        visibleDays["#" + day.id] = true;
      }
    });
    jumps.forEach(function (item) {
      var link = item.querySelector("a");
      item.hidden = Boolean(link) && !visibleDays[link.getAttribute("href")];
    });
    var name = select.options[select.selectedIndex].textContent.replace(/ \(\d+\)$/, "");
    status.textContent = id
      ? "Showing " + shown + " of " + events.length + " developments on this page: " + name + "."
      : "";
  }

  select.addEventListener("change", apply);
  box.hidden = false;
  apply(); // a value the browser restored (back/forward, reload) applies at once
}());
