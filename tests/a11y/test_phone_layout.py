"""On a phone the first development of a digest and of the home page is on the first screen:
charts, maps and the contents come after it or are folded."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.browser

FIRST_SCREEN = 700  # px of a 375 × 740 phone screen left below the browser's own bars

# the first item that shows a development, in document order: a key development of what
# mattered, a card of the stream, an item of the home page's latest digests
FIRST_DEVELOPMENT = """() => {
  const first = document.querySelector(
    "main :is(.key-list li, .stream li.event, .key-developments li, .day-cards ul li)");
  return first ? first.getBoundingClientRect().top + window.scrollY : null;
}"""


def pages(output: Path) -> list[Path]:
    """The home page, the busiest digest (key developments on top) and the quietest one."""
    days = sorted((output / "days").glob("????-??-??.html"), key=lambda p: p.stat().st_size)
    assert len(days) >= 2
    return [output / "index.html", days[-1], days[0]]


def test_the_first_development_is_on_a_phones_first_screen(demo_output: Path, browser: Any) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 740})
    page = context.new_page()
    try:
        for path in pages(demo_output):
            page.goto(path.as_uri())
            top = page.evaluate(FIRST_DEVELOPMENT)
            assert top is not None, f"{path.name}: no development found"
            assert top < FIRST_SCREEN, f"{path.name}: the first development starts at {top} px"
            overflow = page.evaluate("() => document.documentElement.scrollWidth")
            assert overflow <= 375, f"{path.name} is {overflow} px wide on a 375 px screen"
    finally:
        context.close()


def test_the_contents_folds_and_its_links_land_in_the_stream(
    demo_output: Path, browser: Any
) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 740})
    page = context.new_page()
    try:
        page.goto(pages(demo_output)[1].as_uri())
        link = page.locator(".day-contents li li a").first
        assert not link.is_visible()  # folded: it does not push the stream down
        page.locator(".day-contents summary").click()
        target = (link.get_attribute("href") or "")[1:]
        link.click()
        assert page.evaluate("() => location.hash") == f"#{target}"
        landed = page.locator(f".stream li[id='{target}']")
        assert landed.count() == 1 and landed.is_visible()
        box = landed.bounding_box()
        assert box is not None and 0 <= box["y"] < 740  # scrolled to it
    finally:
        context.close()


RESULT_TOP = """() => {
  const first = document.querySelector("#search-results .search-result");
  return first ? first.getBoundingClientRect().top + window.scrollY : null;
}"""


def test_search_results_start_on_a_phones_first_screen(demo_output: Path, browser: Any) -> None:
    """The header's search box opens search.html?q=…: on a phone its six filters (470 px)
    pushed the first result to 1,039 px (measured at 5,000 articles). They fold there, one tap
    away, and stay open when the address sets one of them."""
    context = browser.new_context(viewport={"width": 375, "height": 740})
    page = context.new_page()
    try:
        page.goto(f"{(demo_output / 'search.html').as_uri()}?q=shelling")
        page.wait_for_selector("#search-form[data-ready='true']")
        top = page.evaluate(RESULT_TOP)
        assert top is not None, "no result for 'shelling'"
        assert top < FIRST_SCREEN, f"the first result starts at {top} px"
        assert not page.locator("#search-region").is_visible()
        page.locator(".search-filters-box summary").click()
        assert page.locator("#search-region").is_visible()
        page.goto(f"{(demo_output / 'search.html').as_uri()}?q=shelling&sort=new")
        page.wait_for_selector("#search-form[data-ready='true']")
        assert page.locator("#search-sort").is_visible()  # a filter set: shown
        wide = context.new_page()
        wide.set_viewport_size({"width": 1280, "height": 740})
        wide.goto(f"{(demo_output / 'search.html').as_uri()}?q=shelling")
        wide.wait_for_selector("#search-form[data-ready='true']")
        assert wide.locator("#search-region").is_visible()  # room enough: open
    finally:
        context.close()
