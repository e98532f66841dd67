"""The build-time pictures (generator/render/charts/): escaping, numbers, buckets, links, sizes."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import date, timedelta
from pathlib import Path

import pytest

from generator.render import charts
from generator.render.charts import Bucket, CalendarDay, MapPoint

from ..support import REPO, synth_content

NASTY = "Bad <script>alert(\"x\")</script> & 'quote'"
SVG_NS = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    """Each picture is well-formed XML on its own (namespace added for the parser)."""
    return ET.fromstring(svg.replace("<svg ", '<svg xmlns="http://www.w3.org/2000/svg" ', 1))


def test_numbers_are_deterministic_and_locale_free() -> None:
    assert [charts.num(v) for v in (0, -0.0, -0.04, 1.0, 2.25, 3.14159, 1234.56, -7.5)] == [
        "0",
        "0",
        "0",
        "1",
        "2.2",
        "3.1",
        "1234.6",
        "-7.5",
    ]
    assert charts.count(1234567) == "1,234,567"
    assert charts.nice_ceiling(0) == 1 and charts.nice_ceiling(7) == 10
    assert charts.nice_ceiling(57) == 100 and charts.nice_ceiling(20) == 20


def test_weeks_are_iso_weeks_and_every_item_is_counted() -> None:
    days = [
        date(2023, 1, 1),
        date(2023, 1, 2),
        date(2023, 1, 8),
        date(2023, 1, 9),
        date(2023, 3, 31),
    ]
    buckets = charts.bucket_days(days, date(2023, 1, 1), date(2023, 3, 31), "week")
    assert buckets[0].start == date(2022, 12, 26)  # the Monday of 1 Jan 2023's week
    assert all(b.start.weekday() == 0 for b in buckets)
    assert [b.value for b in buckets[:3]] == [1, 2, 1]
    assert sum(b.value for b in buckets) == len(days)
    assert buckets[1].label == "week of 2 Jan 2023"
    months = charts.bucket_days(days, date(2023, 1, 1), date(2023, 3, 31), "month")
    assert [(b.label, b.value) for b in months] == [
        ("January 2023", 4),
        ("February 2023", 0),
        ("March 2023", 1),
    ]


def test_long_periods_get_coarser_buckets() -> None:
    assert charts.choose_unit(date(2023, 1, 1), date(2024, 12, 31)) == "week"
    assert charts.choose_unit(date(2015, 1, 1), date(2024, 12, 31)) == "month"
    assert charts.choose_unit(date(1900, 1, 1), date(2024, 12, 31)) == "year"


def test_text_is_escaped_everywhere() -> None:
    buckets = [Bucket(date(2023, 1, 2), NASTY, 3), Bucket(date(2023, 1, 9), "w", 0)]
    map_ = charts.map_svg(
        [
            MapPoint("a", NASTY, 50.0, 30.0, 5, 'x.html?a="b"&c'),
            MapPoint("b", "B", 48.0, 37.0, 1, "b.html"),
        ],
        current="a",
        ident="m",
        title=NASTY,
        desc=NASTY,
        noun="x",
    )
    assert map_ is not None
    pictures = [
        charts.activity_svg(
            buckets, unit="week", ident='x"y', title=NASTY, desc=NASTY, noun="thing"
        ),
        charts.bars_svg([(NASTY, 4), ("b", 1)], ident="b", title=NASTY, desc=NASTY, noun="x"),
        map_,
        charts.calendar_month_svg(
            2023,
            1,
            {date(2023, 1, 5): CalendarDay(date(2023, 1, 5), 2, '"><script>x</script>')},
            (1, 2, 3),
            ident="c",
        ),
    ]
    for svg in pictures:
        assert "<script" not in svg and 'alert("x")' not in svg
        root = parse(svg)  # escaping keeps it well-formed
        texts = "".join(root.itertext())
        assert "<script>" in texts or "script" in svg  # the text survives, as text
        assert ' style="' not in svg  # the CSP forbids inline styles


def test_same_input_same_bytes() -> None:
    points = [
        MapPoint(f"p{i}", f"Place {i}", 45 + i * 0.7, 25 + (i * 37 % 11), i * 3, f"{i}.html")
        for i in range(30)
    ]
    one = charts.map_svg(points, current="p3", ident="m", title="t", desc="d", noun="x")
    two = charts.map_svg(
        list(reversed(points)), current="p3", ident="m", title="t", desc="d", noun="x"
    )
    assert one == two


def test_the_calendar_links_each_day_by_name_and_sizes_by_level() -> None:
    days = {
        date(2023, 2, 1) + timedelta(days=i): CalendarDay(
            date(2023, 2, 1) + timedelta(days=i), i, f"../days/2023-02-{i + 1:02d}.html"
        )
        for i in range(0, 28, 2)
    }
    bounds = charts.calendar_levels(d.value for d in days.values())
    svg = charts.calendar_month_svg(2023, 2, days, bounds, ident="cal-2023-02")
    root = parse(svg)
    links = root.findall(f"{SVG_NS}a")
    assert len(links) == len(days)
    for link in links:
        assert link.get("href", "").startswith("../days/2023-02-")
        name = link.find(f"{SVG_NS}title")
        assert name is not None and re.fullmatch(r"\d+ Feb 2023: \d+", name.text or "")
    sides = {
        re.search(r"h(\d+)v", path.get("d", "")).group(1)  # type: ignore[union-attr]
        for path in root.iter(f"{SVG_NS}path")
        if path.get("class") is None
    }
    assert len(sides) >= 4  # the level shows as the size of the square, not only its colour


def test_event_regions_list_each_region_and_its_ancestors() -> None:
    from generator.pipeline import check, load_settings

    settings = load_settings(REPO / "pelicanconf.py", {"PATH": str(REPO / "content")})
    site = check(settings)
    assert charts.event_regions(site, ("bakhmut",)).split() == ["bakhmut", "donetsk", "ukraine"]
    assert charts.event_regions(site, ("bakhmut", "kreminna")).split()[:3] == [
        "bakhmut",
        "donetsk",
        "ukraine",
    ]
    parent, ids = charts.top_level(site)
    assert parent == "" and "ukraine" in ids  # several roots: the roots themselves


def svg_bytes(html: str) -> int:
    return sum(len(s.encode()) for s in re.findall(r"<svg.*?</svg>", html, re.S))


def test_built_pages_carry_their_pictures(spec_output: Path) -> None:
    home = (spec_output / "index.html").read_text(encoding="utf-8")
    assert 'class="chart chart-bars"' in home and '<details class="chart-data">' in home
    region = (spec_output / "regions" / "north" / "index.html").read_text(encoding="utf-8")
    assert 'class="chart chart-activity"' in region and 'class="chart chart-map"' in region
    assert ('id="day-' in region and 'class="jump-to-date"' in region) or region.count(
        'class="day"'
    ) <= 1
    assert "theme/js/filter.js" in region and 'data-regions="' in region
    days = (spec_output / "days" / "index.html").read_text(encoding="utf-8")
    assert 'class="chart chart-month"' in days and re.search(r'href="\d{4}-\d\d-\d\d\.html"', days)


@pytest.mark.slow
def test_pictures_stay_small_at_5000_articles(tmp_path: Path) -> None:
    """The budget: ≤ 60 KB of SVG on any page at 5,000 articles over two years (bench/synth.py).

    The days index shows one year a page, so its calendar (a named link a day) stays within.
    """
    from generator.pipeline import check, load_settings

    content = tmp_path / "content"
    synth_content(content, 5000)
    settings = load_settings(
        REPO / "pelicanconf.py", {"PATH": str(content), "CACHE_PATH": str(tmp_path / "cache")}
    )
    site = check(settings)
    budget = 60 * 1024
    sizes: dict[str, int] = {}
    for rid in site.regions:
        activity = charts.region_activity(site, rid)
        map_ = charts.region_map(site, "../..", rid)
        assert activity is not None
        sizes[f"region {rid}"] = len(activity.svg) + (len(map_.svg) if map_ else 0)
    for sid in site.speakers:
        chart = charts.speaker_activity(site, sid)
        assert chart is not None
        sizes[f"speaker {sid}"] = len(chart.svg)
    home = charts.regions_chart(site)
    index_map = charts.region_map(site, "..")
    assert home is not None and index_map is not None
    sizes["home"], sizes["region index"] = len(home.svg), len(index_map.svg)
    assert max(sizes.values()) <= budget, sorted(sizes.items(), key=lambda kv: -kv[1])[:3]
    years = sorted({day.date.year for day in site.days})
    assert len(years) == 2
    calendars = [charts.calendar(site, "..", year) for year in years]
    assert all(calendars)
    for calendar in calendars:  # one year a page: each days index page keeps to the budget
        sizes[f"days index {calendar.months[0][0][:4]}"] = len(calendar.legend) + sum(
            len(svg) for _, svg in calendar.months
        )
    assert max(sizes.values()) <= budget, sorted(sizes.items(), key=lambda kv: -kv[1])[:3]
    calendar_bytes = max(v for k, v in sizes.items() if k.startswith("days index"))
    assert sum(c.days for c in calendars) >= 700
    regions = max(v for k, v in sizes.items() if k.startswith("region "))
    speakers = max(v for k, v in sizes.items() if k.startswith("speaker "))
    print(
        f"\nSVG bytes at 5,000 articles: largest region page {regions}, largest speaker "
        f"page {speakers}, home {sizes['home']}, region index {sizes['region index']}, "
        f"largest days index calendar {calendar_bytes}"
    )
