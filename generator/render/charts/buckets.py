"""Counting dates into weeks, months or years: the bars of an activity chart."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from .text import MAX_BUCKETS, MONTH_NAMES, short_day

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
    return (
        day.replace(year=day.year + 1, month=1)
        if day.month == 12
        else day.replace(month=day.month + 1)
    )


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
    tally: Counter[date] = Counter()
    for day, times in Counter(days).items():  # a region's 20,000 developments: ~700 days
        tally[first(day)] += times
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
