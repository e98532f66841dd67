"""How a development's or quote's time is shown: a clock time only when the development has one.

Cards, lists, feeds, events.json and TimelineJS all take it from generator.render.when and the
record's `timed`/`precision`; an untimed development never shows its article's time as its own.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from generator.model.site import zone_label
from generator.render.cards import event_card, quote_card
from generator.render.data import event_json, slide_text
from generator.render.when import event_when, event_when_text

from ..support import read_site, write

KYIV = ZoneInfo("Europe/Kyiv")
REGIONS = "north:\n  name: Northern Province\n"
SPEAKERS = "mara-olsen:\n  name: Mara Olsen\n"
NIGHT = """\
---
title: The night clocks went forward
date: 2023-03-26T16:20:00+03:00
regions: [north]
---

## Developments

- **00:19** Before the change.
- Reported without a time.
- **2023-03-25** A day only.
- **2023-03-26 04:05** After the change.

> The clocks went forward.
>
> — [Mara Olsen](speaker:mara-olsen), at dawn
"""
DAY_ONLY = """\
---
title: A day without a clock
date: 2023-10-29
regions: [north]
---

## Developments

- Reported on a day only.

> Nothing to add.
>
> — [Mara Olsen](speaker:mara-olsen)
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Any:
    content = tmp_path_factory.mktemp("when") / "content"
    write(content, "regions.yaml", REGIONS)
    write(content, "speakers.yaml", SPEAKERS)
    write(content, "articles/night.md", NIGHT)
    write(content, "articles/day.md", DAY_ONLY)
    return read_site(content)


def _event(site: Any, event_id: str) -> Any:
    return next(e for e in site.events if e.id == event_id)


def _card(site: Any, event_id: str) -> str:
    return event_card(site, KYIV, _event(site, event_id), show_regions=False)


def test_a_clock_stamp_shows_its_time_with_the_zone_and_the_offset(site: Any) -> None:
    card = _card(site, "ev-night-1")
    assert (
        '<time datetime="2023-03-26T00:19:00+02:00">00:19<span class="zone"> Kyiv time</span>'
        "</time>"
    ) in card
    after = _card(site, "ev-night-4")
    assert '<time datetime="2023-03-26T04:05:00+03:00">04:05<span class="zone">' in after


def test_an_untimed_card_says_reported_by_and_dates_only_its_datetime(site: Any) -> None:
    card = _card(site, "ev-night-2")
    assert '<time class="untimed" datetime="2023-03-26"' in card
    assert "reported by 16:20" in card and "Kyiv time" in card
    assert "16:20</time>" not in card  # never shown bare, as if it were the development's
    assert "T16:20" not in card  # the datetime is the date alone
    assert ">–<" not in card


def test_a_day_stamp_shows_its_date_and_no_clock(site: Any) -> None:
    card = _card(site, "ev-night-3")
    assert '<time class="day-only" datetime="2023-03-25"' in card and ">2023-03-25</time>" in card
    assert "00:00" not in card


def test_an_untimed_development_of_a_date_only_article_shows_its_date(site: Any) -> None:
    card = _card(site, "ev-day-1")
    assert '<time class="untimed" datetime="2023-10-29"' in card
    assert ">2023-10-29</time>" in card and "reported by" not in card and "00:00" not in card


def test_lists_with_several_days_date_clock_times(site: Any) -> None:
    event = _event(site, "ev-night-1")
    article = site.article_by_slug["night"]
    assert ">2023-03-26 00:19<" in event_when(event, article, KYIV, "Kyiv time", dated=True)
    untimed = event_when(_event(site, "ev-night-2"), article, KYIV, "Kyiv time", dated=True)
    assert "reported by 2023-03-26 16:20" in untimed


def test_plain_text_for_feeds(site: Any) -> None:
    night, day = site.article_by_slug["night"], site.article_by_slug["day"]
    texts = [
        event_when_text(_event(site, f"ev-night-{n}"), night, KYIV, "Kyiv time") for n in (1, 2, 3)
    ]
    assert texts == [
        "2023-03-26 00:19 Kyiv time",
        "2023-03-26, reported by 16:20 Kyiv time",
        "2023-03-25",
    ]
    assert event_when_text(_event(site, "ev-day-1"), day, KYIV, "Kyiv time") == "2023-10-29"


def test_quote_cards_label_the_article_time_as_reported(site: Any) -> None:
    card = quote_card(site, KYIV, site.quotes[0], show_speaker=True)
    assert '<time datetime="2023-03-26">2023-03-26</time>, reported by ' in card
    assert '<time datetime="2023-03-26T16:20:00+03:00">16:20<span class="zone"> Kyiv time' in card
    day = quote_card(site, KYIV, site.quotes[1], show_speaker=True)
    assert '<time datetime="2023-10-29">2023-10-29</time>' in day and "reported" not in day


def test_events_json_marks_untimed_and_day_precision(site: Any) -> None:
    rows = {e.id: event_json(e, (), site.event_home(e)) for e in site.events}
    assert (rows["ev-night-1"]["timed"], rows["ev-night-1"]["precision"]) == (True, "minute")
    assert (rows["ev-night-2"]["timed"], rows["ev-night-2"]["precision"]) == (False, None)
    assert (rows["ev-night-3"]["timed"], rows["ev-night-3"]["precision"]) == (True, "day")
    assert rows["ev-night-1"]["time"] == "2023-03-26T00:19:00+02:00"


def test_timelinejs_slides_have_an_hour_only_for_a_clock_time(site: Any) -> None:
    def start(event_id: str) -> dict[str, str]:
        slide = json.loads(slide_text(site, _event(site, event_id), ""))
        return dict(slide["start_date"])

    assert start("ev-night-1") == {
        "year": "2023",
        "month": "3",
        "day": "26",
        "hour": "0",
        "minute": "19",
    }
    assert start("ev-night-2") == {"year": "2023", "month": "3", "day": "26"}
    assert start("ev-night-3") == {"year": "2023", "month": "3", "day": "25"}
    assert start("ev-day-1") == {"year": "2023", "month": "10", "day": "29"}


def test_zone_labels() -> None:
    assert zone_label("Europe/Kyiv") == "Kyiv time"
    assert zone_label("America/Argentina/Buenos_Aires") == "Buenos Aires time"
    assert zone_label("UTC") == "UTC time"


def test_the_label_setting_overrides(tmp_path: Path) -> None:
    content = tmp_path / "content"
    write(content, "regions.yaml", REGIONS)
    write(content, "speakers.yaml", SPEAKERS)
    write(content, "articles/night.md", NIGHT)
    site = read_site(content, TIMELINE_TIMEZONE_LABEL="Ukraine time")
    assert site.zone_label == "Ukraine time"
    card = event_card(site, KYIV, _event(site, "ev-night-1"), show_regions=False)
    assert '<span class="zone"> Ukraine time</span>' in card
