"""Build-time SVG pictures: activity bars, a calendar of days, a bar per region, a schematic map.

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

import html
import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .site import Site

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December")
WEEKDAYS = "MTWTFSS"
MAX_BUCKETS = 160  # more than this and the chart switches to a coarser bucket
LABEL_GAP = 58  # time-axis labels at least this far apart (room for "Jan 2024" at 13px)


# --- formatting ---------------------------------------------------------------------------


def esc(text: object) -> str:
    """Text for SVG/HTML content or a double-quoted attribute value."""
    return html.escape(str(text), quote=True)


def num(value: float) -> str:
    """A coordinate: rounded to one decimal, without a trailing ".0" and never "-0"."""
    rounded = round(value + 0.0, 1)
    if rounded == 0:
        return "0"
    text = f"{rounded:.1f}"
    return text[:-2] if text.endswith(".0") else text


def count(value: int) -> str:
    return f"{value:,}"


def plural(value: int, word: str) -> str:
    return f"{count(value)} {word}{'' if value == 1 else 's'}"


def short_day(day: date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


# --- buckets ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Bucket:
    start: date
    label: str  # what the bucket is, in words: "week of 13 Feb 2023", "February 2023"
    value: int


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def month_start(day: date) -> date:
    return day.replace(day=1)


def year_start(day: date) -> date:
    return day.replace(month=1, day=1)


def next_month(day: date) -> date:
    return day.replace(year=day.year + 1, month=1) if day.month == 12 else day.replace(
        month=day.month + 1)


def choose_unit(start: date, end: date, finest: str = "week") -> str:
    """The finest of week, month, year that gives at most MAX_BUCKETS buckets."""
    weeks = (week_start(end) - week_start(start)).days // 7 + 1
    months = (end.year - start.year) * 12 + end.month - start.month + 1
    if finest == "week" and weeks <= MAX_BUCKETS:
        return "week"
    if finest in ("week", "month") and months <= MAX_BUCKETS:
        return "month"
    return "year"


def bucket_days(days: Iterable[date], start: date, end: date, unit: str) -> list[Bucket]:
    """How many of `days` (one entry per thing counted) fall in each unit from start to end."""
    first = {"week": week_start, "month": month_start, "year": year_start}[unit]
    tally = Counter(first(day) for day in days)
    buckets: list[Bucket] = []
    current, last = first(start), first(end)
    while current <= last:
        if unit == "week":
            label, following = f"week of {short_day(current)}", current + timedelta(days=7)
        elif unit == "month":
            label = f"{MONTH_NAMES[current.month - 1]} {current.year}"
            following = next_month(current)
        else:
            label, following = str(current.year), current.replace(year=current.year + 1)
        buckets.append(Bucket(current, label, tally.get(current, 0)))
        current = following
    return buckets


def nice_ceiling(value: int) -> int:
    """The smallest 1, 2 or 5 × 10^k at or above value (at least 1)."""
    if value <= 1:
        return 1
    power = int(10 ** math.floor(math.log10(value)))
    for step in (1, 2, 5, 10):
        if step * power >= value:
            return step * power
    return 10 * power  # pragma: no cover - the loop always returns


# --- pictures -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Chart:
    """An SVG and the numbers it shows, for the text equivalent next to it."""

    svg: str
    rows: tuple[tuple[str, int], ...]
    total: int
    unit: str = ""


def _open(ident: str, css: str, width: float, height: float, title: str, desc: str,
          role: str | None = "img", font: int = 11) -> str:
    role_attr = f' role="{role}"' if role else ""
    return (f'<svg class="chart {css}" viewBox="0 0 {num(width)} {num(height)}"{role_attr} '
            f'aria-labelledby="{esc(ident)}-t {esc(ident)}-d" fill="currentColor" '
            f'font-size="{font}">'
            f'<title id="{esc(ident)}-t">{esc(title)}</title>'
            f'<desc id="{esc(ident)}-d">{esc(desc)}</desc>')


def activity_svg(buckets: Sequence[Bucket], *, unit: str, ident: str, title: str, desc: str,
                 noun: str) -> str:
    """Vertical bars, one per bucket, with a labelled value axis and a time axis."""
    width, height = 400.0, 140.0
    left, right, top, bottom = 4.0, 34.0, 8.0, 28.0
    plot_w, plot_h = width - left - right, height - top - bottom
    base = top + plot_h
    n = max(len(buckets), 1)
    step = plot_w / n
    bar = min(step * (0.8 if step >= 3 else 1.0), 40.0)
    peak = max((b.value for b in buckets), default=0)
    ceiling = nice_ceiling(peak)
    ticks = [0, ceiling // 2, ceiling] if ceiling % 2 == 0 and ceiling > 1 else [0, ceiling]
    parts = [_open(ident, "chart-activity", width, height, title, desc)]
    grid = "".join(f"M{num(left)} {num(base - plot_h * t / ceiling)}H{num(left + plot_w)}"
                   for t in ticks)
    parts.append(f'<path class="chart-grid" d="{grid}" fill="none" stroke="currentColor" '
                 f'stroke-opacity=".3" stroke-width=".6"/>')
    parts.append('<g class="chart-label">')
    for tick in ticks:
        y = base - plot_h * tick / ceiling
        parts.append(f'<text x="{num(left + plot_w + 4)}" y="{num(y + 4)}">{count(tick)}</text>')
    centred = step >= LABEL_GAP  # one label per bucket: under its bar; else at a month's start
    for index, label in _time_labels(buckets, step, unit):
        x = left + step * (index + (0.5 if centred else 0))
        anchor = ' text-anchor="middle"' if centred else ""
        parts.append(f'<path d="M{num(x)} {num(base)}v4" stroke="currentColor" '
                     f'stroke-opacity=".6"/>'
                     f'<text x="{num(x)}" y="{num(base + 16)}"{anchor}>{esc(label)}</text>')
    parts.append("</g>")
    parts.append('<g class="chart-bar">')
    for index, bucket in enumerate(buckets):
        if not bucket.value:
            continue
        x = left + step * index + (step - bar) / 2
        h = max(plot_h * bucket.value / ceiling, 1.0)
        parts.append(f'<path d="M{num(x)} {num(base)}v{num(-h)}h{num(bar)}v{num(h)}z">'
                     f"<title>{esc(bucket.label)}: {esc(plural(bucket.value, noun))}</title>"
                     f"</path>")
    parts.append("</g></svg>")
    return "".join(parts)


def _time_labels(buckets: Sequence[Bucket], step: float, unit: str) -> list[tuple[int, str]]:
    """Where to label the time axis, at least LABEL_GAP units apart: every bucket when they are few,
    else the first bucket of every k-th month (k = 1, 2, 3, 6 or 12), the year with January."""
    if not buckets:
        return []
    if unit == "year":
        every = max(1, math.ceil(LABEL_GAP / step))
        return [(i, b.label) for i, b in enumerate(buckets) if i % every == 0]
    if step >= LABEL_GAP:
        out = []
        for index, b in enumerate(buckets):
            first = index == 0 or (b.start.month == 1 and (unit == "month" or b.start.day <= 7))
            roomy = unit == "month" or step >= 70
            year = f" {b.start.year}" if first and roomy else ""
            day = f"{b.start.day} " if unit == "week" else ""
            out.append((index, f"{day}{MONTHS[b.start.month - 1]}{year}"))
        return out
    per_month = step * (30.44 / 7 if unit == "week" else 1.0)
    every = next((k for k in (1, 2, 3, 6, 12) if per_month * k >= LABEL_GAP), 12)
    labels: list[tuple[int, str]] = []
    seen: tuple[int, int] | None = None
    for index, b in enumerate(buckets):
        middle = b.start + timedelta(days=3) if unit == "week" else b.start
        month = (middle.year, middle.month)
        if month == seen:
            continue
        seen = month
        if (month[1] - 1) % every or (index == 0 and unit == "week" and middle.day > 7):
            continue
        first = not labels or month[1] == 1
        text = f"{MONTHS[month[1] - 1]}{f' {month[0]}' if first else ''}"
        if (len(buckets) - index) * step < 7 * len(text):  # would run past the plot's end
            continue
        labels.append((index, text))
    return labels


def bars_svg(items: Sequence[tuple[str, int]], *, ident: str, title: str, desc: str,
             noun: str) -> str:
    """Horizontal bars, one per item: its name above, the value written after the bar."""
    row, width, value_w = 30.0, 300.0, 44.0
    height = row * max(len(items), 1) + 4
    peak = max((v for _, v in items), default=0) or 1
    plot_w = width - value_w
    parts = [_open(ident, "chart-bars", width, height, title, desc, font=12)]
    for index, (name, value) in enumerate(items):
        y = 2 + row * index
        shown = name if len(name) <= 44 else name[:43] + "…"
        w = max(plot_w * value / peak, 1.0) if value else 0.0
        parts.append(f'<text class="chart-label" x="0" y="{num(y + 10)}">{esc(shown)}</text>')
        if w:
            parts.append(f'<path class="chart-bar" d="M0 {num(y + 14)}h{num(w)}v11h{num(-w)}z">'
                         f"<title>{esc(name)}: {esc(plural(value, noun))}</title></path>")
        parts.append(f'<text class="chart-value" x="{num(w + 4)}" y="{num(y + 23)}">'
                     f"{count(value)}</text>")
    parts.append("</svg>")
    return "".join(parts)


@dataclass(frozen=True)
class CalendarDay:
    day: date
    value: int  # developments that day
    url: str  # relative, from the page that shows the calendar


def calendar_levels(values: Iterable[int]) -> tuple[int, int, int]:
    """Upper bounds of levels 1-3 (level 4 is anything above): quartiles of the non-zero values."""
    ordered = sorted(v for v in values if v > 0)
    if not ordered:
        return (1, 1, 1)

    def at(q: float) -> int:
        return ordered[min(len(ordered) - 1, int(q * (len(ordered) - 1)))]

    return (at(0.25), at(0.5), at(0.75))


def level_of(value: int, bounds: tuple[int, int, int]) -> int:
    if value <= 0:
        return 0
    return next((i + 1 for i, bound in enumerate(bounds) if value <= bound), 4)


CELL, STEP = 10, 12
SQUARE = (4, 3, 5, 7, 10)  # side of a day's square by level: size, not colour, shows the level


def legend_ranges(bounds: tuple[int, int, int]) -> list[tuple[int, str]]:
    """(level, "a–b") for the legend, merging levels whose ranges are empty."""
    lows = [1, bounds[0] + 1, bounds[1] + 1, bounds[2] + 1]
    highs = [bounds[0], bounds[1], bounds[2], None]
    out: list[tuple[int, str]] = [(0, "0")]
    for level in range(4):
        low, high = lows[level], highs[level]
        if high is not None and high < low:
            continue
        if high is None:
            text = f"{count(low)}+"
        elif low == high:
            text = count(low)
        else:
            text = f"{count(low)}–{count(high)}"
        out.append((level + 1, text))
    return out


def calendar_month_svg(year: int, month: int, days: Mapping[date, CalendarDay],
                       bounds: tuple[int, int, int], *, ident: str) -> str:
    """One month as a wall calendar (weeks down, Monday first); each day with a digest a link.

    A day's square grows with its number of developments (five sizes), so the picture reads
    the same without colour; each link is named by its day and number.
    """
    first = date(year, month, 1)
    following = next_month(first)
    offset = first.weekday()
    rows = 6  # every month the same height, so the months line up in rows
    top = 26
    width, height = 7 * STEP, top + rows * STEP
    name = f"{MONTH_NAMES[month - 1]} {year}"
    parts = [f'<svg class="chart chart-month" viewBox="0 0 {width} {height}" '
             f'width="{width}" height="{height}" role="group" aria-labelledby="{esc(ident)}" '
             f'fill="currentColor" font-size="10">'
             f'<title id="{esc(ident)}">{esc(name)}</title>'
             f'<text class="chart-label" x="0" y="9" font-weight="bold" aria-hidden="true">'
             f'{esc(MONTHS[month - 1])} {year}</text>'
             f'<text class="chart-weekdays" y="21" font-size="8" aria-hidden="true" '
             f'x="{" ".join(str(i * STEP + 2) for i in range(7))}">{WEEKDAYS}</text>']
    missing: list[str] = []
    current = first
    while current < following:
        slot = offset + current.day - 1
        x, y = (slot % 7) * STEP, top + (slot // 7) * STEP
        entry = days.get(current)
        if entry is None:
            missing.append(f"M{x + 4} {y + 4}h2v2h-2z")
        else:
            parts.append(f'<a href="{esc(entry.url)}"><title>{esc(short_day(current))}: '
                         f"{count(entry.value)}</title>{_square(x, y, entry.value, bounds)}</a>")
        current += timedelta(days=1)
    if missing:
        parts.append(f'<path class="chart-none" d="{"".join(missing)}" fill-opacity=".35" '
                     f'aria-hidden="true"/>')
    parts.append("</svg>")
    return "".join(parts)


def _square(x: int, y: int, value: int, bounds: tuple[int, int, int] | None) -> str:
    """A day's mark in its cell at (x, y): a square sized by level (value is the level itself
    when bounds is None); a day with a digest but no development is a small hollow square."""
    level = value if bounds is None else level_of(value, bounds)
    if level == 0:
        return (f'<path class="chart-zero" d="M{x + 3} {y + 3}h4v4h-4z" fill="none" '
                f'stroke="currentColor"/>')
    side = SQUARE[level]
    pad = (CELL - side) // 2
    return f'<path d="M{x + pad} {y + pad}h{side}v{side}h-{side}z"/>'


def calendar_legend_svg(bounds: tuple[int, int, int], *, ident: str) -> str:
    ranges = legend_ranges(bounds)
    parts: list[str] = []
    x = 0
    for level, text in ranges:
        parts.append(f'{_square(x, 2, level, None)}<text x="{x + 14}" y="11">{esc(text)}</text>')
        x += 14 + 7 * len(text) + 12
    parts.append(f'<path class="chart-none" d="M{x + 4} 6h2v2h-2z" fill-opacity=".35"/>'
                 f'<text x="{x + 14}" y="11">no digest</text>')
    x += 14 + 60
    return (f'<svg class="chart chart-legend" viewBox="0 0 {x} 14" width="{x}" height="14" '
            f'role="img" aria-labelledby="{esc(ident)}" fill="currentColor" font-size="10">'
            f'<title id="{esc(ident)}">Key: the bigger the square, the more developments: '
            f'{esc(", ".join(text for _, text in ranges))} (a hollow square: 0); a dot is a day '
            f'without a digest'
            f"</title>{''.join(parts)}</svg>")


@dataclass(frozen=True)
class MapPoint:
    id: str
    name: str
    lat: float
    lon: float
    value: int
    url: str


def map_svg(points: Sequence[MapPoint], *, current: str | None, ident: str, title: str,
            desc: str, noun: str, labels: int = 8, width: float = 480.0,
            first: Sequence[str] = ()) -> str:
    """An equirectangular scatter fitted to the points' box; area grows with the value.

    Every point is a link named by its place and number; the current place gets a ring and
    always a label; then the places in `first` (a region's children), then the biggest, up to
    `labels` labels, each placed right, left, above or below its circle where it overlaps no
    other label or circle. Bigger circles are drawn first so a small place on top of a big
    one stays clickable.
    """
    pad = 26.0 * width / 480
    lats = [p.lat for p in points]
    lons = [p.lon for p in points]
    mid = math.radians((max(lats) + min(lats)) / 2)
    span_x = max((max(lons) - min(lons)) * math.cos(mid), 1e-6)
    span_y = max(max(lats) - min(lats), 1e-6)
    if len(points) == 1 or (span_x < 1e-3 and span_y < 1e-3):
        span_x = span_y = 1.0
    scale = (width - 2 * pad) / span_x
    height = min(span_y * scale + 2 * pad, width * 0.75)
    scale = min(scale, (height - 2 * pad) / span_y)
    off_y = (height - span_y * scale) / 2
    lon0, lat1 = (min(lons) + max(lons)) / 2, max(lats)

    def project(p: MapPoint) -> tuple[float, float]:
        x = width / 2 + (p.lon - lon0) * math.cos(mid) * scale
        y = off_y + (lat1 - p.lat) * scale
        if len(points) == 1:
            return width / 2, height / 2
        return x, y

    peak = max((p.value for p in points), default=0) or 1
    r_max, r_min = 16.0 * width / 480, 2.5

    def radius(value: int) -> float:
        return r_min + (r_max - r_min) * math.sqrt(value / peak)

    order = sorted(points, key=lambda p: (-p.value, p.name, p.id))
    rank = {rid: i for i, rid in enumerate(first)}
    wanted = sorted(order, key=lambda p: (p.id != current, rank.get(p.id, len(rank)),
                                          -p.value, p.name, p.id))
    parts = [_open(ident, "chart-map", width, height, title, desc, role=None)]
    parts.append(f'<rect class="chart-frame" x=".5" y=".5" width="{num(width - 1)}" '
                 f'height="{num(height - 1)}" fill="none" stroke="currentColor" '
                 f'stroke-opacity=".25"/>')
    where = {p.id: project(p) for p in points}
    circles = {p.id: (where[p.id][0] - radius(p.value), where[p.id][1] - radius(p.value),
                      2 * radius(p.value), 2 * radius(p.value)) for p in points}
    marks: list[str] = []
    for p in order:
        x, y = where[p.id]
        r = radius(p.value)
        css = "chart-point chart-current" if p.id == current else "chart-point"
        ring = (f'<circle cx="{num(x)}" cy="{num(y)}" r="{num(r + 3)}" fill="none" '
                f'stroke="currentColor" stroke-width="2"/>' if p.id == current else "")
        marks.append(f'<a href="{esc(p.url)}" class="{css}"><title>{esc(p.name)}: '
                     f"{esc(plural(p.value, noun))}</title>"
                     f'<circle cx="{num(x)}" cy="{num(y)}" r="{num(r)}" fill-opacity=".45" '
                     f'stroke="currentColor"/>{ring}</a>')
    placed: list[tuple[float, float, float, float]] = []
    texts: list[str] = []
    for p in wanted:
        if len(texts) >= labels and p.id != current:
            break
        if p.value == 0 and p.id != current:
            continue
        x, y = where[p.id]
        r = radius(p.value) + (3 if p.id == current else 0)
        text_w = 7.0 * len(p.name) + 4  # 13px text on phones: about 7 units a character
        # labels avoid each other and the bigger circles; the halo keeps them readable over
        # the small dots they may cross
        others = [box for rid, box in circles.items() if rid != p.id and box[2] >= 10]
        spots = ((x + r + 3, y + 3.5, "start", (x + r + 3, y - 8)),
                 (x - r - 3, y + 3.5, "end", (x - r - 3 - text_w, y - 8)),
                 (x, y - r - 4, "middle", (x - text_w / 2, y - r - 16)),
                 (x, y + r + 12, "middle", (x - text_w / 2, y + r + 2)))
        # the current place is labelled even when every spot overlaps something (the halo
        # keeps it readable): its second round accepts any spot inside the frame
        for strict in (True, False) if p.id == current else (True,):
            spot = next(((tx, ty, anchor, (bx, by, text_w, 12.0))
                         for tx, ty, anchor, (bx, by) in spots
                         if bx >= 2 and bx + text_w <= width - 2 and by >= 2
                         and by + 12 <= height - 2 and not (strict and any(
                             _overlap((bx, by, text_w, 12.0), o) for o in [*placed, *others]))),
                        None)
            if spot is not None:
                tx, ty, anchor, box = spot
                placed.append(box)
                weight = ' font-weight="bold"' if p.id == current else ""
                texts.append(f'<text x="{num(tx)}" y="{num(ty)}" text-anchor="{anchor}"'
                             f'{weight}>{esc(p.name)}</text>')
                break
    parts.append(f'<g class="chart-points">{"".join(marks)}</g>')
    parts.append(f'<g class="chart-label chart-halo" aria-hidden="true">{"".join(texts)}</g>')
    parts.append("</svg>")
    return "".join(parts)


def _overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]


# --- from the Site model ------------------------------------------------------------------


def _prefix(siteurl: str) -> str:
    return f"{siteurl}/" if siteurl else ""


def _period(site: Site) -> tuple[date, date] | None:
    return (site.days[0].date, site.days[-1].date) if site.days else None


def _table(buckets: Sequence[Bucket]) -> tuple[tuple[str, int], ...]:
    return tuple((b.label[0].upper() + b.label[1:], b.value) for b in buckets)


def region_activity(site: Site, region_id: str) -> Chart | None:
    period = _period(site)
    if period is None:
        return None
    region = site.regions[region_id]
    events = site.timeline[region_id]
    unit = choose_unit(*period)
    buckets = bucket_days((e.day for e in events), *period, unit)
    peak = max(buckets, key=lambda b: (b.value, -b.start.toordinal()))
    span = f"{short_day(period[0])} to {short_day(period[1])}"
    title = f"Developments in {region.name} per {unit}"
    desc = (f"{plural(len(events), 'development')} from {span}"
            + (f"; the busiest {unit} was the {peak.label} with {count(peak.value)}."
               if peak.value else "."))
    svg = activity_svg(buckets, unit=unit, ident=f"activity-{region_id}", title=title, desc=desc,
                       noun="development")
    return Chart(svg, _table(buckets), len(events), unit)


def speaker_activity(site: Site, speaker_id: str) -> Chart | None:
    period = _period(site)
    if period is None:
        return None
    speaker = site.speakers[speaker_id]
    quotes = site.quotes_by_speaker[speaker_id]
    unit = choose_unit(*period, finest="month")
    buckets = bucket_days((q.day for q in quotes), *period, unit)
    peak = max(buckets, key=lambda b: (b.value, -b.start.toordinal()))
    span = f"{short_day(period[0])} to {short_day(period[1])}"
    desc = (f"{plural(len(quotes), 'quote')} from {span}"
            + (f"; the most in {peak.label}: {count(peak.value)}." if peak.value else "."))
    svg = activity_svg(buckets, unit=unit, ident=f"activity-{speaker_id}",
                       title=f"Quotes by {speaker.name} per {unit}", desc=desc, noun="quote")
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
    prefix = _prefix(siteurl)
    entries = {d.date: CalendarDay(d.date, len(d.events), f"{prefix}days/{d.date.isoformat()}.html")
               for d in days}
    bounds = calendar_levels(len(d.events) for d in site.days)  # one scale for every year
    months = []
    current = month_start(period[0])
    while current <= period[1]:
        key = f"{current.year:04d}-{current.month:02d}"
        months.append((key, calendar_month_svg(current.year, current.month, entries, bounds,
                                               ident=f"cal-{key}")))
        current = next_month(current)
    return Calendar(tuple(months), calendar_legend_svg(bounds, ident="cal-key"), len(entries))


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
    ranked = sorted(((len(site.timeline[rid]), rid) for rid in ids),
                    key=lambda pair: (-pair[0], site.regions[pair[1]].name.lower(), pair[1]))
    shown = ranked[:limit]
    rest = ranked[limit:]
    items = [(site.regions[rid].name, value) for value, rid in shown]
    if rest:
        items.append((f"{len(rest)} more places", sum(v for v, _ in rest)))
    within = f" of {site.regions[parent].name}" if parent else ""
    title = f"Developments by region{within}"
    leader = items[0]
    desc = (f"{len(ids)} regions{within}, the most developments first; "
            f"{leader[0]} leads with {count(leader[1])}. Places within each region count "
            f"towards it.")
    svg = bars_svg(items, ident="regions-chart", title=title, desc=desc, noun="development")
    return Chart(svg, tuple(items), sum(v for _, v in items))


def map_points(site: Site, siteurl: str, ids: Iterable[str]) -> list[MapPoint]:
    from .urls import region_url

    prefix = _prefix(siteurl)
    points = []
    for rid in ids:
        region = site.regions[rid]
        if region.lat is None or region.lon is None:
            continue
        points.append(MapPoint(rid, region.name, region.lat, region.lon,
                               len(site.timeline[rid]), f"{prefix}{region_url(rid)}"))
    return points


def _subtree(site: Site, root: str) -> list[str]:
    found, stack = [], [root]
    while stack:
        rid = stack.pop()
        found.append(rid)
        stack.extend(site.children.get(rid, ()))
    return sorted(found)


def region_map(site: Site, siteurl: str, region_id: str | None = None) -> Chart | None:
    """The map of all places (index), or of the places in the region's top-level region."""
    ids: Iterable[str] = site.regions
    if region_id is not None:
        tree = _subtree(site, site.top_region(region_id))
        if len(map_points(site, siteurl, tree)) >= 2:
            ids = tree
    points = map_points(site, siteurl, ids)
    if not points or (region_id is not None and not any(p.id == region_id for p in points)
                      and len(points) < 2):
        return None
    here = site.regions[region_id].name if region_id else None
    title = f"Map of places around {here}" if here else "Map of places"
    desc = (f"{len(points)} places drawn at their latitude and longitude, not to any map "
            f"background; a circle's area grows with its number of developments."
            + (f" {here} is ringed." if here and any(p.id == region_id for p in points)
               else ""))
    svg = map_svg(points, current=region_id, ident=f"map-{region_id or 'all'}", title=title,
                  desc=desc, noun="development", width=300.0 if region_id else 400.0,
                  labels=6 if region_id else 10,
                  first=site.children.get(region_id, ()) if region_id else ())
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
