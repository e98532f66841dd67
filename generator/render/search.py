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

import hashlib
import json
import operator
import re
import sys
import unicodedata
import zlib
from array import array
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import partial
from itertools import chain, groupby
from typing import Any

from ..model.records import Article, Event, Quote, Speaker
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
# Past 3/4 of its bound, a shard is cut before an item that is "marked" (a term whose CRC-32, or
# a document whose number, is a multiple of this): where shards are cut then follows from the
# items themselves, not from the sizes of all before them, so an edit changes the shards that
# hold what it changed, not every one after (see `_cuts`).
MARKED_EVERY = 8
PATCHED_AT_MOST = 64  # articles changed since the last build: more, and the index is made anew
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
    quotes, in document order, starting at document number `first_row`): how many bytes
    each takes in its shard (`row_sizes`), and each row's text, made when asked (`row`)."""

    head: dict[str, Any]
    terms: list[str]
    postings: list[str]
    first_row: int
    row_sizes: array[int]  # a row's UTF-8 bytes and its comma
    row: Callable[[int], str]  # the row of document first_row + i, as written


def _row_text(number: int, row: str) -> str:
    """A row as written: its article's number put in front (an event's or quote's piece does
    not know it: other articles move it); NO_ARTICLE: the row as it is."""
    return row if number == NO_ARTICLE else f"[{number},{row[1:]}"  # script_json([n, *row])


@dataclass(frozen=True)
class _Numbering:
    """Where each kind of document starts, and regions, speakers and articles by number."""

    regions: dict[str, int]
    speakers: dict[str, int]
    articles: dict[str, int]
    first_row: int  # the first article: regions and speakers have no row (the manifest has them)
    first_event: int
    first_quote: int

    @classmethod
    def of(cls, site: Site) -> _Numbering:
        first_row = len(site.regions) + len(site.speakers)
        return cls(
            {rid: i for i, rid in enumerate(site.regions)},
            {sid: i for i, sid in enumerate(site.speakers)},
            {a.slug: i for i, a in enumerate(site.articles)},
            first_row,
            first_row + len(site.articles),
            first_row + len(site.articles) + len(site.events),
        )


def build_index(site: Site, piece: Piece = _made) -> Index:
    """The whole index (see the module docstring and docs/search-index.md). `piece` may keep
    each record's row and words from one build to the next (the engine's `piece`); rows store
    their article by number, added here."""
    at = _Numbering.of(site)
    docs: list[Iterable[str]] = []
    for i, region in enumerate(site.regions.values()):
        docs.append(
            _unique([*words(region.name, *region.aliases, region.kind or ""), _filter(REGION, i)])
        )
    for i, speaker in enumerate(site.speakers.values()):
        docs.append(
            _unique([*words(speaker.name, *speaker.aliases, _note(speaker)), _filter(SPEAKER, i)])
        )

    rows: list[str] = []  # the pieces' rows: written with their article's number (`row`)
    numbers = array("i")  # each row's article number (NO_ARTICLE: an article's own)
    sizes = array("I")
    article_regions: list[tuple[str, ...]] = []  # its regions' filter terms
    for article in site.articles:
        row, doc, regions_of = _article_piece(piece, at, article)
        rows.append(row)
        numbers.append(NO_ARTICLE)
        sizes.append(_utf8_size(row) + 1)
        article_regions.append(_region_filters(regions_of))
        docs.append(doc)
    for event in site.events:
        row, doc = _event_piece(piece, site, at, event)
        number = at.articles[event.article]
        rows.append(row)
        numbers.append(number)
        sizes.append(_utf8_size(row) + len(str(number)) + 2)  # (_row_text: "[n," for "[")
        docs.append(doc)
    for quote in site.quotes:
        row, doc = _quote_piece(piece, site, at, quote)
        number = at.articles[quote.article]
        rows.append(row)
        numbers.append(number)
        sizes.append(_utf8_size(row) + len(str(number)) + 2)
        # not a list per quote; its words and its article's region filters (~r) never meet
        docs.append(chain(doc, article_regions[number]))
    for day in site.days:
        docs.append(_unique(words(day.date.isoformat(), MONTHS[day.date.month - 1])))

    terms, postings = _inverted(docs)

    def row_at(index: int) -> str:  # made when its shard is, not kept: tens of MB at 50,000
        return _row_text(numbers[index], rows[index])

    return Index(_head(site, at), terms, postings, at.first_row, sizes, row_at)


def _head(site: Site, at: _Numbering) -> dict[str, Any]:
    """The manifest's fields but its shard tables."""
    regions = [
        [
            r.id,
            r.name,
            at.regions.get(r.parent, -1) if r.parent else -1,
            list(r.aliases),
            r.kind or "",
        ]
        for r in site.regions.values()
    ]
    speakers = [[s.id, s.name, _note(s), list(s.aliases)] for s in site.speakers.values()]
    return {
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


def _note(speaker: Speaker) -> str:
    return ", ".join(x for x in (speaker.role, speaker.affiliation) if x)


def _region_filters(regions_of: Iterable[int]) -> tuple[str, ...]:
    return tuple(_filter(REGION, r) for r in regions_of)


def _article_piece(piece: Piece, at: _Numbering, article: Article) -> Any:
    return piece(
        "search-article",
        article.slug,
        article.slug,
        partial(_article_entry, article, at.regions, at.speakers),
    )


def _event_piece(piece: Piece, site: Site, at: _Numbering, event: Event) -> Any:
    return piece(
        "search-event",
        event.id,
        event.article,
        partial(_event_entry, site, event, at.regions, at.speakers),
    )


def _quote_piece(piece: Piece, site: Site, at: _Numbering, quote: Quote) -> Any:
    return piece(
        "search-quote", quote.id, quote.article, partial(_quote_entry, site, quote, at.speakers)
    )


# -- the last build's index, patched -------------------------------------------------------------


@dataclass
class Kept:
    """What a build keeps of its index for the next one (see `patched_index`): the numbering's
    digest, each article's file digest by number, the vocabulary and postings, each row's
    size, and each shard's (size, key) by its span (see `Shard`)."""

    documents: str
    articles: list[str]
    terms: list[str]
    postings: list[str]
    row_sizes: bytes  # array('I') of each row's size, as bytes
    shards: dict[str, tuple[int, str]]


@dataclass(frozen=True)
class Changes:
    """What a patched index changed: terms whose postings did (or that came or went), and
    rows (by index from `first_row`)."""

    terms: frozenset[str]
    rows: frozenset[int]


OldPiece = Callable[[str, str, str], Any]  # kind, record id, its article's digest then → piece


def documents_digest(site: Site) -> str:
    """What numbers the documents: every document's kind and id, in order. Two builds with
    the same digest number every document alike."""
    digest = hashlib.sha256()
    for kind, ids in (
        ("r", site.regions),
        ("s", site.speakers),
        ("a", (a.slug for a in site.articles)),
        ("e", (e.id for e in site.events)),
        ("q", (q.id for q in site.quotes)),
        ("d", (d.date.isoformat() for d in site.days)),
    ):
        digest.update(f"\n{kind}\n".encode())
        digest.update("\n".join(ids).encode())
    return digest.hexdigest()


def patched_index(
    site: Site,
    kept: Kept,
    documents: str,
    digests: Sequence[str],
    piece: Piece,
    old_piece: OldPiece,
) -> tuple[Index, Changes] | None:
    """The index of `site` made from the last build's (`kept`) when only some articles'
    files changed (`digests`: each article's file digest, by number) and every document has
    its number still (`documents`, see `documents_digest`): the changed articles' documents
    leave the postings of the words they lost and join those of the words they gained. Their
    words before come from the pieces kept for their files then (`old_piece`). None when it
    cannot be patched (an article added, removed or moved; a development or quote added or
    removed; a day gained or lost; more than PATCHED_AT_MOST articles changed; a piece of
    the last build missing): then the index is made anew, as `build_index` makes it, which
    a patched index equals."""
    at = _Numbering.of(site)
    rows_now = len(site.articles) + len(site.events) + len(site.quotes)
    if (
        kept.documents != documents
        or len(kept.articles) != len(digests)
        or len(kept.terms) != len(kept.postings)
        or len(kept.row_sizes) != rows_now * array("I").itemsize
    ):
        return None
    changed = {
        i for i, (was, now) in enumerate(zip(kept.articles, digests, strict=True)) if was != now
    }
    if len(changed) > PATCHED_AT_MOST:
        return None
    row_sizes = array("I")
    row_sizes.frombytes(kept.row_sizes)
    added: defaultdict[str, set[int]] = defaultdict(set)
    removed: defaultdict[str, set[int]] = defaultdict(set)
    rows: dict[int, str] = {}  # by index from first_row
    regions_then: dict[int, tuple[str, ...]] = {}
    regions_now: dict[int, tuple[str, ...]] = {}

    def change(number: int, was: Iterable[str], now: Iterable[str], row: str) -> None:
        before, after = set(was), set(now)
        for word in before - after:
            removed[word].add(number)
        for word in after - before:
            added[word].add(number)
        rows[number - at.first_row] = row
        row_sizes[number - at.first_row] = _utf8_size(row) + 1

    for i in sorted(changed):
        article = site.articles[i]
        old = old_piece("search-article", article.slug, kept.articles[i])
        if old is None:
            return None
        row, doc, regions_of = _article_piece(piece, at, article)
        regions_then[i], regions_now[i] = _region_filters(old[2]), _region_filters(regions_of)
        change(at.first_row + i, old[1], doc, row)
    none: tuple[str, ...] = ()
    kinds: list[tuple[Sequence[Event | Quote], int, str, Callable[[Any], Any]]] = [
        (site.events, at.first_event, "search-event", partial(_event_piece, piece, site, at)),
        (site.quotes, at.first_quote, "search-quote", partial(_quote_piece, piece, site, at)),
    ]
    for records, first, kind, made in kinds:
        quotes = kind == "search-quote"  # a quote's document is about its article's regions
        for number, record in enumerate(records, first):
            i = at.articles[record.article]
            if i in changed:
                old = old_piece(kind, record.id, kept.articles[i])
                if old is None:
                    return None
                row, doc = made(record)
                was = chain(old[1], regions_then[i] if quotes else none)
                now = chain(doc, regions_now[i] if quotes else none)
                change(number, was, now, _row_text(i, row))

    terms, postings = list(kept.terms), list(kept.postings)
    for word in sorted(set(added) | set(removed), key=_utf16):
        place = bisect_left(terms, _utf16(word), key=_utf16)
        there = place < len(terms) and terms[place] == word
        numbers = set(read_varints(postings[place])) if there else set()
        numbers = (numbers - removed.get(word, set())) | added.get(word, set())
        if numbers and there:
            postings[place] = _varints(sorted(numbers))
        elif numbers:
            terms.insert(place, word)
            postings.insert(place, _varints(sorted(numbers)))
        elif there:
            del terms[place], postings[place]

    def row_of(index: int) -> str:
        row = rows.get(index)
        return row if row is not None else _row_of(site, at, at.first_row + index)

    index = Index(_head(site, at), terms, postings, at.first_row, row_sizes, row_of)
    return index, Changes(frozenset(added) | frozenset(removed), frozenset(rows))


def _row_of(site: Site, at: _Numbering, number: int) -> str:
    """Document `number`'s row, made from its record (a few rows of a shard being patched:
    their pieces are not read)."""
    if number < at.first_event:
        return _article_entry(site.articles[number - at.first_row], at.regions, at.speakers)[0]
    if number < at.first_quote:
        event = site.events[number - at.first_event]
        row = _event_entry(site, event, at.regions, at.speakers)[0]
        return _row_text(at.articles[event.article], row)
    quote = site.quotes[number - at.first_quote]
    return _row_text(at.articles[quote.article], _quote_entry(site, quote, at.speakers)[0])


def _utf16(term: str) -> bytes:
    """The order of JavaScript's string comparison (UTF-16 code units)."""
    return term.encode("utf-16-be")


def _utf8_size(text: str) -> int:
    return len(text) if text.isascii() else len(text.encode())


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
    terms = sorted(by_term, key=_utf16)
    return terms, [_varints(by_term[t]) for t in terms]


def _cuts(sizes: Sequence[int], marked: Sequence[bool], bound: int) -> list[int]:
    """Where shards start: consecutive items, a new shard before an item that would take the
    current one past `bound` bytes (an item bigger than that gets a shard of its own), or
    before a `marked` item once the current one holds 3/4 of `bound`. Most shards end at a
    marked item, so a change of one item's size moves no cut but, rarely, one or two near
    it: cut only by size, every shard after a grown item would start elsewhere."""
    starts, total, enough = [0], 0, bound - bound // 4
    for i, size in enumerate(sizes):
        if total and (total + size > bound or (total >= enough and marked[i])):
            starts.append(i)
            total = 0
        total += size
    return starts if sizes else []


@dataclass(frozen=True)
class Shard:
    """One shard file: `name`, its manifest's `kind` ("terms" or "docs") and `first` item (a
    word or a document number), its `span` (kind, number, first and last item: what tells a
    shard from another whatever it holds) and its text, made when asked. `known`: the size
    and key of the last build's file of the same span when nothing in it changed since
    (None: make it)."""

    name: str
    kind: str
    first: str | int
    span: str
    make: Callable[[], str]
    known: tuple[int, str] | None = None


def index_shards(
    index: Index,
    kept: Mapping[str, tuple[int, str]] | None = None,
    changes: Changes | None = None,
) -> Iterator[Shard]:
    """Every shard of the index, term shards first. With the last build's shards (`kept`) and
    what changed since (`changes`), each shard of a span that nothing changed is `known`."""
    kept = kept if kept is not None and changes is not None else {}
    terms = index.terms
    items = [  # a word (letters and digits) and postings (FINAL and MORE) need no escaping
        f'"{t}","{p}"' if t.isalnum() else f'{script_json(t)},"{p}"'
        for t, p in zip(terms, index.postings, strict=True)
    ]
    marked = [zlib.crc32(t.encode()) % MARKED_EVERY == 0 for t in terms]
    starts = _cuts([_utf8_size(i) + 1 for i in items], marked, TERM_SHARD_BYTES)
    changed = sorted(map(_utf16, changes.terms)) if changes is not None else []
    for n, (lo, hi) in enumerate(zip(starts, [*starts[1:], len(items)], strict=True)):
        span = f"terms\0{n}\0{terms[lo]}\0{terms[hi - 1]}"
        first, last = _utf16(terms[lo]), _utf16(terms[hi - 1])
        touched = bisect_right(changed, last) > bisect_left(changed, first)  # one in [first, last]
        yield Shard(
            TERM_SHARD.format(n=n),
            "terms",
            terms[lo],
            span,
            partial(_items_shard, "terms", n, items, lo, hi),
            None if touched else kept.get(span),
        )
    del items, marked  # (tens of MB at 50,000 articles) the caller made its term shards
    count = len(index.row_sizes)
    marked = [(index.first_row + i) % MARKED_EVERY == 0 for i in range(count)]
    starts = _cuts(index.row_sizes, marked, DOC_SHARD_BYTES)
    rows = sorted(changes.rows) if changes is not None else []
    for n, (lo, hi) in enumerate(zip(starts, [*starts[1:], count], strict=True)):
        span = f"docs\0{n}\0{lo}\0{hi}"
        touched = bisect_left(rows, hi) > bisect_left(rows, lo)  # one in [lo, hi)
        yield Shard(
            DOC_SHARD.format(n=n),
            "docs",
            index.first_row + lo,
            span,
            partial(_rows_shard, n, index.row, lo, hi),
            None if touched else kept.get(span),
        )


def _items_shard(kind: str, number: int, items: Sequence[str], lo: int, hi: int) -> str:
    return _shard_script(kind, number, ",".join(items[lo:hi]))


def _rows_shard(number: int, row: Callable[[int], str], lo: int, hi: int) -> str:
    return _shard_script("docs", number, ",".join(map(row, range(lo, hi))))


def manifest_script(head: Mapping[str, Any], tables: Mapping[str, list[list[Any]]]) -> str:
    """search/index.js: the manifest, with each kind's shard table ([first item, bytes])."""
    manifest = {**head, "termShards": tables["terms"], "docShards": tables["docs"]}
    return (
        "/* Search index of timeline digests, made by the build: see docs/search-index.md. */\n"
        f"window.TIMELINE_SEARCH = {script_json(manifest)};\n"
    )


def index_files(index: Index) -> dict[str, str]:
    """Every file of the index, by output name: the term shards, the document shards and the
    manifest (INDEX_FILE) that lists them with their sizes."""
    return dict(each_index_file(index))


def each_index_file(index: Index) -> Iterator[tuple[str, str]]:
    """`index_files` one at a time, the manifest last."""
    tables: dict[str, list[list[Any]]] = {"terms": [], "docs": []}
    for shard in index_shards(index):
        text = shard.make()
        tables[shard.kind].append([shard.first, _utf8_size(text)])
        yield shard.name, text
    yield INDEX_FILE, manifest_script(index.head, tables)


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
