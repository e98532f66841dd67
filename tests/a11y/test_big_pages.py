"""Big pages stay usable: a busy speaker's year page (hundreds of quotes at 5,000 articles,
over a megabyte) jumps to a month without JS, and Back from an article returns to the quote the
reader left (which rules out laying out only the day groups near the screen)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from ..support import synth_site

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 740}


@pytest.fixture(scope="module")
def busy_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """300 bench/synth.py articles: its busiest speaker has ~70 quotes on ~50 days a year."""
    return synth_site(tmp_path_factory.mktemp("busy"), 300)


def busiest_year_page(output: Path) -> Path:
    """The speakers' year page with the most day groups."""
    pages = sorted((output / "speakers").glob("*/[0-9][0-9][0-9][0-9].html"))
    assert pages, "no speaker year pages"
    return max(pages, key=lambda p: p.read_text(encoding="utf-8").count('<section class="day"'))


def test_a_speakers_year_page_jumps_to_each_of_its_months(busy_output: Path, browser: Any) -> None:
    path = busiest_year_page(busy_output)
    html = path.read_text(encoding="utf-8")
    days = re.findall(r'<section class="day" id="day-(\d{4}-\d{2})-(\d{2})"', html)
    months = list(dict.fromkeys(month for month, _ in days))  # newest first, as the page
    assert len(months) > 1
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(path.as_uri())
        jump = page.locator("main .jump-to-date")
        assert jump.count() == 1
        links = jump.locator("a")
        assert links.count() == len(months)
        for index, month in enumerate(months):
            first = next(f"day-{m}-{d}" for m, d in days if m == month)
            assert links.nth(index).get_attribute("href") == f"#{first}"
        counts = [int(n) for n in jump.locator(".count").all_text_contents()]
        assert sum(counts) == html.count('<li class="quote"')
        assert not links.first.is_visible()  # folded: the first quote stays near the top
        page.locator("main .jump-to-date summary").click()
        href = links.last.get_attribute("href") or ""
        links.last.click()
        assert page.evaluate("() => location.hash") == href
        box = page.locator(f"[id='{href[1:]}']").bounding_box()
        assert box is not None and 0 <= box["y"] < PHONE["height"] / 2, box  # scrolled to it
        assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    finally:
        context.close()


# the quote at a point of the screen, and where its top is
AT = """([x, y]) => {
  const quote = document.elementFromPoint(x, y).closest("li.quote");
  return quote && [quote.id, Math.round(quote.getBoundingClientRect().top),
                   quote.querySelector("a[href*='articles/']").href];
}"""


def test_back_from_an_article_returns_to_the_same_quote_of_a_long_page(
    busy_output: Path, browser: Any
) -> None:
    """Found at 5,000 articles: `content-visibility: auto` on the day groups halves the time
    to the first frame of a 1.9 MB year page (0.88 s → 0.47 s), but the groups above the reader
    then have estimated heights, and Back from an article lands 1 to 2 screens away from the
    quote the reader left. The browser's own scroll restoration must keep working."""
    path = busiest_year_page(busy_output)
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    try:
        page.goto(path.as_uri())
        height = page.evaluate("() => document.documentElement.scrollHeight")
        page.evaluate("(y) => window.scrollTo(0, y)", int(height * 0.7))
        page.wait_for_timeout(100)
        ident, top, article = page.evaluate(AT, [200, 300])
        page.goto(article)
        page.go_back()
        page.wait_for_timeout(200)
        back = page.locator(f"[id='{ident}']").evaluate("(e) => e.getBoundingClientRect().top")
        assert abs(back - top) <= 2, f"{ident} was at {top} px, is at {back} px after Back"
    finally:
        context.close()
