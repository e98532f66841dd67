"""The daily digest as a live blog: what mattered first, one stream newest first with place
labels, a contents by place that links into it; valid, with unique ids."""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest


class Outline(HTMLParser):
    """What the tests read of a page: every id, the stream's items, the contents' links."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: list[str] = []
        self.open: list[tuple[str, str]] = []  # (tag, class) of open elements
        self.stream: list[dict[str, str]] = []  # id, regions, time (the item's first)
        self.contents: list[tuple[str, str]] = []  # (href, count) in the contents' order
        self.summary_links: list[str] = []
        self.invalid: list[str] = []
        self._text: list[str] = []

    def _inside(self, cls: str) -> bool:
        return any(cls in c.split() for _, c in self.open)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if "id" in a:
            self.ids.append(a["id"])
        if tag == "details" and any(t == "figure" for t, _ in self.open):
            self.invalid.append("<details> inside <figure>")
        if tag == "svg" and a.get("role") == "group":
            self.invalid.append('role="group" on <svg>')
        if tag == "li" and self.open and "stream" in self.open[-1][1].split():
            self.stream.append({"id": a["id"], "regions": a.get("data-regions", ""), "time": ""})
        if tag == "time" and self.stream and self._inside("stream") and not self.stream[-1]["time"]:
            self.stream[-1]["time"] = a["datetime"]
        if tag == "a" and self._inside("day-contents"):
            self.contents.append((a["href"], ""))
        if tag == "a" and self._inside("day-summary"):
            self.summary_links.append(a["href"])
        if tag == "span" and "count" in a.get("class", "").split() and self._inside("day-contents"):
            self._text = []
        if tag not in ("br", "img", "input", "meta", "link", "hr", "source", "wbr"):
            self.open.append((tag, a.get("class", "")))

    def handle_data(self, data: str) -> None:
        self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        while self.open:
            opened, cls = self.open.pop()
            if opened == "span" and "count" in cls.split() and self._inside("day-contents"):
                href, _ = self.contents[-1]
                self.contents[-1] = (href, "".join(self._text))
            if opened == tag:
                break


def outline(path: Path) -> Outline:
    parser = Outline()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def lineages(output: Path) -> dict[str, str]:
    """Each development's regions and their ancestors, from data/ (cards do not carry them
    where no region filter reads them)."""
    site = json.loads((output / "data/site.json").read_text(encoding="utf-8"))
    parent = {r["id"]: r["parent"] for r in site["regions"]}

    def chain(rid: str | None) -> list[str]:
        return [] if rid is None else [rid, *chain(parent[rid])]

    events = json.loads((output / "data/events.json").read_text(encoding="utf-8"))
    return {
        e["id"]: " ".join(dict.fromkeys(r for rid in e["regions"] for r in chain(rid)))
        for e in events
    }


def digests(output: Path) -> list[Path]:
    return sorted((output / "days").glob("????-??-??.html"))


def test_every_digest_and_the_home_page_have_unique_ids_and_valid_nesting(
    spec_output: Path,
) -> None:
    for path in [*digests(spec_output), spec_output / "index.html"]:
        page = outline(path)
        repeated = [i for i, n in Counter(page.ids).items() if n > 1]
        assert repeated == [], f"{path.name}: ids used twice: {repeated}"
        assert page.invalid == [], f"{path.name}: {page.invalid}"


def test_the_stream_holds_every_development_and_quote_newest_first(spec_output: Path) -> None:
    seen = 0
    for path in digests(spec_output):
        html = path.read_text(encoding="utf-8")
        page = outline(path)
        items = [item["id"] for item in page.stream]
        assert len(items) == html.count('<li class="event') + html.count('<li class="quote"')
        seen += len(items)
        times = [datetime.fromisoformat(i["time"]) for i in page.stream if "T" in i["time"]]
        assert times == sorted(times, reverse=True), f"{path.name} is not newest first"
    busy = outline(spec_output / "days/2024-06-21.html")
    assert len(busy.stream) > 3 and seen == 26  # 20 developments and 6 quotes in all


def test_what_mattered_comes_first_with_key_developments_and_the_summary(
    spec_output: Path,
) -> None:
    day = (spec_output / "days/2024-01-15.html").read_text(encoding="utf-8")
    mattered = day[
        day.index('class="what-mattered"') : day.index("</section>", day.index("what-mattered"))
    ]
    assert day.index('class="what-mattered"') < day.index('class="events stream"')
    assert 'href="#ev-harbor-ice-2"' in mattered  # the key one, linking into the stream
    assert '<span class="key-place">Pine Town, North Hills</span>' in mattered
    summary = outline(spec_output / "days/2024-01-15.html").summary_links
    assert summary == [  # the busiest top-level region first, each with its busiest places
        "../regions/north/index.html",
        "../regions/north-coast/index.html",
        "../regions/north-hills/index.html",
        "../regions/islands/index.html",
        "../regions/east-isles/index.html",
    ]
    assert ">Key development</h3>" in mattered  # one
    quiet = (spec_output / "days/2024-06-21.html").read_text(encoding="utf-8")
    assert 'class="day-summary"' in quiet  # always
    # none marked key: its latest developments (not its quotes), newest first
    mattered = quiet[quiet.index('class="what-mattered"') : quiet.index('class="day-summary"')]
    assert ">Latest developments</h3>" in mattered and ">Key developments<" not in mattered
    page = outline(spec_output / "days/2024-06-21.html")
    latest = [i["id"] for i in page.stream if i["id"].startswith("ev-")][:3]
    assert re.findall(r'href="#(ev-[^"]+)"', mattered) == latest


def test_place_labels_name_the_place_most_specific_first(spec_output: Path) -> None:
    day = (spec_output / "days/2024-01-15.html").read_text(encoding="utf-8")
    card = day[day.index('id="ev-harbor-ice-2"') :]
    card = card[: card.index("</li>\n")]
    # it names Pine Town and North Hills: North Hills holds Pine Town, so one label; the
    # top-level region (Northern Province) is left off
    # (a brief card: its places in words, its home links them)
    assert '<span class="event-place">Pine Town, North Hills</span>' in card
    top = (spec_output / "days/2024-01-20.html").read_text(encoding="utf-8")
    assert '"event-place">Northern Province</span>' in top  # a top-level place names itself


@pytest.mark.parametrize("name", ["2024-01-15.html", "2024-06-21.html", "2024-06-10.html"])
def test_contents_count_by_place_and_link_to_the_newest_item(spec_output: Path, name: str) -> None:
    page = outline(spec_output / "days" / name)
    lineage = lineages(spec_output)
    for item in page.stream:
        item["regions"] = lineage.get(item["id"], "")
    assert page.contents, "no contents"
    order = [item["id"] for item in page.stream]
    for href, count in page.contents:
        assert href.startswith("#") and href[1:] in order, href
        target = next(i for i in page.stream if i["id"] == href[1:])
        if target["id"].startswith("qu-"):
            expected = [i for i in page.stream if i["id"].startswith("qu-")]
        else:
            # the place is one of the regions of its newest item: count the items naming it
            places = [
                r
                for r in target["regions"].split()
                if int(count) == sum(r in i["regions"].split() for i in page.stream)
            ]
            assert places, f"{href}: no region of it is counted {count}"
            expected = [i for i in page.stream if places[0] in i["regions"].split()]
        assert int(count) == len(expected)
        assert expected[0]["id"] == href[1:]  # the newest of them


def test_what_mattered_always_holds_a_development(spec_output: Path) -> None:
    for path in digests(spec_output):
        html = path.read_text(encoding="utf-8")
        if '<li class="event' not in html:
            continue
        start = html.index('class="what-mattered"')
        assert 'href="#ev-' in html[start : html.index("</section>", start)], path.name


def test_the_home_page_lists_newest_first(spec_output: Path) -> None:
    html = (spec_output / "index.html").read_text(encoding="utf-8")
    latest = html[html.index('class="day-cards"') : html.index('<p class="more">')]
    days = re.findall(r'<h3><a href="[^"]+"><time datetime="([\d-]+)">', latest)
    assert len(days) > 1 and days == sorted(days, reverse=True)
    for card in latest.split("<h3>")[1:]:
        times = [
            datetime.fromisoformat(t) for t in re.findall(r'<time datetime="([^"]+T[^"]+)"', card)
        ]
        assert times == sorted(times, reverse=True)
