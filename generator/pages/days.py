"""Daily digests: one page per day with anything in it, and the index of days by month."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from functools import partial
from typing import Any

from ..model.records import Day, Event, Region
from ..model.site import Site
from ..model.urls import day_url
from .base import Depends, Page, PageFamily, Task
from .feeds import DIGESTS_FEED


@dataclass(frozen=True)
class RegionGroup:
    region: Region
    events: tuple[Event, ...]


@dataclass(frozen=True)
class TopGroup:
    """A top-level region's developments of the day, by the region each one names first."""

    region: Region
    groups: tuple[RegionGroup, ...]


def group_day_events(site: Site, events: Sequence[Event]) -> tuple[TopGroup, ...]:
    by_top: dict[str, dict[str, list[Event]]] = {}
    for event in events:
        first = event.regions[0]
        by_top.setdefault(site.top_region(first), {}).setdefault(first, []).append(event)
    return tuple(
        TopGroup(
            site.regions[top],
            tuple(
                RegionGroup(site.regions[rid], tuple(items))
                for rid, items in sorted(named.items(), key=lambda kv: site.regions[kv[0]].name)
            ),
        )
        for top, named in sorted(by_top.items(), key=lambda kv: site.regions[kv[0]].name)
    )


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

    def outputs(self) -> Iterator[Page | Task]:
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
            yield Page(name, "days", values, Depends(values=(values, scale)))
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
        return {
            "day": day,
            "groups": group_day_events(self.site, day.events),
            "key_events": tuple(e for e in day.events if e.key),
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

    def outputs(self) -> Iterator[Page | Task]:
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
