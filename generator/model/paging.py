"""Splitting a long, newest-first list into pages without cutting a day in two."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class DayGroup(Generic[T]):
    day: date
    items: tuple[T, ...]


@dataclass(frozen=True)
class PageOf(Generic[T]):
    number: int  # 1-based
    count: int  # pages in all
    days: tuple[DayGroup[T], ...]


def group_by_day(items: Sequence[T], day_of: Callable[[T], date]) -> list[DayGroup[T]]:
    """Items (already newest first) grouped by day, keeping order."""
    groups: list[DayGroup[T]] = []
    current: list[T] = []
    for item in items:
        if current and day_of(current[-1]) != day_of(item):
            groups.append(DayGroup(day_of(current[0]), tuple(current)))
            current = []
        current.append(item)
    if current:
        groups.append(DayGroup(day_of(current[0]), tuple(current)))
    return groups


def paginate(groups: list[DayGroup[T]], per_page: int) -> list[PageOf[T]]:
    """Pages of whole days, each holding about `per_page` items; always at least one page."""
    chunks: list[list[DayGroup[T]]] = [[]]
    size = 0
    for group in groups:
        if size >= per_page:
            chunks.append([])
            size = 0
        chunks[-1].append(group)
        size += len(group.items)
    return [PageOf(n, len(chunks), tuple(chunk)) for n, chunk in enumerate(chunks, 1)]
