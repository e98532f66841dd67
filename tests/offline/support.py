"""Helpers of the offline tests: builds, a local http server, and the browser walk that every
way of opening the site (file://, http sub-path, unzipped download) must pass."""

from __future__ import annotations

import contextlib
import functools
import http.server
import json
import os
import re
import threading
from collections.abc import Collection, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from generator.cli import main

REPO = Path(__file__).resolve().parents[2]
DEMO_CONTENT = REPO / "content"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SITEURL = "https://example.github.io/timeline"


def build(
    output: Path,
    content: Path = DEMO_CONTENT,
    settings: str = "pelicanconf.py",
    siteurl: str | None = None,
) -> None:
    """Build `content` into `output` with a settings file of the repository (SITEURL from env)."""
    saved = os.environ.get("SITEURL")
    try:
        if siteurl is not None:
            os.environ["SITEURL"] = siteurl
        code = main(
            [
                "build",
                "--settings",
                str(REPO / settings),
                "--content",
                str(content),
                "--output",
                str(output),
            ]
        )
    finally:
        if saved is None:
            os.environ.pop("SITEURL", None)
        else:
            os.environ["SITEURL"] = saved
    assert code == 0, f"build of {content} failed"


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    headers_sent: tuple[tuple[str, str], ...] = ()
    failing: Collection[str] = ()

    def do_GET(self) -> None:
        if urlsplit(self.path).path in self.failing:
            self.send_error(503, "Service Unavailable")  # a host's outage
            return
        super().do_GET()

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def end_headers(self) -> None:
        for name, value in self.headers_sent:
            self.send_header(name, value)
        super().end_headers()

    def handle(self) -> None:
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            super().handle()  # a browser that went offline stops reading: not an error


@contextlib.contextmanager
def http_server(
    folder: Path, cache_control: str | None = None, failing: Collection[str] = ()
) -> Iterator[tuple[str, http.server.ThreadingHTTPServer]]:
    """Serve `folder` on 127.0.0.1 at a free port: (base URL, server), stopped on exit.
    `cache_control`: the Cache-Control header of every response (GitHub Pages sends
    "max-age=600"; "no-store" keeps the browser's HTTP cache out of a test). `failing`: the
    paths (from the host's root, "/timeline/x.html") answered 503, read at each request (a
    set the test fills makes the host fail when it wants)."""
    handler_class = type(
        "_Handler",
        (_QuietHandler,),
        {
            "headers_sent": (("Cache-Control", cache_control),) if cache_control else (),
            "failing": failing,
        },
    )
    handler = functools.partial(handler_class, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/", server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


class Problems:
    """Console errors, page errors and failed requests of a page, as readable lines."""

    def __init__(self, page: Any) -> None:
        self.lines: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.lines.append(f"page error: {error}"))
        page.on(
            "requestfailed",
            lambda request: self.lines.append(f"request failed: {request.url} ({request.failure})"),
        )
        page.on(
            "response",
            lambda response: (
                self.lines.append(f"HTTP {response.status}: {response.url}")
                if response.status >= 400
                else None
            ),
        )

    def _console(self, message: Any) -> None:
        if message.type in ("error", "warning"):
            self.lines.append(f"console {message.type}: {message.text} at {message.location}")


def site_data(site: Path) -> dict[str, Any]:
    return {
        name: json.loads((site / "data" / f"{name}.json").read_text(encoding="utf-8"))
        for name in ("site", "events", "quotes")
    }


def result_urls(page: Any) -> list[str]:
    hrefs = page.eval_on_selector_all(
        "#search-results a", "els => els.map(e => e.getAttribute('href'))"
    )
    return [h.removeprefix("./") for h in hrefs]


def search(page: Any, base: str, **params: str) -> list[str]:
    """Open search.html with a query in the address and return the result links (root-relative)."""
    query = "&".join(f"{k}={v}" for k, v in params.items())
    page.goto(f"{base}search.html?{query}")
    page.wait_for_selector("#search-form[data-ready='true']")
    return result_urls(page)


def path_of(page: Any, base: str) -> str:
    """The page's address relative to the site root, with its #fragment."""
    url = page.url
    assert url.startswith(base), f"{url} is outside the site {base}"
    parts = urlsplit(url[len(base) :])
    return parts.path + (f"#{parts.fragment}" if parts.fragment else "")


# Not page.wait_for_function: it evaluates strings inside the page, which the pages' CSP
# (script-src 'self', no 'unsafe-eval') rightly refuses. Selectors and page.evaluate are fine.


def walk_and_search(page: Any, base: str, site: Path) -> None:
    """Follow links across region, speaker and day pages, then search, from `base` (a URL that
    ends with '/': file:///…/ or http://…/timeline/). `site` is the same site on disk."""
    data = site_data(site)
    page.goto(f"{base}index.html")
    assert page.title().startswith("Timeline digests")

    page.click("header nav >> text=Regions")
    assert path_of(page, base) == "regions/index.html"
    page.click("main a[href='donetsk/index.html']")  # same folder: short
    assert path_of(page, base) == "regions/donetsk/index.html"
    assert page.text_content("h1") == "Donetsk Oblast"
    page.click("main a[href='../bakhmut/index.html']")
    assert path_of(page, base) == "regions/bakhmut/index.html"
    page.click("main a[href$='days/2023-02-13.html']")
    assert path_of(page, base) == "days/2023-02-13.html"
    page.click("main a[href$='speakers/pavlo-kyrylenko/index.html']")
    assert path_of(page, base) == "speakers/pavlo-kyrylenko/index.html"
    assert page.text_content("h1") == "Pavlo Kyrylenko"
    # a brief card on the first page leads to the quote's home, its year, in full
    page.click("#qu-bakhmut-battle-1 a.permalink")
    assert path_of(page, base) == "speakers/pavlo-kyrylenko/2023.html#qu-bakhmut-battle-1"
    page.click("main a[href*='articles/bakhmut-battle.html#qu-bakhmut-battle-1']")
    assert path_of(page, base) == "articles/bakhmut-battle.html#qu-bakhmut-battle-1"
    assert page.locator("#qu-bakhmut-battle-1").count() == 1

    # The header's search box starts a search on search.html (a GET form, also under file://).
    page.fill("header input[name='q']", "Kyrylenko")
    page.press("header input[name='q']", "Enter")
    page.wait_for_selector("#search-form[data-ready='true']")
    assert path_of(page, base) == "search.html"
    found = result_urls(page)
    assert "speakers/pavlo-kyrylenko/index.html" in found
    assert "articles/bakhmut-battle.html#qu-bakhmut-battle-1" in found
    assert "articles/bakhmut-battle.html#ev-bakhmut-battle-3" in found
    page.click("#search-results a[href$='#qu-bakhmut-battle-1']")
    assert path_of(page, base) == "articles/bakhmut-battle.html#qu-bakhmut-battle-1"
    page.wait_for_selector("#qu-bakhmut-battle-1:target")

    # Prefix, case and diacritics: the same hits however the word is typed.
    mentions = {_in_article(e) for e in data["events"] if "Paraskoviivka" in e["text"]}
    found = search(page, base, q="paraskov")
    assert mentions and mentions <= set(found)
    assert "regions/paraskoviivka/index.html" in found
    assert "articles/bakhmut-battle.html" in found
    assert search(page, base, q="PARASKÓVIIVKA") == found

    # Region filter with descendants: exactly the developments of Donetsk Oblast's timeline.
    donetsk = _subtree(data["site"]["regions"], "donetsk")
    expected = {_in_article(e) for e in data["events"] if set(e["regions"]) & donetsk}
    found = search(page, base, region="donetsk")
    assert {u for u in found if "#ev-" in u} == expected
    assert "regions/bakhmut/index.html" in found
    assert not {u for u in found if u.startswith("speakers/")}

    # Speaker filter, words and region together; then a date range.
    found = search(page, base, q="battle", speaker="pavlo-kyrylenko")
    assert "articles/bakhmut-battle.html#qu-bakhmut-battle-1" in found
    quotes = {_in_article(q) for q in data["quotes"] if q["speaker"] == "pavlo-kyrylenko"}
    assert quotes <= set(search(page, base, speaker="pavlo-kyrylenko"))
    first_day = min(e["day"] for e in data["events"])
    found = search(page, base, **{"from": first_day, "to": first_day})
    assert set(found) == {_in_article(e) for e in data["events"] if e["day"] == first_day} | {
        _in_article(q) for q in data["quotes"] if q["day"] == first_day
    } | {a["url"] for a in data["site"]["articles"] if a["date"][:10] == first_day} | {
        f"days/{first_day}.html"  # the day itself: days are results of their own
    }
    assert search(page, base, q="zzqxv") == []
    assert page.text_content("#search-status") == "No results."

    # Typing runs the search at once, without a page load.
    page.fill("#search-q", "stoltenberg")
    page.wait_for_selector("#search-results li")
    assert "speakers/jens-stoltenberg/index.html" in result_urls(page)


def _in_article(item: dict[str, Any]) -> str:
    """Where search links a development or quote: its article, at its anchor (data/*.json
    `url` is its permalink on a timeline instead)."""
    return f"articles/{item['article']}.html#{item['id']}"


def _subtree(regions: list[dict[str, Any]], root: str) -> set[str]:
    inside = {root}
    changed = True
    while changed:
        changed = False
        for region in regions:
            if region["parent"] in inside and region["id"] not in inside:
                inside.add(region["id"])
                changed = True
    return inside


def precache_list(site: Path) -> list[str]:
    """What the built sw.js of `site` keeps on install (its PRECACHE), relative to the site."""
    match = re.search(r"var PRECACHE = (\[.*?\]);", (site / "sw.js").read_text(encoding="utf-8"))
    assert match
    return [name.strip(' "') for name in match[1].strip("[]").split(",")]
