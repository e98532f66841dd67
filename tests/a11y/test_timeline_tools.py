"""Region pages: jump to a day without JS, and filter by child region with js/filter.js."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.browser


def region_with_filter(output: Path) -> Path:
    for page in sorted((output / "regions").glob("*/index.html")):
        if 'class="region-filter"' in page.read_text(encoding="utf-8"):
            return page
    raise AssertionError("no region page has a filter")


def test_filter_shows_one_child_region_without_reload(demo_output: Path, browser: Any) -> None:
    context = browser.new_context()
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto(region_with_filter(demo_output).as_uri())
        control = page.locator(".region-filter")
        assert control.is_visible()
        events = page.locator(".timeline li.event")
        total = events.count()
        options = page.locator(".region-filter option:not([value=''])")
        assert options.count() >= 1
        child = options.first.get_attribute("value")
        page.select_option(".region-filter select", child)
        shown = page.locator(".timeline li.event:visible")
        assert 0 < shown.count() <= total
        for index in range(shown.count()):
            assert child in (shown.nth(index).get_attribute("data-regions") or "").split()
        for day in page.locator(".timeline section.day:visible").all():
            assert day.locator("li.event:visible").count() > 0
        status = page.locator(".region-filter-status").text_content() or ""
        assert f"of {total}" in status
        page.select_option(".region-filter select", "")
        assert page.locator(".timeline li.event:visible").count() == total
        assert page.url.startswith("file:")  # no navigation happened
    finally:
        context.close()
    assert errors == []


def test_without_javascript_everything_is_shown_and_no_dead_control(
    demo_output: Path, browser: Any
) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(region_with_filter(demo_output).as_uri())
        assert not page.locator(".region-filter").is_visible()
        events = page.locator(".timeline li.event")
        assert events.count() == page.locator(".timeline li.event:visible").count() > 0
    finally:
        context.close()


def test_jump_to_date_links_reach_their_day(demo_output: Path, browser: Any) -> None:
    pages = [
        p
        for p in sorted((demo_output / "regions").glob("*/index.html"))
        if 'class="jump-to-date"' in p.read_text(encoding="utf-8")
    ]
    assert pages, "no region page of the demo has two days"
    context = browser.new_context(java_script_enabled=False, viewport={"width": 375, "height": 700})
    page = context.new_page()
    try:
        page.goto(pages[0].as_uri())
        page.locator(".jump-to-date summary").click()
        link = page.locator(".jump-to-date a").last
        target = (link.get_attribute("href") or "").lstrip("#")
        link.click()
        assert page.evaluate("() => location.hash") == f"#{target}"
        heading = page.locator(f"#{target} .day-heading")
        box = heading.bounding_box()
        assert box is not None and 0 <= box["y"] < 700
    finally:
        context.close()


# a real name of this length: "all of Autonomous Republic of Crimea (1,234)"; the control's
# options are as wide as the longest, which pushed a 375 px page to 453-462 px (found at scale)
LONG_NAME = "Ozernove-Dniprovsko-Zaporizhzhianska Oblast of the Autonomous Republic"


def test_the_filter_fits_a_phone_whatever_the_regions_names(
    demo_output: Path, browser: Any
) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 740})
    page = context.new_page()
    try:
        page.goto(region_with_filter(demo_output).as_uri())
        assert page.locator(".region-filter select").is_visible()
        page.evaluate(
            """(name) => document.querySelectorAll('.region-filter option')
                 .forEach((o) => { o.textContent = 'all of ' + name + ' (1,234)'; })""",
            LONG_NAME,
        )
        box = page.locator(".region-filter select").bounding_box()
        assert box is not None and box["x"] + box["width"] <= 375, box
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= 375, f"the page is {width} px wide on a 375 px screen"
    finally:
        context.close()
