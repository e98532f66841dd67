/* Search page of timeline digests.
 *
 * Reads window.TIMELINE_SEARCH, set by search/index.js (a classic script made by the build),
 * so it works from file:// as well as over http(s): no fetch, no modules, no workers.
 * Results are built with DOM methods only: index text is never parsed as HTML.
 * Index format: docs/search-index.md. Query state lives in the address (?q=&region=&speaker=
 * &from=&to=), so a search can be linked and the header's search box can start one.
 */
(function () {
  "use strict";

  var PAGE = 50;
  var MAX_TERMS = 20;
  var DAY_MS = 86400000;
  var MARKS = /\p{M}/gu;
  var WORD = /[\p{L}\p{N}]+/gu;
  var TEXT_WORD = /[\p{L}\p{N}\p{M}]+/gu;
  var KINDS = ["Place", "Person", "Article", "Development", "Quote"];
  var KIND_CLASSES = ["region", "speaker", "article", "event", "quote"];

  function normalise(text) {
    return String(text).normalize("NFKD").replace(MARKS, "").toLowerCase();
  }

  function queryTerms(text) {
    var found = normalise(text).match(WORD) || [];
    var seen = Object.create(null);
    var terms = [];
    for (var i = 0; i < found.length && terms.length < MAX_TERMS; i++) {
      if (!seen[found[i]]) { seen[found[i]] = true; terms.push(found[i]); }
    }
    return terms;
  }

  function isoDay(number) {
    return new Date(number * DAY_MS).toISOString().slice(0, 10);
  }

  function dayNumber(value) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value || "");
    return m ? Math.round(Date.UTC(+m[1], +m[2] - 1, +m[3]) / DAY_MS) : null;
  }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (all, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? values[key] : all;
    });
  }

  /* ---- the index ------------------------------------------------------------------------ */

  function Index(data) {
    this.data = data;
    this.regions = data.regions;
    this.speakers = data.speakers;
    this.articles = data.articles;
    this.events = data.events;
    this.quotes = data.quotes;
    this.terms = data.terms;
    this.postingText = data.postings;
    this.decoded = new Array(data.terms.length);
    var sizes = [this.regions.length, this.speakers.length, this.articles.length,
                 this.events.length, this.quotes.length];
    this.starts = [0];
    for (var k = 0; k < sizes.length; k++) { this.starts.push(this.starts[k] + sizes[k]); }
    this.total = this.starts[5];
    this.regionIds = Object.create(null);
    for (var r = 0; r < this.regions.length; r++) { this.regionIds[this.regions[r][0]] = r; }
    this.speakerIds = Object.create(null);
    for (var s = 0; s < this.speakers.length; s++) { this.speakerIds[this.speakers[s][0]] = s; }
    this.flatten();
    this.children = this.regions.map(function () { return []; });
    this.roots = [];
    for (r = 0; r < this.regions.length; r++) {
      var parent = this.regions[r][2];
      (parent >= 0 ? this.children[parent] : this.roots).push(r);
    }
  }

  var NO_DAY = -2147483648;

  /* Per-document kind, day, regions and speakers in flat typed arrays, made once at load, so
     a search is a few passes over numbers. */
  Index.prototype.flatten = function () {
    var n = this.total;
    this.kindOf = new Uint8Array(n);
    this.days = new Int32Array(n);
    this.regionStart = new Int32Array(n + 1);
    this.speakerStart = new Int32Array(n + 1);
    var regionList = [], speakerList = [], kind = 0;
    for (var d = 0; d < n; d++) {
      while (d >= this.starts[kind + 1]) { kind++; }
      var local = d - this.starts[kind];
      this.kindOf[d] = kind;
      var day = this.docDay(kind, local);
      this.days[d] = day === null ? NO_DAY : day;
      this.regionStart[d] = regionList.length;
      Array.prototype.push.apply(regionList, this.docRegions(kind, local) || []);
      this.speakerStart[d] = speakerList.length;
      Array.prototype.push.apply(speakerList, this.docSpeakers(kind, local) || []);
    }
    this.regionStart[n] = regionList.length;
    this.speakerStart[n] = speakerList.length;
    this.regionList = Int32Array.from(regionList);
    this.speakerList = Int32Array.from(speakerList);
  };

  Index.prototype.kind = function (doc) {
    var k = 0;
    while (doc >= this.starts[k + 1]) { k++; }
    return k;
  };

  /* Base-32 varint digits of the postings (see generator/search.py): FINAL ends a number. */
  var FINAL = "0123456789abcdefghijklmnopqrstuv";
  var MORE = "ABCDEFGHIJKLMNOPQRSTUVWXYZwxyz_-";
  var DIGIT = new Int8Array(128).fill(-1);
  for (var c = 0; c < 32; c++) {
    DIGIT[FINAL.charCodeAt(c)] = c;
    DIGIT[MORE.charCodeAt(c)] = 32 + c;
  }

  Index.prototype.postings = function (i) {
    var list = this.decoded[i];
    if (!list) {
      var text = this.postingText[i];
      var out = new Int32Array(text.length);
      var count = 0, value = 0, at = 0;
      for (var j = 0; j < text.length; j++) {
        var digit = DIGIT[text.charCodeAt(j)];
        if (digit >= 32) { value = value * 32 + digit - 32; }
        else { at += value * 32 + digit; out[count++] = at; value = 0; }
      }
      list = this.decoded[i] = out.subarray(0, count);
    }
    return list;
  };

  Index.prototype.firstTermFrom = function (term) {
    var lo = 0, hi = this.terms.length;
    while (lo < hi) {
      var mid = (lo + hi) >>> 1;
      if (this.terms[mid] < term) { lo = mid + 1; } else { hi = mid; }
    }
    return lo;
  };

  /* Regions a document is about (indexes), or null when it has none. */
  Index.prototype.docRegions = function (kind, local) {
    switch (kind) {
      case 0: return [local];
      case 2: return this.articles[local][4];
      case 3: return this.events[local][4];
      case 4: return this.articles[this.quotes[local][0]][4];
      default: return null;
    }
  };

  Index.prototype.docSpeakers = function (kind, local) {
    switch (kind) {
      case 1: return [local];
      case 2: return this.articles[local][5];
      case 3: return this.events[local][5];
      case 4: return [this.quotes[local][4]];
      default: return null;
    }
  };

  Index.prototype.docDay = function (kind, local) {
    switch (kind) {
      case 2: return this.articles[local][3];
      case 3: return this.events[local][2];
      case 4: return this.quotes[local][2];
      default: return null;
    }
  };

  Index.prototype.subtree = function (region) {
    var inside = new Uint8Array(this.regions.length);
    var stack = [region];
    while (stack.length) {
      var r = stack.pop();
      if (inside[r]) { continue; }
      inside[r] = 1;
      Array.prototype.push.apply(stack, this.children[r]);
    }
    return inside;
  };

  /* Every document matching all terms (each a prefix of one of its words) and the filters,
     best first: more exact words, then places and people, then newest. At most 2^20
     documents (the sort key packs the document number into 20 bits). */
  Index.prototype.search = function (terms, filters) {
    var n = this.total;
    var matched = null, score = null, candidates = null, count = n, t, d;
    if (terms.length) {
      matched = new Uint8Array(n);
      score = new Uint8Array(n);
      candidates = new Int32Array(n);
      count = 0;
      var last = terms.length - 1;
      for (t = 0; t < terms.length; t++) {
        var term = terms[t];
        for (var i = this.firstTermFrom(term); i < this.terms.length; i++) {
          var word = this.terms[i];
          if (word.lastIndexOf(term, 0) !== 0) { break; }
          var exact = word.length === term.length;
          if (!exact && term.length < 2) { break; }
          var list = this.postings(i);
          for (var j = 0; j < list.length; j++) {
            d = list[j];
            if (matched[d] === t) {
              matched[d] = t + 1;
              score[d] += exact ? 2 : 1;
              if (t === last) { candidates[count++] = d; }
            } else if (exact && matched[d] === t + 1) {
              score[d] += 1;
            }
          }
        }
      }
    }
    var inside = filters.region === null ? null : this.subtree(filters.region);
    var speaker = filters.speaker;
    var ranged = filters.from !== null || filters.to !== null;
    var from = filters.from === null ? NO_DAY + 1 : filters.from;
    var to = filters.to === null ? 2147483647 : filters.to;
    var kinds = this.kindOf, days = this.days;
    var regionStart = this.regionStart, regionList = this.regionList;
    var speakerStart = this.speakerStart, speakerList = this.speakerList;
    var keys = new Float64Array(count), kept = 0, k;
    for (var c = 0; c < count; c++) {
      d = candidates ? candidates[c] : c;
      if (inside) {
        for (k = regionStart[d]; k < regionStart[d + 1] && !inside[regionList[k]]; k++) { /**/ }
        if (k === regionStart[d + 1]) { continue; }
      }
      if (speaker !== null) {
        for (k = speakerStart[d]; k < speakerStart[d + 1] && speakerList[k] !== speaker; k++) { /**/ }
        if (k === speakerStart[d + 1]) { continue; }
      }
      var day = days[d];
      if (ranged && (day === NO_DAY || day < from || day > to)) { continue; }
      var dayKey = day === NO_DAY ? 0 : Math.max(0, Math.min(131071, day + 65536));
      var group = kinds[d] < 2 ? 1 : 0;
      keys[kept++] = (((score ? score[d] : 0) * 2 + group) * 131072 + dayKey) * 1048576 + d;
    }
    var sorted = keys.subarray(0, kept).sort();
    var docs = new Array(kept);
    for (k = 0; k < kept; k++) { docs[k] = sorted[kept - 1 - k] % 1048576; }
    return docs;
  };

  /* ---- one result ------------------------------------------------------------------------ */

  Index.prototype.describe = function (doc) {
    var kind = this.kind(doc), local = doc - this.starts[kind], urls = this.data.urls, self = this;
    var names = function (list) {
      return (list || []).map(function (r) { return self.regions[r][1]; }).join(", ");
    };
    var articleUrl = function (a) { return fill(urls.article, {slug: self.articles[a][0]}); };
    var anchor = function (pattern, a, value) {
      return typeof value === "number" ? fill(pattern, {slug: self.articles[a][0], n: value})
                                       : value;
    };
    var item, result = {kind: kind, day: this.docDay(kind, local)};
    if (kind === 0) {
      item = this.regions[local];
      result.url = fill(urls.region, {id: item[0]});
      result.title = item[1];
      var where = item[2] >= 0 ? "in " + this.regions[item[2]][1] : "";
      var kindName = item[4] ? item[4].charAt(0).toUpperCase() + item[4].slice(1) : "";
      result.meta = [kindName, where].filter(Boolean).join(" ");
      result.detail = item[3].length ? "Also known as " + item[3].join(", ") : "";
    } else if (kind === 1) {
      item = this.speakers[local];
      result.url = fill(urls.speaker, {id: item[0]});
      result.title = item[1];
      result.meta = item[2];
      result.detail = item[3].length ? "Also known as " + item[3].join(", ") : "";
    } else if (kind === 2) {
      item = this.articles[local];
      result.url = articleUrl(local);
      result.title = item[1];
      result.meta = names(item[4]);
      result.detail = item[2];
    } else if (kind === 3) {
      item = this.events[local];
      result.url = articleUrl(item[0]) + "#" + anchor(urls.event, item[0], item[1]);
      result.title = item[3];
      result.meta = names(item[4]);
      result.detail = "From: " + this.articles[item[0]][1];
    } else {
      item = this.quotes[local];
      result.url = articleUrl(item[0]) + "#" + anchor(urls.quote, item[0], item[1]);
      result.title = "\u201c" + item[3] + "\u201d";
      result.meta = "\u2014 " + this.speakers[item[4]][1] + (item[5] ? ", " + item[5] : "");
      result.detail = "From: " + this.articles[item[0]][1];
    }
    return result;
  };

  function appendMarked(parent, text, terms) {
    if (!terms.length) { parent.appendChild(document.createTextNode(text)); return; }
    var last = 0, m;
    TEXT_WORD.lastIndex = 0;
    while ((m = TEXT_WORD.exec(text)) !== null) {
      var word = normalise(m[0]);
      var hit = terms.some(function (t) {
        return word.lastIndexOf(t, 0) === 0 && (t.length > 1 || word.length === 1);
      });
      if (!hit) { continue; }
      if (m.index > last) { parent.appendChild(document.createTextNode(text.slice(last, m.index))); }
      var mark = document.createElement("mark");
      mark.textContent = m[0];
      parent.appendChild(mark);
      last = m.index + m[0].length;
    }
    if (last < text.length) { parent.appendChild(document.createTextNode(text.slice(last))); }
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text) { node.textContent = text; }
    return node;
  }

  function renderResult(result, root, terms) {
    var li = element("li", "search-result search-result--" + KIND_CLASSES[result.kind]);
    var meta = element("p", "search-meta");
    meta.appendChild(element("span", "search-kind", KINDS[result.kind]));
    if (result.day !== null) {
      meta.appendChild(document.createTextNode(" \u00b7 "));
      var time = element("time", "", isoDay(result.day));
      time.setAttribute("datetime", isoDay(result.day));
      meta.appendChild(time);
    }
    if (result.meta) { meta.appendChild(document.createTextNode(" \u00b7 " + result.meta)); }
    var title = element("p", "search-title");
    var link = element("a");
    link.href = root + result.url;
    appendMarked(link, result.title, terms);
    title.appendChild(link);
    li.appendChild(title);
    li.appendChild(meta);
    if (result.detail) {
      var detail = element("p", "search-detail");
      appendMarked(detail, result.detail, terms);
      li.appendChild(detail);
    }
    return li;
  }

  /* ---- the page --------------------------------------------------------------------------- */

  function regionOptions(index, select) {
    var add = function (r, depth) {
      var option = document.createElement("option");
      option.value = index.regions[r][0];
      option.textContent = new Array(depth + 1).join("\u00a0\u00a0\u00a0") + index.regions[r][1];
      select.appendChild(option);
      byName(index.children[r]).forEach(function (c) { add(c, depth + 1); });
    };
    var byName = function (list) {
      return list.slice().sort(function (a, b) {
        return index.regions[a][1].localeCompare(index.regions[b][1]);
      });
    };
    byName(index.roots).forEach(function (r) { add(r, 0); });
  }

  function speakerOptions(index, select) {
    index.speakers.map(function (s) { return s; })
      .sort(function (a, b) { return a[1].localeCompare(b[1]); })
      .forEach(function (s) {
        var option = document.createElement("option");
        option.value = s[0];
        option.textContent = s[1];
        select.appendChild(option);
      });
  }

  function start() {
    var form = document.getElementById("search-form");
    if (!form) { return; }
    var status = document.getElementById("search-status");
    var list = document.getElementById("search-results");
    var more = document.getElementById("search-more");
    var fields = {q: form.elements.q, region: form.elements.region, speaker: form.elements.speaker,
                  from: form.elements.from, to: form.elements.to};
    var data = window.TIMELINE_SEARCH;
    if (!data || data.version !== 1) {
      status.textContent = "The search index did not load. Browse the regions, speakers and days instead.";
      form.setAttribute("data-ready", "error");
      return;
    }
    var index = new Index(data);
    var root = form.getAttribute("data-root") || "";
    regionOptions(index, fields.region);
    speakerOptions(index, fields.speaker);

    var params = new URLSearchParams(window.location.search);
    Object.keys(fields).forEach(function (name) {
      if (params.has(name)) { fields[name].value = params.get(name); }
    });

    var shown = [], shownCount = 0, currentTerms = [];

    function renderMore() {
      var fragment = document.createDocumentFragment();
      var end = Math.min(shown.length, shownCount + PAGE);
      for (var i = shownCount; i < end; i++) {
        fragment.appendChild(renderResult(index.describe(shown[i]), root, currentTerms));
      }
      list.appendChild(fragment);
      shownCount = end;
      more.hidden = shownCount >= shown.length;
    }

    function run(updateAddress) {
      var started = performance.now();
      var terms = queryTerms(fields.q.value);
      var region = fields.region.value in index.regionIds ? index.regionIds[fields.region.value] : null;
      var speaker = fields.speaker.value in index.speakerIds ? index.speakerIds[fields.speaker.value] : null;
      var filters = {region: region, speaker: speaker, from: dayNumber(fields.from.value),
                     to: dayNumber(fields.to.value)};
      list.textContent = "";
      shown = [];
      shownCount = 0;
      currentTerms = terms;
      var anyFilter = region !== null || speaker !== null || filters.from !== null || filters.to !== null;
      if (!terms.length && !anyFilter) {
        status.textContent = "Type a word or pick a filter.";
        more.hidden = true;
      } else {
        shown = index.search(terms, filters);
        renderMore();
        status.textContent = shown.length === 0 ? "No results." :
          shown.length === 1 ? "1 result." : shown.length.toLocaleString("en") + " results.";
      }
      window.TIMELINE_SEARCH_LAST = {ms: performance.now() - started, count: shown.length};
      if (updateAddress) { remember(); }
    }

    function remember() {
      var query = new URLSearchParams();
      Object.keys(fields).forEach(function (name) {
        if (fields[name].value) { query.set(name, fields[name].value); }
      });
      var text = query.toString();
      try {
        window.history.replaceState(null, "", text ? "?" + text : window.location.pathname);
      } catch (ignored) { /* some browsers refuse for file:// pages; the search still works */ }
    }

    form.addEventListener("submit", function (event) { event.preventDefault(); run(true); });
    fields.q.addEventListener("input", function () { run(true); });
    ["region", "speaker", "from", "to"].forEach(function (name) {
      fields[name].addEventListener("change", function () { run(true); });
    });
    more.addEventListener("click", renderMore);
    run(false);
    window.TIMELINE_SEARCH_READY_MS = performance.now();
    form.setAttribute("data-ready", "true");
  }

  window.TimelineSearch = {normalise: normalise, queryTerms: queryTerms};

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
