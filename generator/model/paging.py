"""A timeline split into archive parts by fixed calendar dates, and days within a part.

Parts are a function of the dates alone (a month, a ten-day part, a day: see urls), never of
counts, so an item stays in its part whatever else is added, edited or removed."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import groupby
from typing import Generic, TypeVar

from .urls import DIGEST, part_start

T = TypeVar("T")


@dataclass(frozen=True)
class DayGroup(Generic[T]):
    day: date
    items: tuple[T, ...]


@dataclass(frozen=True)
class Part(Generic[T]):
    """One archive page: the items of [start, end], days newest first, each newest first."""

    unit: str  # "year", "month", "ten-days", "day" or "digest"
    start: date
    end: date
    url: str
    days: tuple[DayGroup[T], ...]

    @property
    def count(self) -> int:
        return sum(len(group.items) for group in self.days)


def group_by_day(items: Sequence[T], day_of: Callable[[T], date]) -> list[DayGroup[T]]:
    """Items (already newest first) grouped by day, keeping order."""
    return [DayGroup(day, tuple(group)) for day, group in groupby(items, key=day_of)]


def part_end(unit: str, start: date) -> date:
    """The last day of the part that starts on `start`."""
    if unit in ("day", DIGEST):
        return start
    if unit == "year":
        return start.replace(month=12, day=31)
    following = (
        start.replace(year=start.year + 1, month=1, day=1)
        if start.month == 12
        else start.replace(month=start.month + 1, day=1)
    )
    if unit == "ten-days" and start.day < 21:
        return start + timedelta(days=9)
    return following - timedelta(days=1)


def split_parts(
    items: Sequence[T], day_of: Callable[[T], date], unit: str, url_of: Callable[[date], str]
) -> list[Part[T]]:
    """Items (oldest first) as the parts that hold them, oldest part first; only parts with
    items exist. One pass."""
    chunks: dict[date, list[T]] = {}
    starts: dict[date, date] = {}  # a day's part: worked out once a day, not once an item
    for item in items:
        day = day_of(item)
        start = starts.get(day)
        if start is None:
            start = starts[day] = part_start(unit, day)
        chunks.setdefault(start, []).append(item)
    return [
        Part(
            unit,
            start,
            part_end(unit, start),
            url_of(start),
            tuple(group_by_day(sorted(chunk[::-1], key=day_of, reverse=True), day_of)),
        )
        for start, chunk in sorted(chunks.items())
    ]
