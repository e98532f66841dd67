"""Build-time SVG pictures: activity bars, a calendar of days, a bar per region, a map.

Each picture is a pure function of plain data returning an SVG string; the `*_for` functions
at the end turn the Site model into that data. Rules every function keeps:

- every piece of text (names, labels, titles, URLs) goes through `esc`; nothing from content
  is interpolated unescaped;
- numbers are formatted by `num` (coordinates: at most one decimal, no locale, no "-0") and
  `count` (integers with thousands commas), so a build is byte-identical to the last;
- colours come from `currentColor` (as presentation attributes, so a picture without the
  stylesheet is still readable in black on white) and CSS custom properties set by the
  stylesheet's charts section; meaning never depends on colour: sizes, shapes, labels and
  value text carry it;
- no script, no inline style (the pages' CSP forbids both), no network.

Sizes stay small at 5,000 articles over two years: the activity chart buckets by ISO week
(month, then year, for longer periods), the speaker chart by month, and the calendar draws one
small path per day.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from ...model.site import Site
from ...model.urls import month_url, region_url, root_prefix
from .bars import Chart, activity_svg, bars_svg
from .buckets import (
    Bucket,
    bucket_days,
    choose_unit,
    month_start,
    next_month,
    nice_ceiling,
    week_start,
    year_start,
)
from .calendar import CalendarDay, calendar_legend_svg, calendar_levels, calendar_month_svg
from .maps import MAX_POINTS, Land, MapPoint, map_svg
from .text import count, esc, num, plural, short_day

# --- from the Site model ------------------------------------------------------------------


__all__ = [  # the pictures, and the helpers the tests exercise directly
    "Bucket",
    "Calendar",
    "CalendarDay",
    "Chart",
    "MapPoint",
    "activity_svg",
    "bars_svg",
    "bucket_days",
    "calendar",
    "calendar_legend_svg",
    "calendar_levels",
    "calendar_month_svg",
    "choose_unit",
    "count",
    "esc",
    "event_regions",
    "map_svg",
    "month_calendar",
    "nice_ceiling",
    "num",
    "region_activity",
    "region_map",
    "regions_chart",
    "speaker_activity",
    "top_level",
]


def _period(site: Site) -> tuple[date, date] | None:
    return (site.days[0].date, site.days[-1].date) if site.days else None


def _table(buckets: Sequence[Bucket]) -> tuple[tuple[str, int], ...]:
    return tuple((b.label[0].upper() + b.label[1:], b.value) for b in buckets)


def bar_urls(
    buckets: Sequence[Bucket],
    days: Iterable[date],
    unit: str,
    site: Site,
    kind: str,
    item_id: str,
    siteurl: str,
) -> list[str]:
    """Each bar's link: the month (in the timeline's archive) of the bar's first day with
    items; "" for an empty bar."""
    first = {"week": week_start, "month": month_start, "year": year_start}[unit]
    earliest: dict[date, date] = {}
    for day in set(days):  # each day once: a timeline has far more items than days
        key = first(day)
        if key not in earliest or day < earliest[key]:
            earliest[key] = day
    prefix, archive_unit = root_prefix(siteurl), site.unit_of(kind, item_id)
    return [
        f"{prefix}{month_url(kind, item_id, earliest[b.start], archive_unit)}"
        if b.start in earliest
        else ""
        for b in buckets
    ]


def region_activity(site: Site, region_id: str, siteurl: str = "") -> Chart | None:
    period = _period(site)
    if period is None:
        return None
    region = site.regions[region_id]
    events = site.timeline[region_id]
    unit = choose_unit(*period)
    buckets = bucket_days((e.day for e in events), *period, unit)
    urls = bar_urls(buckets, (e.day for e in events), unit, site, "region", region_id, siteurl)
    peak = max(buckets, key=lambda b: (b.value, -b.start.toordinal()))
    span = f"{short_day(period[0])} to {short_day(period[1])}"
    title = f"Developments in {region.name} per {unit}"
    desc = f"{plural(len(events), 'development')} from {span}" + (
        f"; the busiest {unit} was the {peak.label} with {count(peak.value)}."
        if peak.value
        else "."
    )
    svg = activity_svg(
        buckets,
        unit=unit,
        ident=f"activity-{region_id}",
        title=title,
        desc=desc,
        noun="development",
        urls=urls,
    )
    return Chart(svg, _table(buckets), len(events), unit)


def speaker_activity(site: Site, speaker_id: str, siteurl: str = "") -> Chart | None:
    period = _period(site)
    if period is None:
        return None
    speaker = site.speakers[speaker_id]
    quotes = site.quotes_by_speaker[speaker_id]
    unit = choose_unit(*period, finest="month")
    buckets = bucket_days((q.day for q in quotes), *period, unit)
    urls = bar_urls(buckets, (q.day for q in quotes), unit, site, "speaker", speaker_id, siteurl)
    peak = max(buckets, key=lambda b: (b.value, -b.start.toordinal()))
    span = f"{short_day(period[0])} to {short_day(period[1])}"
    desc = f"{plural(len(quotes), 'quote')} from {span}" + (
        f"; the most in {peak.label}: {count(peak.value)}." if peak.value else "."
    )
    svg = activity_svg(
        buckets,
        unit=unit,
        ident=f"activity-{speaker_id}",
        title=f"Quotes by {speaker.name} per {unit}",
        desc=desc,
        noun="quote",
        urls=urls,
    )
    return Chart(svg, _table(buckets), len(quotes), unit)


@dataclass(frozen=True)
class Calendar:
    months: tuple[tuple[str, str], ...]  # (year-month, svg), oldest first
    legend: str
    days: int


def calendar(site: Site, siteurl: str, year: int | None = None) -> Calendar | None:
    """Month calendars of every day with a digest (of one year, when given): one year a page
    keeps a long-running site's days index within the SVG budget."""
    days = [d for d in site.days if year is None or d.date.year == year]
    if not days:
        return None
    period = (days[0].date, days[-1].date)
    prefix = root_prefix(siteurl)
    entries = {
        d.date: CalendarDay(d.date, len(d.events), f"{prefix}days/{d.date.isoformat()}.html")
        for d in days
    }
    bounds = calendar_levels(len(d.events) for d in site.days)  # one scale for every year
    months = []
    current = month_start(period[0])
    while current <= period[1]:
        key = f"{current.year:04d}-{current.month:02d}"
        months.append(
            (
                key,
                calendar_month_svg(
                    current.year, current.month, entries, bounds, ident=f"cal-{key}"
                ),
            )
        )
        current = next_month(current)
    return Calendar(tuple(months), calendar_legend_svg(bounds, ident="cal-key"), len(entries))


def month_calendar(start: date, days: Mapping[date, tuple[date, int, str]], siteurl: str) -> str:
    """A timeline's month as a wall calendar: each day with items a link to the archive part
    that keeps it (its day, or its ten days). `days`: day → (day, items, part URL)."""
    prefix = root_prefix(siteurl)
    entries = {d: CalendarDay(d, n, f"{prefix}{url}") for d, (_, n, url) in days.items()}
    bounds = calendar_levels(n for _, n, _ in days.values())
    key = f"{start.year:04d}-{start.month:02d}"
    return calendar_month_svg(start.year, start.month, entries, bounds, ident=f"cal-{key}")


def top_level(site: Site) -> tuple[str, tuple[str, ...]]:
    """("", roots), or when there is a single root with children, (root, its children)."""
    ids = site.roots
    parent = ""
    while len(ids) == 1 and site.children.get(ids[0]):
        parent, ids = ids[0], site.children[ids[0]]
    return parent, ids


def regions_chart(site: Site, limit: int = 12) -> Chart | None:
    parent, ids = top_level(site)
    if not ids:
        return None
    ranked = sorted(
        ((len(site.timeline[rid]), rid) for rid in ids),
        key=lambda pair: (-pair[0], site.regions[pair[1]].name.lower(), pair[1]),
    )
    shown = ranked[:limit]
    rest = ranked[limit:]
    items = [(site.regions[rid].name, value) for value, rid in shown]
    if rest:
        items.append((f"{len(rest)} more places", sum(v for v, _ in rest)))
    within = f" of {site.regions[parent].name}" if parent else ""
    title = f"Developments by region{within}"
    leader = items[0]
    desc = (
        f"{len(ids)} regions{within}, the most developments first; "
        f"{leader[0]} leads with {count(leader[1])}. Places within each region count "
        f"towards it."
    )
    svg = bars_svg(items, ident="regions-chart", title=title, desc=desc, noun="development")
    return Chart(svg, tuple(items), sum(v for _, v in items))


def map_points(site: Site, siteurl: str, ids: Iterable[str]) -> list[MapPoint]:
    prefix = root_prefix(siteurl)
    points = []
    for rid in ids:
        region = site.regions[rid]
        if region.lat is None or region.lon is None:
            continue
        points.append(
            MapPoint(
                rid,
                region.name,
                region.lat,
                region.lon,
                len(site.timeline[rid]),
                f"{prefix}{region_url(rid)}",
            )
        )
    return points


def _subtree(site: Site, root: str) -> list[str]:
    found, stack = [], [root]
    while stack:
        rid = stack.pop()
        found.append(rid)
        stack.extend(site.children.get(rid, ()))
    return sorted(found)


def region_map(
    site: Site, siteurl: str, region_id: str | None = None, land: Land | None = None
) -> Chart | None:
    """The map of all places (index), or of the places in the region's top-level region.

    A region page shows its country's places, the region and the places within it
    emphasised; where that map would not help (under two places, all in one spot) the map
    of every place, if it helps; else none. `land`: see maps.map_svg.
    """
    if region_id is None:
        return _map_chart(site, map_points(site, siteurl, site.regions), None, None, land)
    own = _subtree(site, region_id)
    points = map_points(site, siteurl, _subtree(site, site.top_region(region_id)))
    if not any(p.id in own for p in points):  # the country's map, nothing emphasised
        return _map_chart(site, points, region_id, None, land)
    chart = _map_chart(site, points, region_id, own, land)
    if chart is None:  # where the region is among every place
        chart = _map_chart(site, map_points(site, siteurl, site.regions), region_id, own, land)
    return chart


def _map_chart(
    site: Site,
    points: list[MapPoint],
    region_id: str | None,
    own: list[str] | None,
    land: Land | None,
) -> Chart | None:
    here = site.regions[region_id].name if region_id else None
    title = f"Map of places around {here}" if here else "Map of places"
    emphasis = (
        f" {here} is ringed; it and the places within it have bigger dots and bold labels."
        if here and any(p.id == region_id for p in points)
        else ""
    )
    drawn = (
        f"{len(points)} places"
        if len(points) <= MAX_POINTS
        else f"The {MAX_POINTS} busiest of {len(points)} places"
    )
    desc = (
        f"{drawn} drawn at their latitude and longitude over country borders "
        f"(Natural Earth); a circle's area grows with its number of developments.{emphasis}"
    )
    svg = map_svg(
        points,
        current=region_id,
        ident=f"map-{region_id or 'all'}",
        title=title,
        desc=desc,
        noun="development",
        width=300.0 if region_id else 360.0,
        own=own,
        land=land,
    )
    if svg is None:
        return None
    return Chart(svg, tuple((p.name, p.value) for p in points), sum(p.value for p in points))


def event_regions(site: Site, region_ids: Iterable[str]) -> str:
    """Space-separated ids: each region the event names, then its ancestors up to the root.

    Page-independent (an event's card is rendered once and shown on every page), so it lists
    the whole lineage; a region page filters by its children, which are in it when they apply.
    """
    found: dict[str, None] = {}
    for rid in region_ids:
        if rid not in site.regions:
            continue
        found[rid] = None
        for ancestor in reversed(site.ancestors(rid)):
            found[ancestor.id] = None
    return " ".join(found)
