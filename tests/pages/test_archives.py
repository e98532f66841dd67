"""Date archives of region and speaker timelines (tests/fixtures/spec_site): fixed calendar
parts, pagers labelled with dates, the calendar of months, months' contents, chart bars that
link to their month; and the pure URL functions behind the permalinks."""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

import pytest

from generator.cli import main
from generator.cli.links import check_site
from generator.diagnostics import ContentError
from generator.model.paging import part_end
from generator.model.urls import archive_url, month_url, part_start, shorten_links
from generator.settings import SettingsError, TimelineSettings

from ..support import REPO, SPEC_SITE, load_json, read_rooted, read_site

HREF = re.compile(r'href="\.\./\.\./([^"#]+)(?:#[^"]*)?"')


def _read(output: Path, name: str) -> str:
    return read_rooted(output, name)


def _pager(html: str) -> list[str]:
    nav = re.search(r'<nav class="pager archive-pager"[^>]*>(.*?)</nav>', html, re.S)
    assert nav, "no archive pager"
    return [re.sub(r"\s+", " ", text).strip() for text in re.findall(r">([^<>]+)</a>", nav[1])]


@pytest.mark.parametrize(
    ("unit", "day", "start", "end", "url"),
    [
        ("year", date(2024, 6, 13), date(2024, 1, 1), date(2024, 12, 31), "2024.html"),
        ("month", date(2024, 6, 13), date(2024, 6, 1), date(2024, 6, 30), "2024-06.html"),
        ("ten-days", date(2024, 6, 10), date(2024, 6, 1), date(2024, 6, 10), "2024-06-01.html"),
        ("ten-days", date(2024, 6, 11), date(2024, 6, 11), date(2024, 6, 20), "2024-06-11.html"),
        ("ten-days", date(2024, 1, 31), date(2024, 1, 21), date(2024, 1, 31), "2024-01-21.html"),
        ("ten-days", date(2024, 2, 29), date(2024, 2, 21), date(2024, 2, 29), "2024-02-21.html"),
        ("ten-days", date(2024, 12, 25), date(2024, 12, 21), date(2024, 12, 31), "2024-12-21.html"),
        ("day", date(2024, 6, 13), date(2024, 6, 13), date(2024, 6, 13), "2024-06-13.html"),
    ],
)
def test_parts_are_fixed_calendar_dates(
    unit: str, day: date, start: date, end: date, url: str
) -> None:
    assert part_start(unit, day) == start and part_end(unit, start) == end
    assert archive_url("region", "north", unit, day) == f"regions/north/{url}"
    assert archive_url("speaker", "ines", unit, day) == f"speakers/ines/{url}"
    assert month_url("region", "north", day) == f"regions/north/{day:%Y-%m}.html"


def test_units_by_depth_and_by_setting() -> None:
    content = SPEC_SITE / "content"
    site = read_site(content)
    assert [site.unit_of("region", r) for r in ("north", "north-hills", "pine-town")] == [
        "day",
        "ten-days",
        "month",
    ]
    assert site.unit_of("speaker", "ines-varga") == "year"
    quote = site.quotes[0]
    assert site.quote_home(quote) == f"speakers/{quote.speaker}/{quote.day.year}.html#{quote.id}"
    monthly = read_site(content, TIMELINE_SPEAKER_ARCHIVE_PART="month")
    assert monthly.unit_of("speaker", "ines-varga") == "month"
    assert (
        monthly.quote_home(quote) == f"speakers/{quote.speaker}/{quote.day:%Y-%m}.html#{quote.id}"
    )
    site = read_site(content, TIMELINE_ARCHIVE_PARTS={"north": "month", "pine-town": "day"})
    assert site.unit_of("region", "north") == "month"
    assert site.unit_of("region", "pine-town") == "day"
    event = next(e for e in site.events if e.regions[0] == "north")
    assert site.event_home(event) == f"regions/north/{event.day:%Y-%m}.html#{event.id}"


def test_archive_parts_setting_is_checked() -> None:
    with pytest.raises(SettingsError, match=r"TIMELINE_ARCHIVE_PARTS\['north'\].*ten-days"):
        TimelineSettings.from_pelican({"TIMELINE_ARCHIVE_PARTS": {"north": "tendays"}})
    with pytest.raises(SettingsError, match=r"TIMELINE_SPEAKER_ARCHIVE_PART.*'year'"):
        TimelineSettings.from_pelican({"TIMELINE_SPEAKER_ARCHIVE_PART": "yaer"})
    with pytest.raises(SettingsError, match="dict"):
        TimelineSettings.from_pelican({"TIMELINE_ARCHIVE_PARTS": ["north"]})
    with pytest.raises((SettingsError, ContentError), match="did you mean 'north'"):
        read_site(SPEC_SITE / "content", TIMELINE_ARCHIVE_PARTS={"nort": "day"})


def test_no_count_pages_remain(spec_output: Path) -> None:
    assert not list(spec_output.glob("*/*/page-*.html"))
    files = {p.name for p in (spec_output / "regions" / "north").iterdir()}
    assert {"index.html", "2024-06.html", "2024-06-20.html", "2024-06-21.html"} <= files


def test_pagers_are_labelled_with_dates(spec_output: Path) -> None:
    day = _read(spec_output, "regions/north/2024-06-20.html")
    assert _pager(day) == ["← 19 June 2024", "All of June 2024", "Latest", "21 June 2024 →"]
    assert 'rel="prev" href="../../regions/north/2024-06-19.html"' in day
    assert 'rel="next" href="../../regions/north/2024-06-21.html"' in day
    assert '<h1>Northern Province: <time datetime="2024-06-20">20 June 2024</time></h1>' in day
    ten = _read(spec_output, "regions/north-hills/2024-06-11.html")
    assert _pager(ten) == [
        "← 11–20 January 2024",
        "All of June 2024",
        "Latest",
        "21–30 June 2024 →",
    ]
    year = _read(spec_output, "speakers/mara-olsen/2024.html")  # speakers: by year
    assert _pager(year) == ["Latest"]  # the only year: no "←", no "→"
    assert '<h1>Mara Olsen: <time datetime="2024">2024</time></h1>' in year
    # both pagers of a page, and every page's ids unique
    for name in ("regions/north/2024-06-20.html", "regions/north/index.html"):
        ids = re.findall(r'\bid="([^"]+)"', _read(spec_output, name))
        assert len(ids) == len(set(ids)), name


def test_items_newest_first_grouped_by_day(spec_output: Path) -> None:
    html = _read(spec_output, "regions/north-hills/2024-06-21.html")
    days = re.findall(r'<section class="day" id="day-([\d-]+)"', html)
    assert days == sorted(days, reverse=True) and days
    times = re.findall(
        r'<li class="event[^"]*" id="[^"]+"[^>]*>\s*'
        r'<time datetime="([^"]+)"',
        html,
    )
    moments = [datetime.fromisoformat(t) for t in times if "T" in t]
    assert len(moments) > 1 and moments == sorted(moments, reverse=True)


def test_calendar_of_months_links_each_month(spec_output: Path) -> None:
    first = _read(spec_output, "regions/north/index.html")
    section = re.search(r'<section class="archive-months".*?</section>', first, re.S)
    assert section
    links = re.findall(
        r'<a href="\.\./\.\./(regions/north/(\d{4}-\d{2})\.html)">\w+ <span class="count">(\d+)',
        section[0],
    )
    assert [month for _, month, _ in links] == ["2024-01", "2024-06", "2024-07"]
    for url, month, count in links:
        page = _read(spec_output, url)  # the month's contents: its parts with their counts
        parts = re.findall(
            rf'<li><a href="\.\./\.\./(regions/north/{month}-\d\d\.html)">.*?'
            r'<span class="count">(\d+)',
            page,
        )
        assert parts and sum(int(n) for _, n in parts) == int(count)
        for part, n in parts:
            assert len(re.findall(r'<li class="event', _read(spec_output, part))) == int(n)
        squares = re.findall(r'<a href="\.\./\.\./(regions/north/[\d-]+\.html)"><title>', page)
        assert sorted(squares) == sorted(p for p, _ in parts)  # calendar squares → the days


def test_chart_bars_link_to_their_month(spec_output: Path) -> None:
    for name in ("regions/north/index.html", "speakers/tomas-reyes/index.html"):
        html = _read(spec_output, name)
        chart = re.search(r'<svg class="chart chart-activity".*?</svg>', html, re.S)
        assert chart, name
        bars = re.findall(r'<a href="\.\./\.\./([^"]+)"><title>([^<]+)</title>', chart[0])
        assert bars, name
        for url, title in bars:
            if url.startswith("speakers/"):  # kept by year: the year's page at the month's day
                match = re.fullmatch(r"speakers/[\w-]+/(\d{4})\.html#(day-(\d{4})-\d\d-\d\d)", url)
                assert match and match[1] == match[3], url
                page, anchor = url.split("#")
                assert f'id="{anchor}"' in _read(spec_output, page)
                continue
            assert re.fullmatch(r"regions/[\w-]+/\d{4}-\d{2}\.html", url), url
            assert (spec_output / url).is_file()
            assert url[-12:-5] in _read(spec_output, url)  # it is that month's page
            assert not title.endswith(": 0 developments")


def test_first_page_shows_latest_before_charts(spec_output: Path) -> None:
    html = _read(spec_output, "regions/north/index.html")
    first_card = html.index('<li class="event')
    assert first_card < html.index('class="archive-months"') < html.index("chart-activity")
    assert first_card < html.index('class="children"')


def test_a_top_level_region_kept_in_the_digests(tmp_path: Path) -> None:
    """Unit "digest" (the default of a site's only top-level region): its days are the
    digests, no part of its own repeats them, and what it keeps is in full there."""
    conf = tmp_path / "conf.py"
    conf.write_text(
        "import runpy\n"
        f"settings = runpy.run_path({str(REPO / 'pelicanconf.py')!r})\n"
        "globals().update({k: v for k, v in settings.items() if k.isupper()})\n"
        "TIMELINE_ARCHIVE_PARTS = {'north': 'digest'}\n"
    )
    output = tmp_path / "output"
    content = SPEC_SITE / "content"
    assert (
        main(["build", "--settings", str(conf), "--content", str(content), "--output", str(output)])
        == 0
    )
    north = output / "regions" / "north"
    assert not list(north.glob("????-??-??.html")) and list(north.glob("????-??.html"))
    month = read_rooted(output, "regions/north/2024-06.html")
    assert "each day in its digest" in month
    assert re.search(r'<li><a href="\.\./\.\./days/2024-06-\d\d\.html">', month)
    own = [e for e in load_json(output, "data/events.json") if e["regions"][0] == "north"]
    assert own
    for event in own:
        assert event["url"] == f"days/{event['day']}.html#{event['id']}"
        day = (output / "days" / f"{event['day']}.html").read_text(encoding="utf-8")
        card = day[day.index(f'id="{event["id"]}"') :]
        card = card[: card.index("</li>\n")]
        assert 'aria-label="Permanent link to this development">#</a>' in card  # in full
    others = [e for e in load_json(output, "data/events.json") if e["regions"][0] != "north"]
    assert all(e["url"].startswith("regions/") for e in others)
    assert check_site(output) == []


def test_only_a_top_level_region_is_kept_in_the_digests() -> None:
    with pytest.raises((SettingsError, ContentError), match="only a top-level region"):
        read_site(SPEC_SITE / "content", TIMELINE_ARCHIVE_PARTS={"pine-town": "digest"})
    assert read_site(SPEC_SITE / "content").unit_of("region", "north") == "day"  # not alone


def test_links_are_written_as_short_as_the_way_there() -> None:
    page = (
        '<a href="../../regions/north/2024-06.html#ev-1">a</a>'
        '<a href="../../regions/pine-town/index.html">b</a>'
        '<a href="../../days/2024-06-13.html">c</a>'
        '<link href="../../theme/css/site.css">'
        "<p>text: ../../regions/north/ stays</p>"
    )
    assert shorten_links(page, "regions/north/2024-06-13.html") == (
        '<a href="2024-06.html#ev-1">a</a>'
        '<a href="../pine-town/index.html">b</a>'
        '<a href="../../days/2024-06-13.html">c</a>'
        '<link href="../../theme/css/site.css">'
        "<p>text: ../../regions/north/ stays</p>"
    )
    assert shorten_links('<a href="../days/x.html">', "days/y.html") == '<a href="x.html">'
    assert shorten_links('<a href="./days/x.html">', "index.html") == '<a href="./days/x.html">'
    own = '<a href="../../regions/north/2024-06-13.html#ev-2">#</a><a href="2024-06-13.html">'
    assert shorten_links(own, "regions/north/2024-06-13.html") == (
        '<a href="#ev-2">#</a><a href="2024-06-13.html">'  # a place on the page: its #anchor
    )
    assert shorten_links('<a href="index.html#top">', "index.html") == '<a href="#top">'
