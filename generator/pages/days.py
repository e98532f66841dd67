"""Daily digests: one page per day with anything in it, read as a live blog (what mattered,
a contents by place, one stream newest first), and the index of days by month."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from functools import partial
from typing import Any

from ..model.records import Day, Event, Quote, Region
from ..model.site import Site
from ..model.urls import day_url
from ..render.cards import place_label, places
from .base import Depends, Output, Page, PageFamily
from .feeds import DIGESTS_FEED


@dataclass(frozen=True)
class Headline:
    """A development of what mattered, with its place label."""

    event: Event
    place: str


@dataclass(frozen=True)
class PlaceCount:
    """A contents entry: a region's developments of the day and the newest one's anchor."""

    region: Region
    count: int
    newest: str  # the id of its newest development, in the stream
    places: tuple[PlaceCount, ...] = ()  # a top-level region's oblasts (depth 1)


def day_stream(day: Day) -> tuple[Event | Quote, ...]:
    """Every development and quote of the day in one stream, newest first; at one moment of
    one article (a quote has its article's time), its developments before its quotes."""
    return tuple(sorted((*day.events, *day.quotes), key=_stream_key, reverse=True))


def _stream_key(item: Event | Quote) -> tuple[datetime, str, bool, int]:
    return (item.time, item.article, isinstance(item, Event), item.position)


LATEST_SHOWN = 3


def headlines(site: Site, newest_first: Sequence[Event]) -> tuple[bool, tuple[Headline, ...]]:
    """What mattered: the day's key developments, newest first; on a day with none marked
    key, its latest few (so a development is always on the first screen, above long quotes)."""
    key = tuple(e for e in newest_first if e.key)
    shown = key or tuple(newest_first[:LATEST_SHOWN])
    return bool(key), tuple(
        Headline(e, "; ".join(place_label(site, rid) for rid in places(site, e.regions)))
        for e in shown
    )


def _levels(site: Site, region_id: str) -> tuple[str, ...]:
    """The top-level region and the depth-1 region a region lies in (or is)."""
    chain = (*site.ancestors(region_id), site.regions[region_id])
    return tuple(r.id for r in chain[:2])


def day_contents(site: Site, newest_first: Sequence[Event]) -> tuple[PlaceCount, ...]:
    """Top-level regions → their depth-1 regions, A–Z, each with its count of the day's
    developments (one naming two places counts in each) and its newest one."""
    counts: dict[str, int] = {}
    newest: dict[str, str] = {}
    below: dict[str, dict[str, None]] = {}
    for event in newest_first:
        levels = [_levels(site, rid) for rid in event.regions]
        for rid in dict.fromkeys(r for level in levels for r in level):
            counts[rid] = counts.get(rid, 0) + 1
            newest.setdefault(rid, event.id)
        for level in levels:
            below.setdefault(level[0], {}).update(dict.fromkeys(level[1:]))

    def entry(rid: str, places: tuple[PlaceCount, ...] = ()) -> PlaceCount:
        return PlaceCount(site.regions[rid], counts[rid], newest[rid], places)

    def by_name(ids: Iterable[str]) -> list[str]:
        return sorted(ids, key=lambda rid: (site.regions[rid].name.lower(), rid))

    return tuple(
        entry(top, tuple(entry(rid) for rid in by_name(below[top]))) for top in by_name(below)
    )


SUMMARY_PLACES = 3


def region_summary(contents: Sequence[PlaceCount]) -> tuple[tuple[PlaceCount, bool], ...]:
    """The day by top-level region, the busiest first, each with its busiest places (and
    whether it has more): what mattered where, in a line or two."""
    return tuple(
        (
            replace(top, places=tuple(_busiest(top.places)[:SUMMARY_PLACES])),
            len(top.places) > SUMMARY_PLACES,
        )
        for top in _busiest(contents)
    )


def _busiest(entries: Sequence[PlaceCount]) -> list[PlaceCount]:
    return sorted(entries, key=lambda e: (-e.count, e.region.name.lower(), e.region.id))


KEY_SHOWN = 5


def latest_key(events: Sequence[Event], shown: int = KEY_SHOWN) -> tuple[Event, ...]:
    """The latest key developments, newest first."""
    found: list[Event] = []
    for event in reversed(events):
        if event.key:
            found.append(event)
            if len(found) == shown:
                break
    return tuple(found)


def days_index_url(year: int, years: Sequence[int]) -> str:
    """The newest year is the days index itself; each earlier year has a page of its own."""
    return "days/index.html" if year == years[0] else f"days/{year}.html"


class DayPages(PageFamily):
    """A digest per day with anything in it, and the index of days: a page per year."""

    def outputs(self) -> Iterator[Output]:
        days = self.site.days
        years = sorted({day.date.year for day in days}, reverse=True)
        year_urls = {year: days_index_url(year, years) for year in years}
        shown: list[int | None] = [*years] if years else [None]  # an empty site: one page
        scale = tuple(len(day.events) for day in days)  # every year's calendar shares a scale
        for year in shown:
            months: dict[str, list[Day]] = {}
            for day in reversed(days):
                if day.date.year == year:
                    months.setdefault(day.date.strftime("%Y-%m"), []).append(day)
            name = year_urls[year] if year is not None else "days/index.html"
            values = {"months": months, "year": year, "year_urls": year_urls}
            shown_days = [day for month in months.values() for day in month]
            depends = Depends(  # the days' records as records (one lookup each, not a walk)
                records=[r for d in shown_days for r in (*d.events, *d.quotes, *d.articles)],
                values=([d.date for d in shown_days], year, year_urls, scale),
            )
            yield Page(name, "days", values, depends)
        for index, day in enumerate(days):
            previous = days[index - 1].date if index > 0 else None
            following = days[index + 1].date if index + 1 < len(days) else None
            yield Page(
                day_url(day.date),
                "day",
                partial(self._values, day, previous, following),
                partial(_day_depends, day, previous, following),
            )

    def _values(
        self,
        day: Day,
        previous: date | None,
        following: date | None,
    ) -> dict[str, Any]:
        newest_first = tuple(reversed(day.events))
        contents = day_contents(self.site, newest_first)
        key_found, shown = headlines(self.site, newest_first)
        return {
            "day": day,
            "stream": day_stream(day),
            "contents": contents,
            "summary": region_summary(contents),
            "key_found": key_found,
            "headlines": shown,
            "previous": previous,
            "next": following,
            "feed": DIGESTS_FEED,
        }


def _day_depends(day: Day, previous: date | None, following: date | None) -> Depends:
    """All a digest shows comes from its day's records (the groups are made from them) and
    its neighbours: one token per record, no walk."""
    return Depends(
        records=(*day.events, *day.quotes, *day.articles),
        text=(day.date.isoformat(), repr(previous), repr(following)),
    )


class HomePage(PageFamily):
    """The front page: latest digests, the region tree and the most quoted speakers."""

    def outputs(self) -> Iterator[Output]:
        site = self.site
        counts = {rid: len(events) for rid, events in site.timeline.items()}
        quoted = sorted(
            ((len(q), sid) for sid, q in site.quotes_by_speaker.items() if q),
            key=lambda pair: (-pair[0], site.speakers[pair[1]].name),
        )
        values = {
            "latest_days": tuple(reversed(site.days[-7:])),
            "counts": counts,
            "top_speakers": quoted[:10],
            "key_events": latest_key(site.events),
            "feed": "feeds/all.atom.xml",
        }
        yield Page("index.html", "index", values, Depends(values=values))
