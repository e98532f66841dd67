"""The search index of output/search/index.js (a classic script read by search.html).

The index is built once per build and shipped as `window.TIMELINE_SEARCH = {...};` so the
search page works from file:// (no fetch, no modules, no workers) as well as over https.
theme/static/js/search.js reads it; the format is described in docs/search-index.md.

Documents, numbered in this order: regions, speakers, articles, events, quotes. Every
document's words are normalised (NFKD, combining marks dropped, lower case) and split into
runs of letters and digits; `terms` is the sorted vocabulary and `postings[i]` the documents
holding `terms[i]`, as gaps between document numbers written as base-32 varints (see
`_varints`). A query term matches
every vocabulary entry it is a prefix of (binary search, then a scan), and a document matches
when each query term does — a few array passes, no per-document string scans.

URLs in the index are relative to the site root; the search page prefixes its way back to
the root. Anchors of developments and quotes are stored as their number when they follow the
`ev-{slug}-{n}` / `qu-{slug}-{n}` pattern (the common case), else as the full id.
"""

from __future__ import annotations

import json
import operator
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import date
from functools import partial
from typing import Any

from ..model.records import Article, Event, Quote
from ..model.site import Site
from ..model.urls import article_url, region_url, speaker_url

INDEX_FILE = "search/index.js"
PAGE_FILE = "search.html"
FORMAT_VERSION = 1
EPOCH = date(1970, 1, 1).toordinal()
SNIPPET = 200  # characters of text shown for a result; every word is still searchable
QUOTE_SNIPPET = 120  # quotes are long: the start is enough to recognise one
CONTEXT = 100
# Gaps as base-32 digits, most significant first: the last digit of a number from FINAL, the
# others from MORE, so numbers need no separator. Neither alphabet needs escaping in JSON/HTML.
FINAL = "0123456789abcdefghijklmnopqrstuv"
MORE = "ABCDEFGHIJKLMNOPQRSTUVWXYZwxyz_-"
_WORD = re.compile(r"[^\W_]+")
_ESCAPES = (
    ("<", "\\u003c"),
    (">", "\\u003e"),
    ("&", "\\u0026"),
    ("\u2028", "\\u2028"),
    ("\u2029", "\\u2029"),
)


def normalise(text: str) -> str:
    """Case and diacritics folded as search.js folds a query: NFKD, no marks, lower case."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if unicodedata.category(c)[0] != "M").lower()


def words(*texts: str) -> list[str]:
    """The searchable words of some texts (letters and digits runs, normalised)."""
    return _WORD.findall(normalise(" ".join(t for t in texts if t)))


def snippet(text: str, limit: int = SNIPPET) -> str:
    """The text, or its start cut at a word boundary with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:.-") + "…"


def day_number(day: date) -> int:
    return day.toordinal() - EPOCH


def _anchor(item_id: str, prefix: str, slug: str) -> int | str:
    head = f"{prefix}-{slug}-"
    tail = item_id[len(head) :]
    if item_id.startswith(head) and tail.isdigit() and str(int(tail)) == tail:
        return int(tail)
    return item_id


Piece = Callable[[str, str, str, Callable[[], Any]], Any]  # the engine's `piece`


def _made(kind: str, item_id: str, article: str, make: Callable[[], Any]) -> Any:
    return make()


Entry = tuple[list[Any], tuple[str, ...]]  # a record's row (without its article's number), words


def build_index(site: Site, piece: Piece = _made) -> dict[str, Any]:
    """The whole index as plain JSON data (see the module docstring and docs/search-index.md).
    `piece` may keep each record's row and words from one build to the next
    (the engine's `piece`); rows store their article by number, added here."""
    region_ix = {rid: i for i, rid in enumerate(site.regions)}
    speaker_ix = {sid: i for i, sid in enumerate(site.speakers)}
    article_ix = {a.slug: i for i, a in enumerate(site.articles)}
    docs: list[Iterable[str]] = []

    regions = []
    for region in site.regions.values():
        parent = region_ix.get(region.parent, -1) if region.parent else -1
        regions.append([region.id, region.name, parent, list(region.aliases), region.kind or ""])
        docs.append(words(region.name, *region.aliases, region.kind or ""))

    speakers = []
    for speaker in site.speakers.values():
        note = ", ".join(x for x in (speaker.role, speaker.affiliation) if x)
        speakers.append([speaker.id, speaker.name, note, list(speaker.aliases)])
        docs.append(words(speaker.name, *speaker.aliases, note))

    articles = []
    for article in site.articles:
        row, doc = piece(
            "search-article",
            article.slug,
            article.slug,
            partial(_article_entry, article, region_ix, speaker_ix),
        )
        articles.append(row)
        docs.append(doc)

    events = []
    for event in site.events:
        row, doc = piece(
            "search-event",
            event.id,
            event.article,
            partial(_event_entry, site, event, region_ix, speaker_ix),
        )
        events.append([article_ix[event.article], *row])
        docs.append(doc)

    quotes = []
    for quote in site.quotes:
        row, doc = piece(
            "search-quote", quote.id, quote.article, partial(_quote_entry, site, quote, speaker_ix)
        )
        quotes.append([article_ix[quote.article], *row])
        docs.append(doc)

    terms, postings = _inverted(docs)
    return {
        "version": FORMAT_VERSION,
        "title": site.title,
        "urls": {
            "region": region_url("{id}"),
            "speaker": speaker_url("{id}"),
            "article": article_url("{slug}"),
            "event": "ev-{slug}-{n}",
            "quote": "qu-{slug}-{n}",
        },
        "regions": regions,
        "speakers": speakers,
        "articles": articles,
        "events": events,
        "quotes": quotes,
        "terms": terms,
        "postings": postings,
    }


def _unique(found: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(found))


def _article_entry(
    article: Article, region_ix: dict[str, int], speaker_ix: dict[str, int]
) -> Entry:
    regions_of = sorted({region_ix[r] for r in article.mentioned_regions if r in region_ix})
    speakers_of = sorted(
        {
            speaker_ix[s]
            for s in (*article.mentioned_speakers, *(q.speaker for q in article.quotes))
            if s in speaker_ix
        }
    )
    return (
        [
            article.slug,
            article.title,
            snippet(article.summary),
            day_number(article.day),
            regions_of,
            speakers_of,
        ],
        _unique(words(article.title, article.summary, *article.tags)),
    )


def _event_entry(
    site: Site, event: Event, region_ix: dict[str, int], speaker_ix: dict[str, int]
) -> Entry:
    names = [site.regions[r].name for r in event.regions if r in site.regions]
    return (
        [
            _anchor(event.id, "ev", event.article),
            day_number(event.day),
            snippet(event.text),
            [region_ix[r] for r in event.regions if r in region_ix],
            [speaker_ix[s] for s in event.speakers if s in speaker_ix],
        ],
        _unique(words(event.text, *names)),
    )


def _quote_entry(site: Site, quote: Quote, speaker_ix: dict[str, int]) -> Entry:
    speaker = site.speakers[quote.speaker]
    return (
        [
            _anchor(quote.id, "qu", quote.article),
            day_number(quote.day),
            snippet(quote.text, QUOTE_SNIPPET),
            speaker_ix[quote.speaker],
            snippet(quote.context, CONTEXT),
        ],
        _unique(words(quote.text, quote.context, speaker.name, *speaker.aliases)),
    )


def _inverted(docs: list[Iterable[str]]) -> tuple[list[str], list[str]]:
    by_term: defaultdict[str, list[int]] = defaultdict(list)
    for number, doc_words in enumerate(docs):
        for word in dict.fromkeys(doc_words):
            by_term[word].append(number)
    # UTF-16 code-unit order: the order in which JavaScript compares strings.
    terms = sorted(by_term, key=lambda t: t.encode("utf-16-be"))
    return terms, [_varints(by_term[t]) for t in terms]


def _varint(gap: int) -> str:
    digits = [FINAL[gap % 32]]
    gap //= 32
    while gap:
        digits.append(MORE[gap % 32])
        gap //= 32
    return "".join(reversed(digits))


_SMALL_GAPS = [_varint(gap) for gap in range(32 * 32)]  # one or two digits: most gaps


def _varints(numbers: list[int]) -> str:
    """Ascending document numbers as the gaps between them (the first from 0), each gap in
    base 32: `MORE` digits then one `FINAL` digit. [3, 40] → gaps 3, 37 → "3" + "B5"."""
    small, limit = _SMALL_GAPS, len(_SMALL_GAPS)
    gaps = map(operator.sub, numbers, [0, *numbers])
    return "".join([small[gap] if gap < limit else _varint(gap) for gap in gaps])


def read_varints(text: str) -> list[int]:
    """The inverse of `_varints` (search.js decodes the same way)."""
    numbers, value, at = [], 0, 0
    for char in text:
        if char in MORE:
            value = value * 32 + MORE.index(char)
        else:
            at += value * 32 + FINAL.index(char)
            numbers.append(at)
            value = 0
    return numbers


def script_json(data: Any) -> str:
    """JSON that stays inert inside any HTML or JS context: no '<', '>', '&', U+2028/9."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for raw, escaped in _ESCAPES:
        text = text.replace(raw, escaped)
    return text


def index_script(data: Any) -> str:
    return (
        "/* Search index of timeline digests, made by the build: see docs/search-index.md. */\n"
        f"window.TIMELINE_SEARCH = {script_json(data)};\n"
    )
