/* Search page of timeline digests.
 *
 * Reads window.TIMELINE_SEARCH, set by search/index.js (a small manifest made by the build),
 * then loads only the shards a query needs by adding classic <script src> elements: each shard
 * calls window.TIMELINE_SEARCH_SHARD. So it works from file:// as well as over http(s): no
 * fetch, no modules, no workers. Term shards hold the words (by their sorted order) and their
 * postings; document shards the rows (by document number) shown in results.
 * Results are built with DOM methods only: index text is never parsed as HTML.
 * Index format: docs/search-index.md. Query state lives in the address (?q=&region=&speaker=
 * &from=&to=&sort=&group=), so a search can be linked and the header's search box can start one.
 */
(function () {
  "use strict";

  var PAGE = 50;
  var GROUP_PAGE = 10;
  var FIRST = 10; // results shown at once; the rest of the first page follows (fewer shards first)
  var GROUP_FIRST = 4;
  var MAX_TERMS = 20;
  var DAY_MS = 86400000;
  var MARKS = /\p{M}/gu;
  var WORD = /[\p{L}\p{N}]+/gu;
  var TEXT_WORD = /(?:(?!\u02bc)[\p{L}\p{N}\p{M}])+/gu; // a word of shown text, as `words` cuts it
  var PHRASE = /["\u201c\u201d\u201e\u00ab\u00bb]([^"\u201c\u201d\u201e\u00ab\u00bb]*)(["\u201c\u201d\u201e\u00ab\u00bb]|$)/g;
  var KINDS = ["Place", "Person", "Article", "Development", "Quote", "Day"];
  var KIND_CLASSES = ["region", "speaker", "article", "event", "quote", "day"];
  var GROUPS = ["Places", "People", "Articles", "Developments", "Quotes", "Days"];
  var GROUP_ORDER = [0, 1, 3, 4, 2, 5]; // kinds, in the order grouped results show them
  var MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
                "September", "October", "November", "December"];
  var NO_DAY = -2147483648;

  /* As generator/render/search.py `normalise`: NFKD, no marks, lower case; the modifier letter
     apostrophe (Ukrainian "Марʼянка") as an apostrophe, final sigma as sigma, so neither
     depends on how a text was typed. */
  function normalise(text) {
    return String(text).normalize("NFKD").replace(MARKS, "").toLowerCase()
      .replace(/\u02bc/g, "'").replace(/\u03c2/g, "\u03c3");
  }

  function words(text) {
    return normalise(text).match(WORD) || [];
  }

  function queryTerms(text) {
    var found = words(text);
    var seen = Object.create(null);
    var terms = [];
    for (var i = 0; i < found.length && terms.length < MAX_TERMS; i++) {
      if (!seen[found[i]]) { seen[found[i]] = true; terms.push(found[i]); }
    }
    return terms;
  }

  /* A query: its phrases ("…", each a list of words matched in order and adjacent) and its
     words, each {text, exact}. Words of a phrase match exactly, others as prefixes (but
     one-letter words only match themselves). */
  function parseQuery(text) {
    var phrases = [], exact = Object.create(null);
    var rest = String(text).replace(PHRASE, function (all, inside) {
      var found = words(inside);
      found.forEach(function (w) { exact[w] = true; });
      if (found.length > 1) { phrases.push(found); }
      return found.length === 1 ? " " + found[0] + " " : " "; // one word: a word, matched whole
    });
    var terms = queryTerms(phrases.map(function (p) { return p.join(" "); }).join(" ") + " " + rest);
    return {
      phrases: phrases,
      words: terms.map(function (t) { return {text: t, exact: exact[t] === true || t.length < 2}; })
    };
  }

  function isoDay(number) {
    return new Date(number * DAY_MS).toISOString().slice(0, 10);
  }

  function longDay(number) {
    var date = new Date(number * DAY_MS);
    return date.getUTCDate() + " " + MONTHS[date.getUTCMonth()] + " " + date.getUTCFullYear();
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

  function snippet(text, limit) {
    text = String(text).split(/\s+/).join(" ").trim();
    if (text.length <= limit) { return text; }
    var cut = text.slice(0, limit - 1);
    var space = cut.lastIndexOf(" ");
    if (space >= limit / 2) { cut = cut.slice(0, space); }
    return cut.replace(/[ ,;:.\-]+$/, "") + "\u2026";
  }

  /* ---- loading shards ----------------------------------------------------------------------- */

  /* Shards are classic scripts that call window.TIMELINE_SEARCH_SHARD(kind, number, items). */
  function Loader(root, urls, sizes) {
    var self = this;
    this.root = root;
    this.urls = urls;
    this.sizes = sizes;  /* each kind's shard sizes, in bytes (the manifest's) */
    this.bytes = {terms: 0, docs: 0};  /* what the shards loaded so far weigh */
    this.items = {terms: Object.create(null), docs: Object.create(null)};
    this.pending = Object.create(null);
    this.urlsLoaded = [];
    window.TIMELINE_SEARCH_SHARD = function (kind, number, items) {
      // own keys only: a "__proto__" or "constructor" kind must not reach Object's prototype
      if (Object.prototype.hasOwnProperty.call(self.items, kind)) { self.items[kind][number] = items; }
    };
  }

  Loader.prototype.has = function (kind, number) {
    return this.items[kind][number] !== undefined;
  };

  Loader.prototype.load = function (kind, number) {
    var self = this, key = kind + number;
    if (this.has(kind, number)) { return Promise.resolve(); }
    if (!this.pending[key]) {
      this.pending[key] = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        var url = fill(self.urls[kind], {n: number});
        script.src = self.root + url;
        var fail = function () { // forgotten, so that a later query tries again
          delete self.pending[key];
          script.remove();
          reject(new Error(url));
        };
        script.onload = function () {
          if (!self.has(kind, number)) { fail(); return; }
          self.bytes[kind] += self.sizes[kind][number] || 0;
          resolve();
        };
        script.onerror = fail;
        self.urlsLoaded.push(url);
        document.head.appendChild(script);
      });
    }
    return this.pending[key];
  };

  Loader.prototype.loadAll = function (kind, numbers) {
    var self = this;
    return Promise.all(numbers.map(function (n) { return self.load(kind, n); }));
  };

  /* ---- the index ------------------------------------------------------------------------ */

  function Index(data, loader) {
    this.data = data;
    this.loader = loader;
    this.regions = data.regions;
    this.speakers = data.speakers;
    this.starts = [0];
    for (var k = 0; k < data.counts.length; k++) {
      this.starts.push(this.starts[k] + data.counts[k]);
    }
    this.total = this.starts[6];
    // Sort keys (search) pack a document's number into their low bits: as many as the index
    // needs, so that no two documents share a key (2^23 documents at most: keys are doubles).
    this.docBits = 1;
    while (this.docBits < this.total) { this.docBits *= 2; }
    this.regionIds = Object.create(null);
    for (var r = 0; r < this.regions.length; r++) { this.regionIds[this.regions[r][0]] = r; }
    this.speakerIds = Object.create(null);
    for (var s = 0; s < this.speakers.length; s++) { this.speakerIds[this.speakers[s][0]] = s; }
    this.children = this.regions.map(function () { return []; });
    this.roots = [];
    for (r = 0; r < this.regions.length; r++) {
      var parent = this.regions[r][2];
      (parent >= 0 ? this.children[parent] : this.roots).push(r);
    }
    this.nameWords = this.regions.concat(this.speakers).map(function (item) {
      return words([item[1]].concat(item[3]).join(" "));
    });
    this.termFirsts = data.termShards.map(function (s) { return s[0]; });
    this.docFirsts = data.docShards.map(function (s) { return s[0]; });
    this.termCache = Object.create(null); // shard number → {terms, postings, decoded}
    this.flatten();
  }

  /* Per-document kind and day in flat typed arrays, made once at load from the manifest. */
  Index.prototype.flatten = function () {
    var n = this.total, d = 0;
    this.kindOf = new Uint8Array(n);
    this.days = new Int32Array(n).fill(NO_DAY);
    for (var kind = 0; kind < 6; kind++) {
      this.kindOf.fill(kind, this.starts[kind], this.starts[kind + 1]);
    }
    this.eventsOn = Object.create(null);
    this.quotesOn = Object.create(null);
    var runs = this.data.days, counted = [null, this.eventsOn, this.quotesOn, null];
    for (var k = 0; k < 4; k++) {
      d = this.starts[k + 2];
      var day = 0, list = runs[k];
      for (var i = 0; i < list.length; i += 2) {
        day += list[i];
        this.days.fill(day, d, d + list[i + 1]);
        if (counted[k]) { counted[k][day] = list[i + 1]; }
        d += list[i + 1];
      }
    }
  };

  function lastAtMost(list, value) {
    var lo = 0, hi = list.length;
    while (lo < hi) {
      var mid = (lo + hi) >>> 1;
      if (list[mid] <= value) { lo = mid + 1; } else { hi = mid; }
    }
    return lo - 1;
  }

  /* Term shards that may hold `term` (exact) or words it begins (prefix). */
  Index.prototype.termShards = function (term, exact) {
    var firsts = this.termFirsts, first = Math.max(0, lastAtMost(firsts, term)), out = [first];
    if (!firsts.length) { return []; }
    if (!exact) {
      for (var i = first + 1; i < firsts.length && firsts[i].lastIndexOf(term, 0) === 0; i++) {
        out.push(i);
      }
    }
    return out;
  };

  Index.prototype.termShard = function (number) {
    var shard = this.termCache[number];
    if (!shard) {
      var items = this.loader.items.terms[number], terms = [], postings = [];
      for (var i = 0; i < items.length; i += 2) { terms.push(items[i]); postings.push(items[i + 1]); }
      shard = this.termCache[number] = {terms: terms, postings: postings, decoded: []};
    }
    return shard;
  };

  /* Base-32 varint digits of the postings (see generator/render/search.py): FINAL ends one. */
  var FINAL = "0123456789abcdefghijklmnopqrstuv";
  var MORE = "ABCDEFGHIJKLMNOPQRSTUVWXYZwxyz_-";
  var DIGIT = new Int8Array(128).fill(-1);
  for (var c = 0; c < 32; c++) {
    DIGIT[FINAL.charCodeAt(c)] = c;
    DIGIT[MORE.charCodeAt(c)] = 32 + c;
  }

  function decode(text) {
    var out = new Int32Array(text.length);
    var count = 0, value = 0, at = 0;
    for (var j = 0; j < text.length; j++) {
      var digit = DIGIT[text.charCodeAt(j)];
      if (digit >= 32) { value = value * 32 + digit - 32; }
      else { at += value * 32 + digit; out[count++] = at; value = 0; }
    }
    return out.subarray(0, count);
  }

  /* Postings of every word `term` matches, as [{list, exact}], from loaded shards. */
  Index.prototype.matches = function (term, exact) {
    var found = [], shards = this.termShards(term, exact);
    for (var s = 0; s < shards.length; s++) {
      var shard = this.termShard(shards[s]), terms = shard.terms;
      var lo = 0, hi = terms.length;
      while (lo < hi) {
        var mid = (lo + hi) >>> 1;
        if (terms[mid] < term) { lo = mid + 1; } else { hi = mid; }
      }
      for (var i = lo; i < terms.length; i++) {
        var word = terms[i];
        if (word.lastIndexOf(term, 0) !== 0) { break; }
        var same = word.length === term.length;
        if (!same && exact) { break; }
        if (!shard.decoded[i]) { shard.decoded[i] = decode(shard.postings[i]); }
        found.push({list: shard.decoded[i], exact: same});
      }
    }
    return found;
  };

  Index.prototype.subtree = function (region) {
    var inside = [], seen = new Uint8Array(this.regions.length), stack = [region];
    while (stack.length) {
      var r = stack.pop();
      if (seen[r]) { continue; }
      seen[r] = 1;
      inside.push(r);
      Array.prototype.push.apply(stack, this.children[r]);
    }
    return inside;
  };

  /* The filter terms of a search: "~r3" for documents about region 3, "~s5" for speaker 5. */
  Index.prototype.filterTerms = function (filters) {
    var out = {regions: [], speakers: []};
    if (filters.region !== null) {
      out.regions = this.subtree(filters.region).map(function (r) { return "~r" + r; });
    }
    if (filters.speaker !== null) { out.speakers = ["~s" + filters.speaker]; }
    return out;
  };

  /* Load the term shards a query and its filters need. */
  Index.prototype.prepare = function (query, filters) {
    var self = this, needed = Object.create(null), add = function (term, exact) {
      self.termShards(term, exact).forEach(function (n) { needed[n] = true; });
    };
    query.words.forEach(function (w) { add(w.text, w.exact); });
    var filter = this.filterTerms(filters);
    filter.regions.concat(filter.speakers).forEach(function (t) { add(t, true); });
    return this.loader.loadAll("terms", Object.keys(needed).map(Number));
  };

  Index.prototype.mask = function (terms) {
    if (!terms.length) { return null; }
    var mask = new Uint8Array(this.total), self = this;
    terms.forEach(function (term) {
      self.matches(term, true).forEach(function (m) {
        for (var j = 0; j < m.list.length; j++) { mask[m.list[j]] = 1; }
      });
    });
    return mask;
  };

  /* True when every query word begins a word of the place's or person's name or aliases. */
  Index.prototype.nameMatch = function (doc, query) {
    if (doc >= this.starts[2] || !query.words.length) { return false; }
    var names = this.nameWords[doc];
    return query.words.every(function (w) {
      return names.some(function (n) {
        return w.exact ? n === w.text : n.lastIndexOf(w.text, 0) === 0;
      });
    });
  };

  /* Every document matching all words (each a word or the start of one) and the filters, in
     the order asked for: `sort` "" (best match: places and people whose name matches, then
     more exact words, then places and people, then newest), "new" or "old" (names that match
     first, then by day); `group` puts kinds in GROUP_ORDER first. Term shards must be loaded
     (prepare). Phrases are checked later, against the documents' text (verify). */
  Index.prototype.search = function (query, filters, sort, group) {
    var n = this.total, terms = query.words;
    var matched = null, score = null, candidates = null, count = n, t, d, j;
    if (terms.length) {
      matched = new Uint8Array(n);
      score = new Uint8Array(n);
      candidates = new Int32Array(n);
      count = 0;
      var last = terms.length - 1;
      for (t = 0; t < terms.length; t++) {
        var found = this.matches(terms[t].text, terms[t].exact);
        for (var f = 0; f < found.length; f++) {
          var list = found[f].list, exact = found[f].exact;
          for (j = 0; j < list.length; j++) {
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
    var filter = this.filterTerms(filters);
    var inRegion = this.mask(filter.regions), bySpeaker = this.mask(filter.speakers);
    var ranged = filters.from !== null || filters.to !== null;
    var from = filters.from === null ? NO_DAY + 1 : filters.from;
    var to = filters.to === null ? 2147483647 : filters.to;
    var kinds = this.kindOf, days = this.days, rank = [], bits = this.docBits;
    GROUP_ORDER.forEach(function (kind, i) { rank[kind] = GROUP_ORDER.length - i; });
    var keys = new Float64Array(count), kept = 0;
    for (var c = 0; c < count; c++) {
      d = candidates ? candidates[c] : c;
      if ((inRegion && !inRegion[d]) || (bySpeaker && !bySpeaker[d])) { continue; }
      var day = days[d], dated = day === NO_DAY ? 0 : 1;
      if (ranged && (!dated || day < from || day > to)) { continue; }
      var dayKey = dated ? Math.max(0, Math.min(131071, day + 65536)) : 0;
      var name = this.nameMatch(d, query) ? 1 : 0, key;
      if (sort === "new") {
        key = ((name * 2 + dated) * 131072 + dayKey) * bits + d;
      } else if (sort === "old") {
        key = ((name * 2 + dated) * 131072 + (dated ? 131071 - dayKey : 0)) * bits + (bits - 1 - d);
      } else {
        var people = kinds[d] < 2 ? 1 : 0;
        key = (((name * 256 + (score ? score[d] : 0)) * 2 + people) * 131072 + dayKey) * bits + d;
      }
      if (group) { key += rank[kinds[d]] * 134217728 * bits; } // 2^27 · bits: above every other key
      keys[kept++] = key;
    }
    var sorted = keys.subarray(0, kept).sort();
    var docs = new Array(kept);
    for (var k = 0; k < kept; k++) {
      d = sorted[kept - 1 - k] % bits;
      docs[k] = sort === "old" ? bits - 1 - d : d;
    }
    return docs;
  };

  /* ---- the document store ------------------------------------------------------------------ */

  Index.prototype.docShard = function (doc) {
    return doc >= this.starts[2] && doc < this.starts[5] ? lastAtMost(this.docFirsts, doc) : -1;
  };

  Index.prototype.row = function (doc) {
    var n = this.docShard(doc);
    return this.loader.items.docs[n][doc - this.docFirsts[n]];
  };

  /* Load the rows of `docs` and (unless `only`) of the articles their developments and
     quotes come from, which results show. */
  Index.prototype.loadRows = function (docs, only) {
    var self = this;
    var shardsOf = function (list) {
      var needed = Object.create(null);
      list.forEach(function (d) { var s = self.docShard(d); if (s >= 0) { needed[s] = true; } });
      return Object.keys(needed).map(Number);
    };
    return this.loader.loadAll("docs", shardsOf(docs)).then(function () {
      if (only) { return null; }
      var articles = [];
      docs.forEach(function (d) {
        if (d >= self.starts[3] && d < self.starts[5]) { articles.push(self.starts[2] + self.row(d)[0]); }
      });
      return self.loader.loadAll("docs", shardsOf(articles));
    });
  };

  /* The texts a document's words come from, each a field a phrase must lie within. */
  Index.prototype.fields = function (doc) {
    var kind = this.kindOf[doc], self = this, item;
    if (kind === 0) { item = this.regions[doc]; return [item[1], item[4]].concat(item[3]); }
    if (kind === 1) {
      item = this.speakers[doc - this.starts[1]];
      return [item[1], item[2]].concat(item[3]);
    }
    if (kind === 5) {
      var day = this.days[doc];
      return [isoDay(day) + " " + MONTHS[new Date(day * DAY_MS).getUTCMonth()]];
    }
    item = this.row(doc);
    if (kind === 2) { return [item[1], item[2]].concat(item[4]); }
    if (kind === 3) {
      return [item[2]].concat(item[3].map(function (r) { return self.regions[r][1]; }));
    }
    var speaker = this.speakers[item[3]];
    return [item[2], item[4], speaker[1]].concat(speaker[3]);
  };

  Index.prototype.holdsPhrases = function (doc, phrases) {
    var fields = this.fields(doc).map(words);
    return phrases.every(function (phrase) {
      return fields.some(function (field) {
        for (var i = 0; i + phrase.length <= field.length; i++) {
          var j = 0;
          while (j < phrase.length && field[i + j] === phrase[j]) { j++; }
          if (j === phrase.length) { return true; }
        }
        return false;
      });
    });
  };

  Index.prototype.describe = function (doc) {
    var kind = this.kindOf[doc], urls = this.data.urls, self = this;
    var names = function (list) {
      return (list || []).map(function (r) { return self.regions[r][1]; }).join(", ");
    };
    var article = function (a) { return self.row(self.starts[2] + a); };
    var articleUrl = function (a) { return fill(urls.article, {slug: article(a)[0]}); };
    var anchor = function (pattern, a, value) {
      return typeof value === "number" ? fill(pattern, {slug: article(a)[0], n: value}) : value;
    };
    var day = this.days[doc];
    var item, result = {kind: kind, day: day === NO_DAY || kind === 5 ? null : day};
    if (kind === 0) {
      item = this.regions[doc];
      result.url = fill(urls.region, {id: item[0]});
      result.title = item[1];
      var where = item[2] >= 0 ? "in " + this.regions[item[2]][1] : "";
      var kindName = item[4] ? item[4].charAt(0).toUpperCase() + item[4].slice(1) : "";
      result.meta = [kindName, where].filter(Boolean).join(" ");
      result.detail = item[3].length ? "Also known as " + item[3].join(", ") : "";
    } else if (kind === 1) {
      item = this.speakers[doc - this.starts[1]];
      result.url = fill(urls.speaker, {id: item[0]});
      result.title = item[1];
      result.meta = item[2];
      result.detail = item[3].length ? "Also known as " + item[3].join(", ") : "";
    } else if (kind === 2) {
      item = this.row(doc);
      result.url = fill(urls.article, {slug: item[0]});
      result.title = item[1];
      result.meta = names(item[3]);
      result.detail = snippet(item[2], 200);
    } else if (kind === 3) {
      item = this.row(doc);
      result.url = articleUrl(item[0]) + "#" + anchor(urls.event, item[0], item[1]);
      result.title = snippet(item[2], 200);
      result.meta = names(item[3]);
      result.detail = "From: " + article(item[0])[1];
    } else if (kind === 4) {
      item = this.row(doc);
      result.url = articleUrl(item[0]) + "#" + anchor(urls.quote, item[0], item[1]);
      result.title = "\u201c" + snippet(item[2], 120) + "\u201d";
      result.meta = "\u2014 " + this.speakers[item[3]][1] + (item[4] ? ", " + snippet(item[4], 100) : "");
      result.detail = "From: " + article(item[0])[1];
    } else {
      result.url = fill(urls.day, {date: isoDay(day)});
      result.title = longDay(day);
      var events = this.eventsOn[day] || 0, quotes = this.quotesOn[day] || 0;
      result.meta = [events ? events + (events === 1 ? " development" : " developments") : "",
                     quotes ? quotes + (quotes === 1 ? " quote" : " quotes") : ""]
        .filter(Boolean).join(", ");
      result.detail = "";
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
        return t.exact ? word === t.text : word.lastIndexOf(t.text, 0) === 0;
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
    index.speakers.slice()
      .sort(function (a, b) { return a[1].localeCompare(b[1]); })
      .forEach(function (s) {
        var option = document.createElement("option");
        option.value = s[0];
        option.textContent = s[1];
        select.appendChild(option);
      });
  }

  /* Results in rank order whose phrases are checked as they are needed: `take(n)` checks
     candidates (loading their rows a batch at a time) until n are known to hold the phrases
     or none are left, so the first results never wait for every candidate's row. */
  function Checked(index, docs, phrases) {
    this.index = index;
    this.docs = docs;
    this.phrases = phrases;
    this.kept = phrases.length ? [] : docs;
    this.at = phrases.length ? 0 : docs.length;
  }

  var BATCH = 100;
  /* Checking every candidate of a phrase of common words loads most of the documents (3 MB
     at 5,000 articles, ~30 MB at 50,000): for the count alone, a search checks this many
     bytes of them, then says "N+" and leaves the rest to "More". */
  var COUNT_BYTES = 1000 * 1000;
  var COUNT_BATCH = 20;  /* candidates, so that the last batch cannot load much past it */

  Checked.prototype.done = function () { return this.at >= this.docs.length; };

  /* The first n results known to hold the phrases; with `budget`, checking stops once the
     documents it loaded weigh that many bytes. */
  Checked.prototype.take = function (n, budget) {
    var self = this, loader = this.index.loader, from = loader.bytes.docs;
    var step = function () {
      if (self.kept.length >= n || self.done() || self.stopped) { return self.kept; }
      if (budget !== undefined && loader.bytes.docs - from >= budget) { return self.kept; }
      var size = budget !== undefined ? COUNT_BATCH
        : Math.min(BATCH, Math.max(20, 2 * (n - self.kept.length)));
      var batch = self.docs.slice(self.at, self.at + size);
      self.at += batch.length;
      return self.index.loadRows(batch, true).then(function () {
        batch.forEach(function (d) {
          if (self.index.holdsPhrases(d, self.phrases)) { self.kept.push(d); }
        });
        return step();
      });
    };
    this.queue = (this.queue || Promise.resolve()).then(step);
    return this.queue;
  };

  function counted(number, done) {
    return number.toLocaleString("en") + (done ? "" : "+");
  }

  function start() {
    var form = document.getElementById("search-form");
    if (!form) { return; }
    var status = document.getElementById("search-status");
    var box = document.getElementById("search-results");
    var more = document.getElementById("search-more");
    var fields = {q: form.elements.q, region: form.elements.region, speaker: form.elements.speaker,
                  from: form.elements.from, to: form.elements.to, sort: form.elements.sort,
                  group: form.elements.group};
    var data = window.TIMELINE_SEARCH;
    var failed = function () {
      status.textContent = "The search index did not load. Browse the regions, speakers and days instead.";
      form.setAttribute("data-ready", "error");
    };
    if (!data || data.version !== 2) { failed(); return; }
    var root = form.getAttribute("data-root") || "";
    var sizes = {terms: data.termShards.map(function (s) { return s[1]; }),
                 docs: data.docShards.map(function (s) { return s[1]; })};
    var index = new Index(data, new Loader(root, data.urls, sizes));
    regionOptions(index, fields.region);
    speakerOptions(index, fields.speaker);

    var value = function (name) {
      var field = fields[name];
      return field.type === "checkbox" ? (field.checked ? field.value : "") : field.value;
    };
    var params = new URLSearchParams(window.location.search);
    Object.keys(fields).forEach(function (name) {
      if (!params.has(name)) { return; }
      if (fields[name].type === "checkbox") { fields[name].checked = params.get(name) !== ""; }
      else { fields[name].value = params.get(name); }
    });
    /* On a phone the filters (six fields, ~470 px) fold unless the address sets one, so that
       the results start on the first screen; search.html ships them open. */
    var filtersBox = form.querySelector(".search-filters-box");
    if (filtersBox && window.matchMedia && window.matchMedia("(max-width: 40em)").matches &&
        !["region", "speaker", "from", "to", "sort", "group"].some(function (name) { return value(name); })) {
      filtersBox.open = false;
    }

    var lists = [], currentTerms = [], runs = 0;
    var checking = false;  /* a search is checking its phrases for the count */

    /* One list of results (all of them, or one kind's): shows `step` more at a time. */
    function List(checked, step, heading) {
      this.checked = checked;
      this.step = step;
      this.shown = 0;
      this.heading = heading;
      if (heading) {
        var section = element("section", "search-group");
        this.h2 = element("h2");
        section.appendChild(this.h2);
        this.ol = element("ol", "search-results");
        section.appendChild(this.ol);
        this.button = element("button", "search-more", "More " + heading.toLowerCase());
        this.button.type = "button";
        section.appendChild(this.button);
        this.node = section;
        this.button.addEventListener("click", this.more.bind(this));
      } else {
        this.node = this.ol = element("ol", "search-results");
        this.button = more;
      }
    }

    /* The next results, their rows loaded (phrases checked as far as needed). */
    List.prototype.next = function (count) {
      var self = this, end = this.shown + (count || this.step);
      return this.checked.take(end).then(function (kept) {
        var next = kept.slice(self.shown, end);
        return index.loadRows(next).then(function () { return next; });
      });
    };

    List.prototype.render = function (next) {
      var fragment = document.createDocumentFragment();
      next.forEach(function (d) {
        fragment.appendChild(renderResult(index.describe(d), root, currentTerms));
      });
      this.ol.appendChild(fragment);
      this.shown += next.length;
      this.update();
    };

    List.prototype.update = function () {
      var checked = this.checked;
      if (this.h2) {
        this.h2.textContent = this.heading + " (" + counted(checked.kept.length, checked.done()) + ")";
      }
      this.button.hidden = this.shown >= checked.kept.length && checked.done();
    };

    List.prototype.more = function () {
      var self = this, run = runs;
      if (this.busy) { return; } // a second click before the first one's rows are in
      this.busy = true;
      this.next().then(function (next) {
        self.busy = false;
        if (run === runs) { self.render(next); report(); }
      }, function () { self.busy = false; failed(); });
    };

    more.addEventListener("click", function () { if (lists.length === 1) { lists[0].more(); } });

    function run(updateAddress) {
      var started = performance.now(), mine = ++runs;
      var query = parseQuery(fields.q.value);
      var region = value("region") in index.regionIds ? index.regionIds[value("region")] : null;
      var speaker = value("speaker") in index.speakerIds ? index.speakerIds[value("speaker")] : null;
      var filters = {region: region, speaker: speaker, from: dayNumber(value("from")),
                     to: dayNumber(value("to"))};
      var sort = value("sort"), group = value("group") !== "";
      var anyFilter = region !== null || speaker !== null || filters.from !== null || filters.to !== null;
      if (updateAddress) { remember(); }
      form.setAttribute("data-results", "pending");
      checking = false;
      box.textContent = "";
      lists.forEach(function (list) { list.checked.stopped = true; }); // a newer search
      lists = [];
      more.hidden = true;
      currentTerms = query.words;
      if (!query.words.length && !anyFilter) {
        status.textContent = "Type a word or pick a filter.";
        shown(mine, started);
        form.setAttribute("data-results", "done");
        return Promise.resolve();
      }
      status.textContent = "Searching\u2026";
      return index.prepare(query, filters).then(function () {
        if (mine !== runs) { return null; }
        var docs = index.search(query, filters, sort, group);
        var parts = group ? GROUP_ORDER.map(function (kind) {
          return docs.filter(function (d) { return index.kindOf[d] === kind; });
        }) : [docs];
        var made = [];
        parts.forEach(function (part, i) {
          if (!part.length) { return; }
          var heading = group ? GROUPS[GROUP_ORDER[i]] : "";
          made.push(new List(new Checked(index, part, query.phrases), group ? GROUP_PAGE : PAGE,
                             heading));
        });
        var first = group ? GROUP_FIRST : FIRST;
        return Promise.all(made.map(function (list) { return list.next(first); }))
          .then(function (firsts) {
            if (mine !== runs) {
              made.forEach(function (list) { list.checked.stopped = true; });
              return null;
            }
            lists = made.filter(function (list, i) { return firsts[i].length > 0; });
            lists.forEach(function (list) {
              box.appendChild(list.node);
              list.render(firsts[made.indexOf(list)]);
            });
            checking = true;  /* until the count's check below ends */
            report();
            shown(mine, started);
            return Promise.all(lists.map(function (list) {
              return list.next(list.step - first).then(function (next) {
                if (mine === runs) { list.render(next); }
              });
            }));
          })
          .then(function () {
            return Promise.all(made.map(function (list) {
              return list.checked.take(Infinity, COUNT_BYTES);
            }));
          })
          .then(function () {
            if (mine !== runs) { return; }
            checking = false;
            lists.forEach(function (list) { list.update(); });
            report();
            form.setAttribute("data-results", "done");
          });
      }).catch(function () { if (mine === runs) { failed(); } });
    }

    function keptCount() {
      return lists.reduce(function (sum, list) { return sum + list.checked.kept.length; }, 0);
    }

    /* "N results.", or "N+ results" while phrases are being checked, or once checking them
       for the count stopped (COUNT_BYTES): "More" checks further. */
    function report() {
      var done = lists.every(function (list) { return list.checked.done(); });
      var total = keptCount();
      status.textContent = total === 0 ? "No results." : total === 1 && done ? "1 result." :
        counted(total, done) + " results" + (done || !checking ? "." : " (checking phrases\u2026)");
    }

    /* First results are on the page: what it took (read by tests and bench/search_bench.py). */
    function shown(mine, started) {
      var now = performance.now();
      window.TIMELINE_SEARCH_LAST = {ms: now - started, at: now, count: keptCount(),
                                     loaded: index.loader.urlsLoaded.slice()};
      form.setAttribute("data-results", "shown");
      form.setAttribute("data-run", String(mine));
    }

    function remember() {
      var query = new URLSearchParams();
      Object.keys(fields).forEach(function (name) {
        if (value(name)) { query.set(name, value(name)); }
      });
      var text = query.toString();
      try {
        window.history.replaceState(null, "", text ? "?" + text : window.location.pathname);
      } catch (ignored) { /* some browsers refuse for file:// pages; the search still works */ }
    }

    form.addEventListener("submit", function (event) { event.preventDefault(); run(true); });
    fields.q.addEventListener("input", function () { run(true); });
    ["region", "speaker", "from", "to", "sort", "group"].forEach(function (name) {
      fields[name].addEventListener("change", function () { run(true); });
    });
    run(false).then(function () {
      window.TIMELINE_SEARCH_READY_MS = performance.now();
      if (form.getAttribute("data-ready") !== "error") { form.setAttribute("data-ready", "true"); }
    });
  }

  window.TimelineSearch = {normalise: normalise, queryTerms: queryTerms, parseQuery: parseQuery};

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
