"""The JSON of output/data/ made by generator.render.data."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from generator.render.data import timelinejs_events


def _events(count: int, key: frozenset[int] | set[int] = frozenset()) -> list[Any]:
    return [SimpleNamespace(n=n, key=n in key) for n in range(count)]


def test_a_timelinejs_file_keeps_every_development_up_to_the_limit() -> None:
    events = _events(500)
    assert timelinejs_events(events) == events


def test_past_the_limit_key_developments_come_first_then_the_latest() -> None:
    events = _events(2000, key={3, 10, 1500})
    shown = timelinejs_events(events, limit=100)
    numbers = [e.n for e in shown]
    assert len(shown) == 100 and numbers == sorted(numbers)  # still oldest first
    assert {3, 10, 1500} <= set(numbers)  # every key development
    assert numbers[3:] == list(range(1903, 2000))  # then the latest: 97 of them


def test_more_key_developments_than_the_limit_keeps_the_latest_of_them() -> None:
    events = _events(300, key=set(range(0, 300, 2)))
    numbers = [e.n for e in timelinejs_events(events, limit=10)]
    assert numbers == list(range(280, 300, 2))
