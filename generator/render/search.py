"""The search index of output/search/: a small manifest and shards, all classic scripts.

The search page must work from file:// (no fetch, no modules, no workers) and load little at
any size, so the index is cut into files the page adds as <script src> elements when a query
needs them. `search/index.js` sets `window.TIMELINE_SEARCH` (the manifest: places, people,
each document's day as runs, and where each shard starts); every shard calls
`window.TIMELINE_SEARCH_SHARD(kind, number, items)`. theme/static/js/search.js reads them;
the format is described in docs/search-index.md.

Documents, numbered in this order: regions, speakers, articles, events, quotes, days. Every
document's words are normalised (NFKD, combining marks dropped, lower case) and split into
runs of letters and digits; the sorted vocabulary with each word's postings (the documents
holding it, as gaps between document numbers written as base-32 varints, see `_varints`) is
cut into term shards by byte size, so a query word needs one shard, a short prefix a few.
Filter terms ("~r3": about region 3, "~s5": speaker 5) sit in the same vocabulary, so a
region or speaker filter loads postings too, not every document. Rows (what a result shows,
and the full text a phrase is checked against) are cut into document shards by number.

URLs in the index are relative to the site root; the search page prefixes its way back to
the root. Anchors of developments and quotes are stored as their number when they follow the
`ev-{slug}-{n}` / `qu-{slug}-{n}` pattern (the common case), else as the full id.
"""

from __future__ import annotations

import json
import operator
import re
import sys
import unicodedata
from array import array
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from functools import partial
from itertools import chain, groupby
from typing import Any

from ..model.records import Article, Event, Quote
from ..model.site import Site
from ..model.urls import article_url, region_url, speaker_url

INDEX_FILE = "search/index.js"  # the manifest
TERM_SHARD = "search/terms-{n}.js"
DOC_SHARD = "search/docs-{n}.js"
PAGE_FILE = "search.html"
FORMAT_VERSION = 2
CALLBACK = "TIMELINE_SEARCH_SHARD"  # the global function every shard calls
TERM_SHARD_BYTES = 40_000  # a shard is cut before it passes this (a lone bigger term excepted)
DOC_SHARD_BYTES = 12_000
REGION = "~r"  # filter terms: "~r3" for documents about region 3; no word holds a "~"
SPEAKER = "~s"
NO_ARTICLE = -1  # an Index row that is an article's own
MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
EPOCH = date(1970, 1, 1).toordinal()
# Gaps as base-32 digits, most significant first: the last digit of a number from FINAL, the
# others from MORE, so numbers need no separator. Neither alphabet needs escaping in JSON/HTML.
FINAL = "0123456789abcdefghijklmnopqrstuv"
MORE = "ABCDEFGHIJKLMNOPQRSTUVWXYZwxyz_-"
_WORD = re.compile(r"[^\W_]+")
_FOLD = str.maketrans({"\u02bc": "'", "\u03c2": "\u03c3"})  # ʼ → ', ς → σ (search.js: normalise)
_ESCAPES = (
    ("<", "\\u003c"),
    (">", "\\u003e"),
    ("&", "\\u0026"),
    ("\u2028", "\\u2028"),
    ("\u2029", "\\u2029"),
)


def normalise(text: str) -> str:
    """Case and diacritics folded as search.js folds a query: NFKD, no marks, lower case; the
    modifier letter apostrophe (Ukrainian "Марʼянка") an apostrophe, so a word is cut alike
    however its apostrophe was typed, and final sigma a sigma (lower() makes "ΟΔΟΣ" "οδος" but
    "ΟΔΟΣ's" "οδοσ's")."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    folded = "".join(c for c in decomposed if unicodedata.category(c)[0] != "M").lower()
    return folded.translate(_FOLD)


def words(*texts: str) -> list[str]:
    """The searchable words of some texts (letters and digits runs, normalised)."""
    # interned: the index holds each record's words, and the same few thousand words make
    # millions of them at tens of thousands of articles
    return [sys.intern(w) for w in _WORD.findall(normalise(" ".join(t for t in texts if t)))]


def _filter(prefix: str, number: int) -> str:
    """A filter term ("~r3"), interned like the words: one string for all its documents."""
    return sys.intern(f"{prefix}{number}")


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


Entry = tuple[str, tuple[str, ...]]  # a record's row as JSON (without its article's number), words


@dataclass(frozen=True)
class Index:
    """The index before it is cut into files: the manifest's fields without the shard tables,
    the vocabulary with its postings, and the rows of the document store (articles, events,
    quotes, in document order, starting at document number `first_row`)."""

    head: dict[str, Any]
    terms: list[str]
    postings: list[str]
    rows: list[str]  # each row as JSON (script_json): made once per record, kept as a piece
    first_row: int
    # each row's article number, put in front of it as it is written (an event's or quote's
    # piece does not know it: other articles move it); NO_ARTICLE: the row as it is
    articles: array[int]

    def row(self, index: int) -> str:
        number, row = self.articles[index], self.rows[index]
        return row if number == NO_ARTICLE else f"[{number},{row[1:]}"  # script_json([n, *row])


def build_index(site: Site, piece: Piece = _made) -> Index:
    """The whole index (see the module docstring and docs/search-index.md). `piece` may keep
    each record's row and words from one build to the next (the engine's `piece`); rows store
    their article by number, added here."""
    region_ix = {rid: i for i, rid in enumerate(site.regions)}
    speaker_ix = {sid: i for i, sid in enumerate(site.speakers)}
    article_ix = {a.slug: i for i, a in enumerate(site.articles)}
    docs: list[Iterable[str]] = []

    regions = []
    for i, region in enumerate(site.regions.values()):
        parent = region_ix.get(region.parent, -1) if region.parent else -1
        regions.append([region.id, region.name, parent, list(region.aliases), region.kind or ""])
        docs.append(
            _unique([*words(region.name, *region.aliases, region.kind or ""), _filter(REGION, i)])
        )

    speakers = []
    for i, speaker in enumerate(site.speakers.values()):
        note = ", ".join(x for x in (speaker.role, speaker.affiliation) if x)
        speakers.append([speaker.id, speaker.name, note, list(speaker.aliases)])
        docs.append(_unique([*words(speaker.name, *speaker.aliases, note), _filter(SPEAKER, i)]))

    rows: list[str] = []
    numbers = array("i")
    article_regions: list[tuple[str, ...]] = []  # its regions' filter terms
    for article in site.articles:
        row, doc, regions_of = piece(
            "search-article",
            article.slug,
            article.slug,
            partial(_article_entry, article, region_ix, speaker_ix),
        )
        rows.append(row)
        numbers.append(NO_ARTICLE)
        article_regions.append(tuple(_filter(REGION, r) for r in regions_of))
        docs.append(doc)

    for event in site.events:
        row, doc = piece(
            "search-event",
            event.id,
            event.article,
            partial(_event_entry, site, event, region_ix, speaker_ix),
        )
        rows.append(row)
        numbers.append(article_ix[event.article])
        docs.append(doc)

    for quote in site.quotes:
        row, doc = piece(
            "search-quote", quote.id, quote.article, partial(_quote_entry, site, quote, speaker_ix)
        )
        number = article_ix[quote.article]
        rows.append(row)
        numbers.append(number)
        # not a list per quote; its words and its article's region filters (~r) never meet
        docs.append(chain(doc, article_regions[number]))

    for day in site.days:
        docs.append(_unique(words(day.date.isoformat(), MONTHS[day.date.month - 1])))

    terms, postings = _inverted(docs)
    head = {
        "version": FORMAT_VERSION,
        "title": site.title,
        "urls": {
            "region": region_url("{id}"),
            "speaker": speaker_url("{id}"),
            "article": article_url("{slug}"),
            "event": "ev-{slug}-{n}",
            "quote": "qu-{slug}-{n}",
            "day": "days/{date}.html",
            "terms": TERM_SHARD.format(n="{n}"),
            "docs": DOC_SHARD.format(n="{n}"),
        },
        "regions": regions,
        "speakers": speakers,
        "counts": [
            len(regions),
            len(speakers),
            len(site.articles),
            len(site.events),
            len(site.quotes),
            len(site.days),
        ],
        "days": [
            _day_runs(a.day for a in site.articles),
            _day_runs(e.day for e in site.events),
            _day_runs(q.day for q in site.quotes),
            _day_runs(d.date for d in site.days),
        ],
    }
    return Index(head, terms, postings, rows, len(regions) + len(speakers), numbers)


def _day_runs(days: Iterable[date]) -> list[int]:
    """Days of documents in order as runs: [gap, count, gap, count, ...], each gap the day
    number minus the previous run's (the first from day 0)."""
    runs: list[int] = []
    last = 0
    for number, group in groupby(day_number(d) for d in days):
        runs += [number - last, sum(1 for _ in group)]
        last = number
    return runs


def _unique(found: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(found))


def _article_entry(
    article: Article, region_ix: dict[str, int], speaker_ix: dict[str, int]
) -> tuple[str, tuple[str, ...], list[int]]:
    """Its row, words and regions (its quotes' documents are about them too)."""
    regions_of = sorted({region_ix[r] for r in article.mentioned_regions if r in region_ix})
    speakers_of = sorted(
        {
            speaker_ix[s]
            for s in (*article.mentioned_speakers, *(q.speaker for q in article.quotes))
            if s in speaker_ix
        }
    )
    return (
        script_json([article.slug, article.title, article.summary, regions_of, list(article.tags)]),
        _unique(
            [
                *words(article.title, article.summary, *article.tags),
                *(_filter(REGION, r) for r in regions_of),
                *(_filter(SPEAKER, s) for s in speakers_of),
            ]
        ),
        regions_of,
    )


def _event_entry(
    site: Site, event: Event, region_ix: dict[str, int], speaker_ix: dict[str, int]
) -> Entry:
    names = [site.regions[r].name for r in event.regions if r in site.regions]
    regions_of = [region_ix[r] for r in event.regions if r in region_ix]
    return (
        script_json([_anchor(event.id, "ev", event.article), event.text, regions_of]),
        _unique(
            [
                *words(event.text, *names),
                *(_filter(REGION, r) for r in regions_of),
                *(_filter(SPEAKER, speaker_ix[s]) for s in event.speakers if s in speaker_ix),
            ]
        ),
    )


def _quote_entry(site: Site, quote: Quote, speaker_ix: dict[str, int]) -> Entry:
    speaker = site.speakers[quote.speaker]
    number = speaker_ix[quote.speaker]
    return (
        script_json([_anchor(quote.id, "qu", quote.article), quote.text, number, quote.context]),
        _unique(
            [
                *words(quote.text, quote.context, speaker.name, *speaker.aliases),
                _filter(SPEAKER, number),
            ]
        ),
    )


def _inverted(docs: list[Iterable[str]]) -> tuple[list[str], list[str]]:
    """Each term's documents. A document's words come each once (`_unique`)."""
    by_term: defaultdict[str, array[int]] = defaultdict(partial(array, "I"))  # not int objects
    for number, doc_words in enumerate(docs):
        for word in doc_words:
            by_term[word].append(number)
    # UTF-16 code-unit order: the order in which JavaScript compares strings.
    terms = sorted(by_term, key=lambda t: t.encode("utf-16-be"))
    return terms, [_varints(by_term[t]) for t in terms]


def _cuts(sizes: Sequence[int], target: int) -> list[int]:
    """Where shards start: consecutive items, a new shard when the next item would take the
    current one past `target` bytes (an item bigger than that gets a shard of its own)."""
    starts, total = [0], 0
    for i, size in enumerate(sizes):
        if total and total + size > target:
            starts.append(i)
            total = 0
        total += size
    return starts if sizes else []


def index_files(index: Index) -> dict[str, str]:
    """Every file of the index, by output name: the term shards, the document shards and the
    manifest (INDEX_FILE) that lists them with their sizes."""
    return dict(each_index_file(index))


def each_index_file(index: Index) -> Iterator[tuple[str, str]]:
    """`index_files` one at a time (the build writes each as it comes), the manifest last."""
    items = [  # a word (letters and digits) and postings (FINAL and MORE) need no escaping
        f'"{t}","{p}"' if t.isalnum() else f'{script_json(t)},"{p}"'
        for t, p in zip(index.terms, index.postings, strict=True)
    ]
    term_shards = []
    starts = _cuts([len(i.encode()) + 1 for i in items], TERM_SHARD_BYTES)
    for n, (lo, hi) in enumerate(zip(starts, [*starts[1:], len(items)], strict=True)):
        text = _shard_script("terms", n, ",".join(items[lo:hi]))
        term_shards.append([index.terms[lo], len(text.encode())])
        yield TERM_SHARD.format(n=n), text
    del items
    count = len(index.rows)  # each row's JSON already (a piece)
    doc_shards = []
    starts = _cuts([len(index.row(i).encode()) + 1 for i in range(count)], DOC_SHARD_BYTES)
    for n, (lo, hi) in enumerate(zip(starts, [*starts[1:], count], strict=True)):
        text = _shard_script("docs", n, ",".join(map(index.row, range(lo, hi))))
        doc_shards.append([index.first_row + lo, len(text.encode())])
        yield DOC_SHARD.format(n=n), text
    manifest = {**index.head, "termShards": term_shards, "docShards": doc_shards}
    yield (
        INDEX_FILE,
        (
            "/* Search index of timeline digests, made by the build: see docs/search-index.md. */\n"
            f"window.TIMELINE_SEARCH = {script_json(manifest)};\n"
        ),
    )


def _shard_script(kind: str, number: int, items: str) -> str:
    return f'window.{CALLBACK}("{kind}",{number},[{items}]);\n'


def _varint(gap: int) -> str:
    digits = [FINAL[gap % 32]]
    gap //= 32
    while gap:
        digits.append(MORE[gap % 32])
        gap //= 32
    return "".join(reversed(digits))


_SMALL_GAPS = [_varint(gap) for gap in range(32 * 32)]  # one or two digits: most gaps


def _varints(numbers: Sequence[int]) -> str:
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
