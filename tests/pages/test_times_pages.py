"""Honest times on every page that shows a development: a built site with the spring clock
change in Kyiv, an article in the site's offset and one in a foreign fixed offset."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from ..support import build_site, load_json, write

NS = {"a": "http://www.w3.org/2005/Atom"}
REGIONS = "north:\n  name: Northern Province\nsouth:\n  name: Southern Province\n"
NIGHT = """\
---
title: The night clocks went forward
date: 2023-03-26T16:20:00+03:00
regions: [north]
---

## Developments

- **00:19** Before the change.
- **Key** Reported without a time.
- **2023-03-25** A day only.
"""
FAR = """\
---
title: Seen from far away
date: 2023-03-25T20:00:00-04:00
regions: [south]
---

## Developments

- **23:19** Late in the evening there, morning in Kyiv.
- **16:59** Afternoon there, the evening before in Kyiv.
"""


@pytest.fixture(scope="module")
def output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("times")
    content = root / "content"
    write(content, "regions.yaml", REGIONS)
    write(content, "speakers.yaml", "{}\n")
    write(content, "articles/night.md", NIGHT)
    write(content, "articles/far.md", FAR)
    assert build_site(content, root / "output", "--no-download-zip") == 0
    return root / "output"


def _read(output: Path, name: str) -> str:
    return (output / name).read_text(encoding="utf-8")


def _card(page: str, anchor: str) -> str:
    start = page.index(f'id="{anchor}"')
    return page[start : page.index("</li>\n", start)]


def _untimed_is_honest(html: str) -> None:
    assert "reported by" in html
    assert "16:20</time>" not in html.replace("16:20<span", "")  # never a bare 16:20
    assert 'datetime="2023-03-26T16:20' not in html


def test_cards_on_the_region_and_day_pages(output: Path) -> None:
    for page in ("regions/north/index.html", "days/2023-03-26.html"):
        html = _read(output, page)
        timed = _card(html, "ev-night-1")
        assert (
            '<time datetime="2023-03-26T00:19:00+02:00">00:19<span class="zone"> Kyiv time' in timed
        )
        untimed = _card(html, "ev-night-2")
        assert '<time class="untimed" datetime="2023-03-26"' in untimed
        _untimed_is_honest(untimed)
    day_only = _card(_read(output, "days/2023-03-25.html"), "ev-night-3")
    assert ">2023-03-25</time>" in day_only and "00:00" not in day_only


def test_a_foreign_offset_lands_on_its_kyiv_day(output: Path) -> None:
    morning = _card(_read(output, "days/2023-03-26.html"), "ev-far-1")
    assert '<time datetime="2023-03-25T23:19:00-04:00">06:19<span' in morning
    evening = _card(_read(output, "days/2023-03-25.html"), "ev-far-2")
    assert '<time datetime="2023-03-25T16:59:00-04:00">22:59<span' in evening
    assert "ev-far-2" not in _read(output, "days/2023-03-26.html")


def test_home_page_and_key_developments(output: Path) -> None:
    home = _read(output, "index.html")
    latest = home[home.index('class="day-cards"') :]
    item = next(li for li in latest.split("<li>") if "#ev-night-2" in li)
    _untimed_is_honest(item)
    key = home[home.index('class="key-developments"') : home.index("</section>")]
    assert "reported by 2023-03-26 16:20" in key and 'datetime="2023-03-26"' in key
    assert "Times are Kyiv time (Europe/Kyiv)" in home


def test_the_article_page_names_the_zone(output: Path) -> None:
    article = _read(output, "articles/night.html")
    assert '<time datetime="2023-03-26T16:20:00+03:00">2023-03-26 16:20 Kyiv time</time>' in article


def test_feed_entries_say_when(output: Path) -> None:
    feed = ET.fromstring(_read(output, "feeds/regions/north.atom.xml"))
    html = {
        (e.findtext("a:id", namespaces=NS) or "").rsplit("#", 1)[-1]: (
            e.findtext("a:content", namespaces=NS) or ""
        )
        for e in feed.findall("a:entry", NS)
    }
    assert html["ev-night-1"].startswith("<p>2023-03-26 00:19 Kyiv time</p>")
    assert html["ev-night-2"].startswith("<p>2023-03-26, reported by 16:20 Kyiv time</p>")
    assert html["ev-night-3"].startswith("<p>2023-03-25</p>")


def test_events_json_and_timelinejs(output: Path) -> None:
    events = {e["id"]: e for e in load_json(output, "data/events.json")}
    assert (events["ev-night-2"]["timed"], events["ev-night-2"]["precision"]) == (False, None)
    assert events["ev-night-2"]["time"] == "2023-03-26T16:20:00+03:00"  # to order by, only
    assert (events["ev-night-3"]["timed"], events["ev-night-3"]["precision"]) == (True, "day")
    assert events["ev-night-1"]["time"] == "2023-03-26T00:19:00+02:00"
    assert events["ev-far-1"]["day"] == "2023-03-26"
    slides = {
        s["unique_id"]: s["start_date"]
        for s in load_json(output, "data/timelinejs/north.json")["events"]
    }
    assert slides["ev-night-1"] == {
        "year": "2023",
        "month": "3",
        "day": "26",
        "hour": "0",
        "minute": "19",
    }
    assert slides["ev-night-2"] == {"year": "2023", "month": "3", "day": "26"}
    assert slides["ev-night-3"] == {"year": "2023", "month": "3", "day": "25"}
