"""Daily digests: one page per day with anything in it, and the index of days by month."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from ..build.fingerprint import text_digest
from ..build.state import build_state
from ..model.records import Day, Event, Region
from ..model.site import Site
from ..model.urls import day_url
from ..render.templating import SiteGenerator
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
        TopGroup(site.regions[top], tuple(
            RegionGroup(site.regions[rid], tuple(items))
            for rid, items in sorted(named.items(), key=lambda kv: site.regions[kv[0]].name)))
        for top, named in sorted(by_top.items(), key=lambda kv: site.regions[kv[0]].name))


def days_index_url(year: int, years: Sequence[int]) -> str:
    """The newest year is the days index itself; each earlier year has a page of its own."""
    return "days/index.html" if year == years[0] else f"days/{year}.html"


class DigestGenerator(SiteGenerator):
    def generate_output(self, writer: Any) -> None:
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
            self.write(writer, name, "days", depends_on=scale, months=months,
                       year=year, year_urls=year_urls)
        hasher = build_state(self.settings).hasher()
        for index, day in enumerate(days):
            previous = days[index - 1].date if index > 0 else None
            following = days[index + 1].date if index + 1 < len(days) else None

            def fingerprint(day: Day = day, previous: date | None = previous,
                            following: date | None = following) -> str:
                # All a digest shows comes from its day's records (the groups are made from
                # them) and its neighbours: one token per record, no walk.
                return text_digest(day.date.isoformat(), hasher.records(day.events),
                                   hasher.records(day.quotes), hasher.records(day.articles),
                                   repr(previous), repr(following))

            self.write_fingerprinted(
                writer, day_url(day.date), "day", fingerprint if self.building else None,
                day=day, groups=group_day_events(self.site, day.events), previous=previous,
                next=following, feed=DIGESTS_FEED)


class HomeGenerator(SiteGenerator):
    """The front page: latest digests, the region tree and the most quoted speakers."""

    def generate_output(self, writer: Any) -> None:
        site = self.site
        counts = {rid: len(events) for rid, events in site.timeline.items()}
        quoted = sorted(((len(q), sid) for sid, q in site.quotes_by_speaker.items() if q),
                        key=lambda pair: (-pair[0], site.speakers[pair[1]].name))
        self.write(writer, "index.html", "index", latest_days=tuple(reversed(site.days[-7:])),
                   counts=counts, top_speakers=quoted[:10], feed="feeds/all.atom.xml")
