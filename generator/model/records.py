"""The content model: small frozen records, built once per build, read by every generator.

Rendered HTML fragments (`html`, `body_html`) link to other pages through ROOT, a marker that
each page replaces with its own way back to the site root (`../../`), so a fragment is
rendered once and shown on any page at any depth.

A body's HTML is kept compressed (`body`, see `pack_html`): it is the largest part of a record
and a build shows it once or twice (its page, a feed), while every process holds every
record for the whole build (~90 MiB less at 20,000 articles).
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from datetime import date, datetime

Date = date  # fields named `date` shadow the type inside class bodies

ROOT = "\x1f"  # a control character: refused in contributors' files (content.files.CONTROL);
# ASCII, so a fragment without other non-ASCII characters is stored one byte a character (a
# private-use character made every linking fragment two bytes a character)
RecordWarning = tuple[int, int, str]  # line, column, message: about the record's own file


@dataclass(frozen=True, slots=True)
class Region:
    id: str
    name: str
    parent: str | None
    kind: str | None
    aliases: tuple[str, ...]
    lat: float | None
    lon: float | None
    line: int


@dataclass(frozen=True, slots=True)
class Speaker:
    id: str
    name: str
    role: str | None
    affiliation: str | None
    aliases: tuple[str, ...]
    line: int


@dataclass(frozen=True, slots=True)
class Source:
    url: str
    title: str | None
    id: str | None = None  # what `source:<id>` links in the body name

    @property
    def domain(self) -> str:
        """The host a reader recognises: "bbc.com" for https://www.bbc.com/news/..."""
        host = self.url.split("://", 1)[-1].split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]
        host = host.rsplit("@", 1)[-1].split(":", 1)[0] if not host.startswith("[") else host
        return host.lower().removeprefix("www.")


@dataclass(frozen=True, slots=True)
class Correction:
    """A correction or update note of an article (front matter `corrections`)."""

    id: str  # "co-<article slug>-<n>", n counting in the front matter's order: its anchor
    date: datetime  # aware
    text: str  # plain text
    html: str  # inline HTML (one paragraph, no <p>), links through ROOT
    line: int


@dataclass(frozen=True, slots=True)
class Event:
    """A development: something that happened somewhere, at a time."""

    id: str  # "ev-<article slug>-<n>": stable whatever other articles do
    article: str
    position: int
    time: datetime  # aware, fixed offset; untimed: the article's `date`, only for ordering
    day: date  # in the site time zone (a `**YYYY-MM-DD**` stamp: the day it names)
    regions: tuple[str, ...]  # named by the development itself, or the article's defaults
    speakers: tuple[str, ...]  # speakers it mentions
    text: str  # plain text
    html: str  # rendered inline HTML, stamp removed, links through ROOT
    line: int
    timed: bool = True  # it has a stamp of its own; False: `time` is only its article's
    precision: str | None = "minute"  # of the stamp: "minute" or "day"; None when untimed
    key: bool = False  # marked `**Key**`
    sources: tuple[Source, ...] = ()  # its own `source:` refs (Site.sources_of adds the default)

    @property
    def sort_key(self) -> tuple[datetime, str, int]:
        return (self.time, self.article, self.position)

    @property
    def clock(self) -> bool:
        """A clock time of its own is known (a `**HH:MM**` stamp), not just a day or nothing."""
        return self.precision == "minute" and self.timed


@dataclass(frozen=True, slots=True)
class Quote:
    id: str  # "qu-<article slug>-<n>"
    article: str
    position: int
    time: datetime
    day: date
    speaker: str
    text: str  # plain text, paragraphs separated by blank lines
    html: str  # the quoted paragraphs, rendered
    context: str  # plain text after the attribution, "" when none
    context_html: str
    line: int
    sources: tuple[Source, ...] = ()  # its own `source:` refs (Site.sources_of adds the default)

    @property
    def sort_key(self) -> tuple[datetime, str, int]:
        return (self.time, self.article, self.position)


@dataclass(frozen=True, slots=True)
class Article:
    slug: str
    title: str
    date: datetime  # aware
    date_only: bool  # `date:` gave a day, not a time
    updated: datetime | None
    summary: str
    regions: tuple[str, ...]  # front matter
    speakers: tuple[str, ...]  # front matter
    tags: tuple[str, ...]
    sources: tuple[Source, ...]
    authors: tuple[str, ...]
    draft: bool
    path: str  # relative to the project root, for messages
    body: bytes  # the body's HTML, packed (pack_html): read it as `body_html`
    events: tuple[Event, ...]
    quotes: tuple[Quote, ...]
    mentioned_regions: tuple[str, ...]  # front matter + body references, in order
    mentioned_speakers: tuple[str, ...]  # front matter + body references + quotes
    day: Date  # of `date`, in the site time zone
    warnings: tuple[RecordWarning, ...] = ()  # kept with the record: a cached file still warns
    corrections: tuple[Correction, ...] = ()  # newest first

    @property
    def corrected(self) -> datetime | None:
        """The latest correction's time, or None."""
        return self.corrections[0].date if self.corrections else None

    @property
    def anchor(self) -> str:
        return f"ar-{self.slug}"

    @property
    def body_html(self) -> str:
        """The rendered body, links through ROOT."""
        return unpack_html(self.body)


@dataclass(frozen=True, slots=True)
class Page:
    slug: str
    title: str
    summary: str
    draft: bool
    path: str
    body: bytes  # the body's HTML, packed (pack_html): read it as `body_html`
    warnings: tuple[RecordWarning, ...] = ()

    @property
    def body_html(self) -> str:
        """The rendered body, links through ROOT."""
        return unpack_html(self.body)


@dataclass(frozen=True, slots=True)
class Day:
    """One day of the digest, in the site time zone."""

    date: Date
    events: tuple[Event, ...]
    quotes: tuple[Quote, ...]
    articles: tuple[Article, ...]


def pack_html(html: str) -> bytes:
    """HTML as a record keeps it: UTF-8, compressed (about a fifth of the text in memory)."""
    return zlib.compress(html.encode())


def unpack_html(packed: bytes) -> str:
    return zlib.decompress(packed).decode()


def iso(moment: datetime) -> str:
    """ISO 8601 with the offset, seconds always shown (2023-02-13T08:15:00+02:00)."""
    return moment.isoformat(timespec="seconds")
