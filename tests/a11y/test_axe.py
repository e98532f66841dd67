"""axe-core on one page of each kind, light and dark: no violations at all.

axe-core comes from the pinned PyPI package axe-playwright-python, which bundles axe.min.js
(no download at test time). Each page is opened from file:// as a reader of a downloaded copy
would, the rules run in the page, and every violation is printed readably on failure.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe

from .conftest import first_page

pytestmark = pytest.mark.browser

AXE = Axe()


def pages_to_check(output: Path) -> dict[str, Path]:
    regions = output / "regions"
    with_children = sorted(
        p for p in regions.glob("*/index.html") if "region-filter" in p.read_text(encoding="utf-8")
    )
    pages = {
        "home": output / "index.html",
        "region": with_children[0] if with_children else first_page(output, "regions"),
        "region index": regions / "index.html",
        "speaker": first_page(output, "speakers"),
        "days index": output / "days" / "index.html",
        "digest": sorted((output / "days").glob("2*.html"))[-1],
        "article": sorted((output / "articles").glob("*.html"))[0],
    }
    if (output / "search.html").exists():
        pages["search"] = output / "search.html"
    # date archives: a part (with the filter when a region has one), a month's contents
    parts = sorted(regions.glob("*/????-??-??.html"))
    filtered = [p for p in parts if "region-filter" in p.read_text(encoding="utf-8")]
    if parts:
        pages["region archive part"] = (filtered or parts)[0]
        pages["region month"] = parts[0].with_name(parts[0].name[:7] + ".html")
    months = sorted((output / "speakers").glob("*/????-??.html"))
    if months:
        pages["speaker archive month"] = months[0]
    return pages


def report(violations: list[dict[str, Any]]) -> str:
    """Violations as text a person can act on: rule, impact, help link, each node and why."""
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation.get('impact')}): {violation['help']}")
        lines.append(f"  {violation.get('helpUrl', '')}")
        for node in violation["nodes"]:
            lines.append(f"    at {' '.join(map(str, node['target']))}")
            lines.append(f"       {node.get('html', '')[:160]}")
            for check in node.get("any", []) + node.get("all", []) + node.get("none", []):
                lines.append(f"       · {check['message']}")
    return "\n".join(lines)


def run_axe(page: Any) -> list[dict[str, Any]]:
    results = AXE.run(page)
    return list(results.response["violations"])


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_pages_have_no_axe_violations(demo_output: Path, browser: Any, scheme: str) -> None:
    context = browser.new_context(color_scheme=scheme, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    failures = []
    try:
        for kind, path in pages_to_check(demo_output).items():
            page.goto(path.as_uri())
            violations = run_axe(page)
            if violations:
                failures.append(
                    f"{kind} ({path.relative_to(demo_output)}, {scheme}):\n{report(violations)}"
                )
    finally:
        context.close()
    assert not failures, "axe-core found violations:\n" + "\n".join(failures)


def test_narrow_screen_has_no_axe_violations(demo_output: Path, browser: Any) -> None:
    """The phone layout too (375 px): the region page with its pictures and tools."""
    context = browser.new_context(viewport={"width": 375, "height": 800})
    page = context.new_page()
    try:
        pages = pages_to_check(demo_output)
        failures = []
        for kind in ("home", "region", "days index", "region archive part", "region month"):
            page.goto(pages[kind].as_uri())
            violations = run_axe(page)
            if violations:
                failures.append(f"{kind}:\n{report(violations)}")
    finally:
        context.close()
    assert not failures, "axe-core found violations:\n" + "\n".join(failures)


def test_the_check_does_catch_a_violation(browser: Any) -> None:
    """The harness is not vacuous: a page with known problems fails it."""
    context = browser.new_context()
    page = context.new_page()
    try:
        page.set_content(
            "<!DOCTYPE html><html><head><title>t</title></head><body>"
            '<main><img src="data:,"><a href="#x"></a>'
            '<p style="color:#aaa;background:#fff">faint</p></main></body></html>'
        )
        found = {v["id"] for v in run_axe(page)}
    finally:
        context.close()
    assert {"html-has-lang", "image-alt", "link-name", "color-contrast"} <= found, found
