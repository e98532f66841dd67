"""What a page family is given (`Inputs`) and how it declares its outputs.

A page family is one class per module with `outputs()`: it yields `Page`s (a template and its
values) and `Task`s (jobs that write files themselves), each with what it shows (`Depends`).
The engine (generator.build.engine) turns those declarations into fingerprints, keeps what
did not change and renders the rest; a family never sees a hasher or a worker.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import date
from functools import partial
from operator import attrgetter
from pathlib import Path
from typing import Any, Protocol

from ..build.engine import Claim, Depends, Group, Output, Page, Task
from ..model.history import NONE, History
from ..model.paging import Part, group_by_day, split_parts
from ..model.site import Site
from ..model.urls import (
    DIGEST,
    WHOLE_MONTHS,
    archive_url,
    is_absolute,
    month_url,
    part_start,
    timeline_url,
)
from ..settings import TimelineSettings

__all__ = [
    "Claim",
    "Depends",
    "Group",
    "Inputs",
    "Output",
    "Page",
    "PageFamily",
    "Task",
    "Timeline",
    "timeline_group",
    "timeline_pages",
]


class Files(Protocol):
    """The engine's side a family may use for files it writes itself."""

    def claim(self, name: str, kind: str, depends: Depends) -> Claim | None: ...
    def write_text(self, name: str, text: str, claim: Claim | None = None) -> None: ...
    def fresh_file(self, name: str) -> AbstractContextManager[int]: ...
    def write_list(
        self, name: str, items: Iterable[tuple[str, str, Any]], make: Callable[[Any], str]
    ) -> None: ...
    def unchanged(self, name: str, inode: int) -> bool: ...
    def piece(
        self, kind: str, item_id: str, article: str, make: Callable[[], Any], *extra: str
    ) -> Any: ...
    def kept_piece(self, kind: str, item_id: str, digest: str, *extra: str) -> Any: ...
    def recall(self, name: str) -> memoryview | None: ...
    def keep(self, name: str, body: bytes) -> None: ...
    def on_finish(self, job: Callable[[], None], writes: Iterable[str] = ()) -> None: ...


Render = Callable[[str, str, Mapping[str, Any]], str]  # name, template, values → the page


@dataclass(frozen=True)
class Inputs:
    """Everything a page family may use, handed over when it is made."""

    site: Site
    settings: TimelineSettings
    pelican_settings: Mapping[str, Any]  # SITEURL, RELATIVE_URLS, THEME_STATIC_PATHS...
    theme: Path
    root: Path  # the project (a theme's links may point into it)
    output: Path  # the folder being written (staging)
    files: Files
    render: Render  # a page rendered as the writer would, but not written
    file_digests: Mapping[str, str]  # content path → sha256 of its file
    history: History = NONE  # each file's revisions, when TIMELINE_REPO_URL is set
    articles: Sequence[Any] = ()  # Pelican's objects of published articles (record: ours)
    pages: Sequence[Any] = ()  # and of published pages

    @property
    def siteurl(self) -> str:
        return str(self.pelican_settings.get("SITEURL") or "")

    @property
    def absolute_siteurl(self) -> str:
        """SITEURL when it is an http(s) address (publishing), else ""."""
        siteurl = self.siteurl.rstrip("/")
        return siteurl if is_absolute(siteurl) else ""


class PageFamily:
    """Base of the page families: `outputs()` declares every file the family writes."""

    def __init__(self, inputs: Inputs) -> None:
        self.inputs = inputs
        self.site = inputs.site

    def outputs(self) -> Iterator[Output]:
        raise NotImplementedError


@dataclass(frozen=True)
class MonthCount:
    """A month of a timeline's calendar of months: its first day, its items and its page."""

    start: date
    count: int
    url: str


@dataclass(frozen=True)
class Neighbour:
    """The previous or next archive part with items, for a pager labelled with its dates."""

    unit: str
    start: date
    end: date
    url: str


@dataclass(frozen=True)
class Timeline:
    """One region's or speaker's timeline: items and articles oldest first."""

    kind: str  # "region" or "speaker"
    id: str
    unit: str
    items: Sequence[Any]
    articles: Sequence[Any]


def timeline_group(
    timeline: Timeline,
    template: str,
    per_page: int,
    values: dict[str, Any],
    first: dict[str, Any],
) -> Group:
    """A timeline's pages (`timeline_pages`) as one group, whose key is everything they are
    made from: after an edit, only the timelines of the edited article's places, their
    ancestors and its speakers are split into parts and fingerprinted page by page."""
    return Group(
        f"{timeline.kind}:{timeline.id}",
        Depends(
            records=[*timeline.items, *timeline.articles],
            values=(values, first, timeline.unit, template, per_page),
        ),
        partial(timeline_pages, timeline, template, per_page, values, first),
    )


def timeline_pages(
    timeline: Timeline,
    template: str,
    per_page: int,
    values: dict[str, Any],
    first: dict[str, Any],
) -> Iterator[Page]:
    """A timeline's first page, its archive parts and, for parts finer than a month, the
    contents of each month. A timeline kept in the digests (unit "digest") has no parts of
    its own: they are the days' digests, which pages.days writes.

    The first page shows the latest `per_page` items (a view: each item's home is its part)
    and charts the whole timeline, so only it depends on every item and gets `first` (totals,
    key developments, latest articles) besides `values` (the name, the breadcrumb). A part
    depends on its own items and articles and on which parts are its neighbours; a month's
    contents on its counts. An edit re-renders the parts it touches, the first page and their
    months."""
    kind, ident, unit = timeline.kind, timeline.id, timeline.unit
    first_url = timeline_url(kind, ident)
    parts = split_parts(timeline.items, _day_of, unit, partial(archive_url, kind, ident, unit))
    by_part: dict[date, list[Any]] = {}
    by_month: dict[date, list[Any]] = {}
    for article in timeline.articles:
        by_part.setdefault(part_start(unit, article.day), []).append(article)
        by_month.setdefault(article.day.replace(day=1), []).append(article)
    months = _months(parts, partial(month_url, kind, ident, unit=unit))
    common = {**values, "kind": kind, "unit": unit, "first_url": first_url}
    latest = group_by_day(tuple(reversed(timeline.items[-per_page:])), _day_of)
    first_values = {**common, **first, "latest": latest, "months": months}
    yield Page(
        first_url,
        template,
        first_values,
        Depends(
            records=[*timeline.items, *timeline.articles],
            values=(values, first, [(m.start, m.count) for m in months], unit),
        ),
    )
    neighbours = [Neighbour(p.unit, p.start, p.end, p.url) for p in parts]
    whole = unit in WHOLE_MONTHS  # parts of whole months: no month contents pages
    for index, part in enumerate(parts if unit != DIGEST else ()):  # digests: pages.days
        # a part finer than a month leaves its articles to the month's contents page
        articles = tuple(reversed(by_part.get(part.start, ()))) if whole else ()
        older = neighbours[index - 1] if index else None
        newer = neighbours[index + 1] if index + 1 < len(parts) else None
        page_values = {
            **common,
            "part": part,
            "older": older,
            "newer": newer,
            "month_url": None if whole else month_url(kind, ident, part.start),
            "period_articles": articles,
        }

        def depends(
            part: Part[Any] = part,
            articles: tuple[Any, ...] = articles,
            around: tuple[Neighbour | None, ...] = (older, newer),
        ) -> Depends:
            listed = [item for group in part.days for item in group.items]
            return Depends(
                records=[*listed, *articles],
                values=(values, unit),
                text=tuple(n.url if n else "" for n in around),
            )

        yield Page(part.url, "archive", page_values, depends)
    if whole:
        return
    parts_by_month: dict[date, list[Part[Any]]] = {}
    for part in parts:  # a part finer than a month lies in one month
        parts_by_month.setdefault(part.start.replace(day=1), []).append(part)
    for index, month in enumerate(months):
        inside = parts_by_month[month.start]
        articles = tuple(reversed(by_month.get(month.start, ())))
        month_values = {
            **common,
            "month": month,
            "parts": [(Neighbour(p.unit, p.start, p.end, p.url), p.count) for p in inside],
            "days": {g.day: (g.day, len(g.items), p.url) for p in inside for g in p.days},
            "older": months[index - 1] if index else None,
            "newer": months[index + 1] if index + 1 < len(months) else None,
            "period_articles": articles,
        }
        yield Page(
            month.url,
            "archive_month",
            month_values,
            Depends(
                records=articles,
                values=(
                    values,
                    unit,
                    [(p.start, p.count) for p in inside],
                    sorted(month_values["days"].values()),
                    [(m.start, m.count) for m in months[max(index - 1, 0) : index + 2]],
                ),
            ),
        )


def _months(parts: Sequence[Part[Any]], url_of: Callable[[date], str]) -> list[MonthCount]:
    """The months with items, oldest first, with their counts; each opens at its newest day
    (a month's page, or that day's section of a year's page)."""
    counts: dict[date, int] = {}
    newest: dict[date, date] = {}
    for part in parts:
        for group in part.days:
            start = group.day.replace(day=1)
            counts[start] = counts.get(start, 0) + len(group.items)
            newest[start] = max(newest.get(start, group.day), group.day)
    return [MonthCount(start, n, url_of(newest[start])) for start, n in sorted(counts.items())]


_day_of: Callable[[Any], date] = attrgetter("day")  # an item's day, in C (once per item)


def site_summary(site: Site) -> str:
    """What base templates show of the whole site (totals, pages, newest day) and the span of
    days that every activity chart covers: part of every page's fingerprint."""
    return repr(
        (
            len(site.events),
            len(site.quotes),
            len(site.articles),
            [(p.slug, p.title) for p in site.pages],
            (site.days[0].date, site.days[-1].date) if site.days else None,
        )
    )
