"""Keyboard use: the skip link comes first, leads into main, and focus is always visible."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from .conftest import first_page

pytestmark = pytest.mark.browser

FOCUS_STYLE = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  return {outline: style.outlineStyle, width: style.outlineWidth, shadow: style.boxShadow,
          tag: el.tagName.toLowerCase(), cls: el.className && el.className.baseVal !== undefined
          ? el.className.baseVal : el.className, text: (el.textContent || "").trim().slice(0, 60),
          id: el.id};
}"""


def visible(style: dict[str, str]) -> bool:
    outline = style["outline"] != "none" and style["width"] not in ("0px", "")
    return outline or style["shadow"] not in ("none", "")


@pytest.mark.parametrize("which", ["index.html", "region", "days/index.html"])
def test_tab_reaches_skip_link_first_and_it_moves_focus_to_main(
    demo_output: Path, browser: Any, which: str
) -> None:
    path = first_page(demo_output, "regions") if which == "region" else demo_output / which
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    try:
        page.goto(path.as_uri())
        page.keyboard.press("Tab")
        first = page.evaluate(FOCUS_STYLE)
        assert first["cls"] == "skip-link", f"Tab focused {first} first, not the skip link"
        assert visible(first), f"the focused skip link shows no outline or shadow: {first}"
        assert page.locator(".skip-link").is_visible()
        page.keyboard.press("Enter")
        after = page.evaluate(FOCUS_STYLE)
        assert after["tag"] == "main" and after["id"] == "content", after
        # and the next Tab goes on from inside main, not back to the header
        page.keyboard.press("Tab")
        inside = page.evaluate(
            "() => document.querySelector('main').contains(document.activeElement)"
        )
        assert inside
    finally:
        context.close()


def test_focus_is_visible_on_every_stop_of_a_region_page(demo_output: Path, browser: Any) -> None:
    """Tab through the first 80 stops (links in the SVG map and calendar included)."""
    pages = [first_page(demo_output, "regions"), demo_output / "days" / "index.html"]
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    try:
        for path in pages:
            page.goto(path.as_uri())
            for _ in range(80):
                page.keyboard.press("Tab")
                style = page.evaluate(FOCUS_STYLE)
                if style["tag"] == "body":
                    break
                assert visible(style), f"{path.name}: focus not visible on {style}"
    finally:
        context.close()
