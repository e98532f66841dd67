"""Headless Chromium looks for payloads that ran. Run as a subprocess by test_xss.py (its own
Playwright, so it never meets another test folder's session-wide browser):

    python -m tests.hardening.browser_probe pages OUTPUT [--bypass-csp]
    python -m tests.hardening.browser_probe fragments FRAGMENTS.json

Prints a JSON list of problems (empty: nothing ran). Payloads try `alert(1)`, set
`window.__xss = 1` and `document.title = 'XSS'`.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any
from urllib.parse import quote

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SEARCHES = (
    "script",
    "xss",
    "img",
    "alert",
    "eve",
    "river",
    "mallory",
    # the query string itself, grouped and sorted (names, kinds and metas by other paths)
    quote('<img src=x onerror="window.__xss=1">', safe="") + "&group=1",
    quote('"</script><script>window.__xss=1</script>" script', safe="") + "&sort=old",
    "javascript:window.__xss=1&region=__proto__&speaker=constructor&group=1",
)

MARKER_CHECK = """() => ({
  xss: window.__xss === undefined ? null : String(window.__xss),
  title: document.title,
  handlers: Array.from(document.querySelectorAll('*')).flatMap(e =>
      Array.from(e.attributes).filter(a => a.name.startsWith('on'))
        .map(a => e.tagName + ' ' + a.name)),
  scripts: Array.from(document.scripts).map(s => s.getAttribute('src') || s.type || 'inline'),
  frames: document.querySelectorAll('iframe, object, embed, frame').length,
})"""


def _state_problems(where: str, state: dict[str, Any], title: str | None = None) -> list[str]:
    problems = []
    if state["xss"] is not None:
        problems.append(f"{where}: window.__xss = {state['xss']}")
    if state["title"] == "XSS" or (title is not None and state["title"] != title):
        problems.append(f"{where}: document.title = {state['title']!r}")
    problems += [f"{where}: handler {h}" for h in state["handlers"]]
    problems += [
        f"{where}: script {s}"
        for s in state["scripts"]
        if s != "application/ld+json" and not s.split("?")[0].endswith(".js")
    ]
    if state["frames"]:
        problems.append(f"{where}: {state['frames']} frame/object/embed elements")
    return problems


def visit_pages(browser: Any, output: Path, bypass_csp: bool) -> list[str]:
    """Every page of the site (and search results for payload words) from file://."""
    context = browser.new_context(bypass_csp=bypass_csp)
    problems: list[str] = []
    try:
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.on(
            "dialog",
            lambda dialog: (
                problems.append(f"{page.url}: dialog {dialog.type} {dialog.message!r}"),
                dialog.dismiss(),
            ),
        )
        addresses = [p.as_uri() for p in sorted(output.rglob("*.html"))]
        if (output / "search.html").exists():
            addresses += [(output / "search.html").as_uri() + f"?q={q}" for q in SEARCHES]
        for address in addresses:
            page.goto(address, wait_until="load")
            if "search.html?" in address:
                page.wait_for_selector("#search-form[data-ready]")
            page.wait_for_timeout(50)
            problems += _state_problems(address, page.evaluate(MARKER_CHECK))
    finally:
        context.close()
    return problems


def inject_fragments(browser: Any, fragments: list[str]) -> list[str]:
    """What other tools do with our HTML-bearing fields (TimelineJS3, feed readers): innerHTML."""
    context = browser.new_context(bypass_csp=True)
    problems: list[str] = []
    try:
        page = context.new_page()
        page.on(
            "dialog",
            lambda dialog: (
                problems.append(f"fragment: dialog {dialog.type} {dialog.message!r}"),
                dialog.dismiss(),
            ),
        )
        page.set_content("<!DOCTYPE html><title>t</title><div id=sink></div>")
        for fragment in fragments:
            page.evaluate(
                "html => { document.getElementById('sink').innerHTML += html; }", fragment
            )
        page.wait_for_timeout(500)  # an <img onerror> fires once its load has failed
        problems += _state_problems("fragments", page.evaluate(MARKER_CHECK), title="t")
    finally:
        context.close()
    return problems


def main(argv: list[str]) -> int:
    from playwright.sync_api import sync_playwright

    mode, target = argv[0], Path(argv[1])
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            if mode == "pages":
                problems = visit_pages(browser, target, bypass_csp="--bypass-csp" in argv)
            else:
                problems = inject_fragments(browser, json.loads(target.read_text("utf-8")))
        finally:
            browser.close()
    print(json.dumps(problems))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
