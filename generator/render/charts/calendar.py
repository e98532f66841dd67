"""A calendar of days, one small month at a time, each day a link to its digest."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from .buckets import next_month
from .text import MONTH_NAMES, MONTHS, WEEKDAYS, count, esc, short_day


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


def calendar_month_svg(
    year: int,
    month: int,
    days: Mapping[date, CalendarDay],
    bounds: tuple[int, int, int],
    *,
    ident: str,
) -> str:
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
    parts = [
        f'<svg class="chart chart-month" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="group" aria-labelledby="{esc(ident)}" '
        f'fill="currentColor" font-size="10">'
        f'<title id="{esc(ident)}">{esc(name)}</title>'
        f'<text class="chart-label" x="0" y="9" font-weight="bold" aria-hidden="true">'
        f"{esc(MONTHS[month - 1])} {year}</text>"
        f'<text class="chart-weekdays" y="21" font-size="8" aria-hidden="true" '
        f'x="{" ".join(str(i * STEP + 2) for i in range(7))}">{WEEKDAYS}</text>'
    ]
    missing: list[str] = []
    current = first
    while current < following:
        slot = offset + current.day - 1
        x, y = (slot % 7) * STEP, top + (slot // 7) * STEP
        entry = days.get(current)
        if entry is None:
            missing.append(f"M{x + 4} {y + 4}h2v2h-2z")
        else:
            parts.append(
                f'<a href="{esc(entry.url)}"><title>{esc(short_day(current))}: '
                f"{count(entry.value)}</title>{_square(x, y, entry.value, bounds)}</a>"
            )
        current += timedelta(days=1)
    if missing:
        parts.append(
            f'<path class="chart-none" d="{"".join(missing)}" fill-opacity=".35" '
            f'aria-hidden="true"/>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _square(x: int, y: int, value: int, bounds: tuple[int, int, int] | None) -> str:
    """A day's mark in its cell at (x, y): a square sized by level (value is the level itself
    when bounds is None); a day with a digest but no development is a small hollow square."""
    level = value if bounds is None else level_of(value, bounds)
    if level == 0:
        return (
            f'<path class="chart-zero" d="M{x + 3} {y + 3}h4v4h-4z" fill="none" '
            f'stroke="currentColor"/>'
        )
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
    parts.append(
        f'<path class="chart-none" d="M{x + 4} 6h2v2h-2z" fill-opacity=".35"/>'
        f'<text x="{x + 14}" y="11">no digest</text>'
    )
    x += 14 + 60
    return (
        f'<svg class="chart chart-legend" viewBox="0 0 {x} 14" width="{x}" height="14" '
        f'role="img" aria-labelledby="{esc(ident)}" fill="currentColor" font-size="10">'
        f'<title id="{esc(ident)}">Key: the bigger the square, the more developments: '
        f"{esc(', '.join(text for _, text in ranges))} (a hollow square: 0); a dot is a day "
        f"without a digest"
        f"</title>{''.join(parts)}</svg>"
    )
