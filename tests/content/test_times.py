"""Stamps read by the zone's rules (content-format.md, Body): clock-change nights in Kyiv.

Europe/Kyiv in 2023: winter time (+02:00) until 03:00 on Sunday 26 March, when clocks skip to
04:00 (+03:00); summer time until 04:00 on Sunday 29 October, when clocks go back to 03:00.
An article whose `date` has the site's offset for its instant (or none, or only a day) reads
its stamps as Kyiv wall-clock times; an article with another offset reads them in that offset.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timezone
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from generator.content.times import parse_published, resolve_stamp
from generator.model.records import iso

from ..support import read_site, write

KYIV = ZoneInfo("Europe/Kyiv")
REGIONS = "north:\n  name: Northern Province\n"


def _site(tmp_path: Path, date: str, *items: str) -> Any:
    content = tmp_path / "content"
    write(content, "regions.yaml", REGIONS)
    write(content, "speakers.yaml", "{}\n")
    body = "## Developments\n\n" + "".join(f"- {item}\n" for item in items)
    write(
        content,
        "articles/a.md",
        f"---\ntitle: A night\ndate: {date}\nregions: [north]\n---\n\n{body}",
    )
    return read_site(content)


def _read(tmp_path: Path, date: str, *stamps: str) -> list[tuple[str, str, bool, Any]]:
    """(time, day, timed, precision) of each development, one per stamp ("" for none)."""
    site = _site(tmp_path, date, *(f"{s} Item {n}." for n, s in enumerate(stamps, 1)))
    by_id = {e.id: e for e in site.events}
    return [
        (iso(e.time), e.day.isoformat(), e.timed, e.precision)
        for e in (by_id[f"ev-a-{n}"] for n in range(1, len(stamps) + 1))
    ]


SPRING = {
    # the example: with the site's offset, **00:19** is Kyiv wall time before the change
    "site offset": (
        "2023-03-26T09:00:00+03:00",
        [
            ("**00:19**", "2023-03-26T00:19:00+02:00", "2023-03-26"),  # not 23:19 on the 25th
            ("**02:59**", "2023-03-26T02:59:00+02:00", "2023-03-26"),
            ("**03:30**", "2023-03-26T04:30:00+03:00", "2023-03-26"),  # skipped: fold=0, +02:00
            ("**04:00**", "2023-03-26T04:00:00+03:00", "2023-03-26"),
            ("**2023-03-25 23:30**", "2023-03-25T23:30:00+02:00", "2023-03-25"),
        ],
    ),
    "no offset": (
        "2023-03-26T09:00:00",
        [
            ("**00:19**", "2023-03-26T00:19:00+02:00", "2023-03-26"),
            ("**08:00**", "2023-03-26T08:00:00+03:00", "2023-03-26"),
        ],
    ),
    "date only": (
        "2023-03-26",
        [
            ("**00:19**", "2023-03-26T00:19:00+02:00", "2023-03-26"),
            ("**23:59**", "2023-03-26T23:59:00+03:00", "2023-03-26"),
        ],
    ),
    # +02:00 is not Kyiv's offset at 09:00 that morning: a fixed offset, no DST rules
    "foreign fixed offset": (
        "2023-03-26T09:00:00+02:00",
        [
            ("**00:19**", "2023-03-26T00:19:00+02:00", "2023-03-26"),
            ("**08:30**", "2023-03-26T08:30:00+02:00", "2023-03-26"),  # 09:30 in Kyiv
            ("**23:30**", "2023-03-26T23:30:00+02:00", "2023-03-27"),  # 00:30 in Kyiv
        ],
    ),
    "far fixed offset": (
        "2023-03-25T20:00:00-04:00",
        [
            ("**23:19**", "2023-03-25T23:19:00-04:00", "2023-03-26"),  # 06:19 in Kyiv
            ("**19:30**", "2023-03-25T19:30:00-04:00", "2023-03-26"),  # 01:30 in Kyiv
            ("**19:00**", "2023-03-25T19:00:00-04:00", "2023-03-26"),  # 01:00 in Kyiv
            ("**16:59**", "2023-03-25T16:59:00-04:00", "2023-03-25"),  # 22:59 in Kyiv
        ],
    ),
}

AUTUMN = {
    "site offset (summer, before the change)": (
        "2023-10-29T01:00:00+03:00",
        [
            ("**02:30**", "2023-10-29T02:30:00+03:00", "2023-10-29"),
            ("**03:30**", "2023-10-29T03:30:00+03:00", "2023-10-29"),  # twice: fold=0, earlier
            ("**04:30**", "2023-10-29T04:30:00+02:00", "2023-10-29"),
            ("**00:10**", "2023-10-29T00:10:00+03:00", "2023-10-29"),
        ],
    ),
    "site offset (winter, after the change)": (
        "2023-10-29T10:00:00+02:00",
        [
            ("**00:19**", "2023-10-29T00:19:00+03:00", "2023-10-29"),  # summer time still
            ("**03:00**", "2023-10-29T03:00:00+03:00", "2023-10-29"),
            ("**09:00**", "2023-10-29T09:00:00+02:00", "2023-10-29"),
        ],
    ),
    # +03:00 after the change is not Kyiv's offset: the article's own clock, fixed
    "foreign fixed offset": (
        "2023-10-29T12:00:00+03:00",
        [
            ("**00:19**", "2023-10-29T00:19:00+03:00", "2023-10-29"),
            ("**04:30**", "2023-10-29T04:30:00+03:00", "2023-10-29"),  # 03:30 winter in Kyiv
            ("**23:30**", "2023-10-29T23:30:00+03:00", "2023-10-29"),  # 22:30 in Kyiv
        ],
    ),
    "fixed offset past midnight in Kyiv": (
        "2023-10-28T12:00:00+00:00",
        [
            ("**21:30**", "2023-10-28T21:30:00+00:00", "2023-10-29"),  # 00:30+03:00 in Kyiv
            ("**20:30**", "2023-10-28T20:30:00+00:00", "2023-10-28"),  # 23:30+03:00 in Kyiv
        ],
    ),
}


@pytest.mark.parametrize("name", list(SPRING))
def test_spring_change_night(tmp_path: Path, name: str) -> None:
    date, cases = SPRING[name]
    got = _read(tmp_path, date, *(stamp for stamp, _, _ in cases))
    assert [(time, day) for time, day, _, _ in got] == [(t, d) for _, t, d in cases]
    assert all(timed and precision == "minute" for _, _, timed, precision in got)


@pytest.mark.parametrize("name", list(AUTUMN))
def test_autumn_change_night(tmp_path: Path, name: str) -> None:
    date, cases = AUTUMN[name]
    got = _read(tmp_path, date, *(stamp for stamp, _, _ in cases))
    assert [(time, day) for time, day, _, _ in got] == [(t, d) for _, t, d in cases]


def test_the_repeated_hour_of_the_autumn_night_orders_by_instant(tmp_path: Path) -> None:
    """An article of the second 03:10 (winter, 01:10Z) with a **03:30** stamp (read as the
    first, summer 03:30: 00:30Z): by wall clock 03:10 comes first, by instant 03:30 does.
    Moments that shared a ZoneInfo would compare by wall clock; every one has a fixed offset."""
    site = _site(tmp_path, "2023-10-29T03:10:00+02:00", "Untimed.", "**03:30** Stamped.")
    assert [e.position for e in site.events] == [2, 1]
    assert all(isinstance(e.time.tzinfo, timezone) for e in site.events)
    assert [iso(e.time) for e in site.events] == [
        "2023-10-29T03:30:00+03:00",
        "2023-10-29T03:10:00+02:00",
    ]


def test_untimed_developments_have_no_time_of_their_own(tmp_path: Path) -> None:
    got = _read(tmp_path, "2023-03-26T09:00:00+03:00", "", "**00:19**", "**2023-03-25**")
    assert got == [
        ("2023-03-26T09:00:00+03:00", "2023-03-26", False, None),  # the article's, to order by
        ("2023-03-26T00:19:00+02:00", "2023-03-26", True, "minute"),
        ("2023-03-25T00:00:00+02:00", "2023-03-25", True, "day"),
    ]


def test_a_day_stamp_is_the_day_written_whatever_the_offset(tmp_path: Path) -> None:
    """`**YYYY-MM-DD**` is timed to the day: at 00:00-04:00 it would be 07:00 in Kyiv (the
    same day) but at 00:00+05:00 it would be 22:00 the day before; it is the day written."""
    east = _read(tmp_path / "east", "2023-03-26T12:00:00+05:00", "**2023-03-26**")
    west = _read(tmp_path / "west", "2023-10-29T12:00:00-04:00", "**2023-10-29**")
    assert east == [("2023-03-26T00:00:00+02:00", "2023-03-26", True, "day")]
    assert west == [("2023-10-29T00:00:00+03:00", "2023-10-29", True, "day")]


def test_untimed_in_a_date_only_article(tmp_path: Path) -> None:
    got = _read(tmp_path, "2023-10-29", "", "**2023-10-28**")
    assert got == [
        ("2023-10-29T00:00:00+03:00", "2023-10-29", False, None),
        ("2023-10-28T00:00:00+03:00", "2023-10-28", True, "day"),
    ]


def test_published_says_whose_rules_read_its_stamps() -> None:
    assert parse_published("2023-03-26T09:00:00+03:00", KYIV).local
    assert parse_published("2023-03-26T01:00:00+02:00", KYIV).local  # before the change
    assert not parse_published("2023-03-26T09:00:00+02:00", KYIV).local
    assert parse_published("2023-03-26T09:00:00", KYIV).local
    assert parse_published("2023-03-26", KYIV).local
    far = parse_published("2023-03-25T20:00:00-04:00", KYIV)
    assert (far.local, far.written.isoformat(), iso(far.moment)) == (
        False,
        "2023-03-25",
        "2023-03-25T20:00:00-04:00",
    )
    stamp = resolve_stamp("00:19", parse_published("2023-03-26T09:00:00+03:00", KYIV), KYIV)
    assert (iso(stamp.moment), stamp.day.isoformat(), stamp.precision) == (
        "2023-03-26T00:19:00+02:00",
        "2023-03-26",
        "minute",
    )


def test_skipped_and_repeated_wall_times_are_warned_where_written(
    tmp_path: Path, check: Callable[..., tuple[int, list[str]]]
) -> None:
    content = tmp_path / "content"
    write(content, "regions.yaml", REGIONS)
    write(content, "speakers.yaml", "{}\n")
    body = "## Developments\n\n- **03:30** Skipped.\n- **04:30** Fine.\n"
    sources = "sources:\n  - url: https://example.org/\n"
    dates = {
        "spring": "2023-03-26T09:00:00+03:00",
        "autumn": "2023-10-29",
        "far": "2023-03-26T09:00:00+05:00",  # its own fixed offset: nothing skipped there
    }
    for name, date in dates.items():
        front = f"---\ntitle: Night\ndate: {date}\nregions: [north]\n{sources}---\n\n"
        write(content, f"articles/{name}.md", front + body)
    code, lines = check(content)
    assert code == 0
    assert lines == [
        "content/articles/autumn.md:11:5: warning: time stamp '03:30' happened twice in "
        "Europe/Kyiv on 2023-10-29 (the clocks went back): read as the first, before the "
        "change (UTC+03:00)",
        "content/articles/spring.md:11:5: warning: time stamp '03:30' names a time the clocks "
        "skipped in Europe/Kyiv on 2023-03-26: read as 04:30 (UTC+03:00); write the time the "
        "clocks showed",
    ]  # far.md reads its stamps in +05:00: nothing skipped there
