"""The service worker in a real browser, served over http from a sub-path (as a GitHub Pages
project site) and from the root: what it keeps on install, what it answers offline, how a new
build reaches it, and what offline.html lists."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .support import Problems, http_server, precache_list

pytestmark = pytest.mark.browser

DIGEST = "days/2023-02-12.html"  # one of the demo's latest digests, never opened by the tests
UNKEPT = "regions/kherson/index.html"  # neither opened nor kept on install
READ = "speakers/jens-stoltenberg/index.html"  # not kept on install, read by some tests


def installed(page: Any, url: str) -> None:
    """Open `url` and wait until sw.js is installed, active and controls the page."""
    page.goto(url)
    page.evaluate("navigator.serviceWorker.ready.then(r => r.scope)")
    page.reload()
    assert page.evaluate("""() => navigator.serviceWorker.controller !== null ||
        new Promise(done => navigator.serviceWorker.addEventListener(
            "controllerchange", () => done(true)))""")


def kept(page: Any) -> dict[str, list[str]]:
    """Every cache of the origin: its name → the addresses it holds."""
    result: dict[str, list[str]] = page.evaluate("""async () => {
        const found = {};
        for (const name of await caches.keys()) {
            const cache = await caches.open(name);
            found[name] = (await cache.keys()).map(r => r.url);
        }
        return found;
    }""")
    return result


def cached_text(page: Any, url: str) -> str | None:
    text: str | None = page.evaluate("url => caches.match(url).then(r => r ? r.text() : null)", url)
    return text


@pytest.fixture
def served(demo_site: Path, tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """The demo site under /timeline/ (a project site), nothing cached by the browser's HTTP
    cache (what is offline comes from the service worker only): (its address, its folder)."""
    folder = tmp_path / "www" / "timeline"
    shutil.copytree(demo_site, folder)
    with http_server(tmp_path / "www", cache_control="no-store") as (root, _):
        yield f"{root}timeline/", folder


@pytest.fixture(params=["timeline/", ""], ids=["sub-path", "root"])
def served_anywhere(
    demo_site: Path, tmp_path: Path, request: pytest.FixtureRequest
) -> Iterator[tuple[str, Path]]:
    """`served`, and the same at the root of its host (a user site, a custom domain)."""
    folder = tmp_path / "www" / request.param
    shutil.copytree(demo_site, folder)
    with http_server(tmp_path / "www", cache_control="no-store") as (root, _):
        yield f"{root}{request.param}", folder


def test_the_sites_own_address_opens_the_kept_front_page_offline(
    served_anywhere: tuple[str, Path], browser_page: tuple[Any, Problems]
) -> None:
    """A reader types the site's address (https://…github.io/timeline/), not …/index.html."""
    base, _ = served_anywhere
    page, problems = browser_page
    installed(page, f"{base}days/index.html")  # the front page: kept on install, not read
    page.context.set_offline(True)
    page.goto(base)
    assert page.url == base
    assert page.title().startswith("Timeline digests")
    assert page.text_content("h1") != "You are offline"
    page.goto(f"{base}regions/kherson/")  # a folder neither kept nor read: our offline page
    assert page.url.startswith(f"{base}offline.html?page=")
    assert problems.lines == []


def test_a_precache_file_the_server_lacks_does_not_lose_the_others(
    served: tuple[str, Path], browser_page: tuple[Any, Problems]
) -> None:
    """One file of PRECACHE that 404s (a file a deploy left out, a theme file IGNORE_FILES
    kept from the output) must not leave the reader with nothing kept, not even offline.html."""
    base, folder = served
    assert "theme/js/missing.js" in precache_list(folder)
    (folder / "theme" / "js" / "missing.js").unlink()
    page, problems = browser_page
    installed(page, f"{base}index.html")
    caches = kept(page)
    assert len(caches) == 1
    (urls,) = caches.values()
    assert f"{base}offline.html" in urls and f"{base}{DIGEST}" in urls
    assert f"{base}theme/js/missing.js" not in urls  # a 404 is not kept
    page.context.set_offline(True)
    page.goto(f"{base}{DIGEST}")
    assert "12 February 2023" in (page.text_content("h1") or "")
    page.goto(f"{base}{UNKEPT}")
    assert page.url.startswith(f"{base}offline.html?page=")
    assert page.text_content("h1") == "You are offline"
    assert [line for line in problems.lines if "/missing.js" not in line] == []


def test_a_new_theme_is_asked_of_the_server_and_the_pages_read_stay_kept(
    demo_site: Path, tmp_path: Path, browser_page: tuple[Any, Problems]
) -> None:
    """GitHub Pages lets browsers keep a file 10 minutes (max-age=600). A new build with a new
    theme must not store last build's styles, still fresh in the HTTP cache, in its new cache:
    theme files are served cache-first, so they would stay until the next theme change. The
    pages the reader read are not lost with the older version's cache."""
    folder = tmp_path / "www" / "timeline"
    shutil.copytree(demo_site, folder)
    page, problems = browser_page
    with http_server(tmp_path / "www", cache_control="max-age=600") as (root, _):
        base = f"{root}timeline/"
        installed(page, f"{base}index.html")
        page.goto(f"{base}{READ}")  # read before the new build
        (old,) = kept(page)
        # the next build: new styles, so a new version in sw.js (as the build writes it)
        style = folder / "theme" / "css" / "site.css"
        style.write_text(style.read_text(encoding="utf-8") + "\n/* next build */\n")
        worker = folder / "sw.js"
        text = worker.read_text(encoding="utf-8")
        worker.write_text(text.replace('var VERSION = "', 'var VERSION = "next-'), "utf-8")
        page.goto(f"{base}days/index.html")
        page.evaluate("""() => navigator.serviceWorker.getRegistration().then(r => r.update())
            .then(() => navigator.serviceWorker.ready)""")
        for _ in range(50):
            names = list(kept(page))
            if names and old not in names:
                break
            page.wait_for_timeout(100)
        assert names != [old] and len(names) == 1, names
        css = cached_text(page, f"{base}theme/css/site.css")
        assert css is not None and "/* next build */" in css
        # what the reader read stays kept: the new version's cache took it over
        assert f"{base}{READ}" in kept(page)[names[0]]
    assert problems.lines == []


def test_the_offline_page_lists_this_sites_pages_once(
    demo_site: Path, tmp_path: Path, browser_page: tuple[Any, Problems]
) -> None:
    """A user site (user.github.io/) and a project site (user.github.io/timeline/) share an
    origin: the offline page of one lists its own pages only, and a kept page once."""
    www = tmp_path / "www"
    shutil.copytree(demo_site, www)
    shutil.copytree(demo_site, www / "timeline")
    page, problems = browser_page
    with http_server(www, cache_control="no-store") as (root, _):
        installed(page, f"{root}timeline/index.html")
        page.goto(f"{root}timeline/{UNKEPT}")  # read on the project site only
        installed(page, f"{root}index.html")
        assert len(kept(page)) == 2
        page.goto(f"{root}{READ}")  # read on the user site
        page.context.set_offline(True)
        page.goto(f"{root}{UNKEPT}")
        assert page.url.startswith(f"{root}offline.html?page=")
        page.wait_for_selector("#kept-read-list li")
        links = page.eval_on_selector_all(".kept-pages a", "links => links.map(a => a.href)")
        assert all(link.startswith(root) for link in links)
        assert not [link for link in links if link.startswith(f"{root}timeline/")]
        assert len(links) == len(set(links)), links
        assert f"{root}{READ}" in links and f"{root}{DIGEST}" in links
    assert problems.lines == []


def test_the_offline_page_opens_from_file_urls_without_errors(
    demo_site: Path, browser_page: tuple[Any, Problems]
) -> None:
    page, problems = browser_page
    page.goto((demo_site / "offline.html").as_uri())
    assert page.text_content("h1") == "You are offline"
    page.click(f"main a[href$='{DIGEST}']")
    assert page.url == (demo_site / DIGEST).as_uri()
    assert problems.lines == []


def test_a_page_is_kept_once_whatever_its_query(
    served: tuple[str, Path], browser_page: tuple[Any, Problems]
) -> None:
    """A static host answers search.html?q=… with search.html: every search a reader makes
    must not keep one more copy of the page."""
    base, _ = served
    page, problems = browser_page
    installed(page, f"{base}index.html")
    for words in ("bakhmut", "kyrylenko", "nato"):
        page.goto(f"{base}search.html?q={words}")
        page.wait_for_selector("#search-form[data-ready='true']")
    for _ in range(20):  # kept after the page is answered
        (urls,) = kept(page).values()
        if f"{base}search.html" in urls:
            break
        page.wait_for_timeout(100)
    assert [url for url in urls if "search.html" in url] == [f"{base}search.html"]
    page.context.set_offline(True)
    page.goto(f"{base}search.html?q=stoltenberg")
    page.wait_for_selector("#search-results li")
    assert problems.lines == []


def test_the_offline_page_links_the_page_asked_for(
    served: tuple[str, Path], browser_page: tuple[Any, Problems]
) -> None:
    """sw.js answers a page it lacks with a redirect to offline.html?page=<its address>: the
    reader, connected again, must find the page asked for there (a reload opens offline.html
    again, and Back the page before)."""
    base, _ = served
    page, problems = browser_page
    installed(page, f"{base}index.html")
    page.context.set_offline(True)
    page.goto(f"{base}{UNKEPT}")
    assert page.url.startswith(f"{base}offline.html?page=")
    assert page.is_visible("#asked-page")
    assert page.text_content("#asked-link") == UNKEPT
    page.context.set_offline(False)
    page.click("#asked-link")
    assert page.url == f"{base}{UNKEPT}"
    assert page.text_content("h1") == "Kherson Oblast"
    # a page of another site is not linked
    page.goto(f"{base}offline.html?page=https%3A%2F%2Fexample.com%2Fx.html")
    assert not page.is_visible("#asked-page")
    assert problems.lines == []


def test_the_header_links_open_their_pages_offline(
    served: tuple[str, Path], browser_page: tuple[Any, Problems]
) -> None:
    """Every page's header links the section indexes and the menu's pages: kept on install,
    offline each opens its page (before, each opened offline.html, as a page not kept)."""
    base, _ = served
    page, problems = browser_page
    installed(page, f"{base}index.html")
    page.context.set_offline(True)
    page.goto(f"{base}index.html")
    links = page.eval_on_selector_all(
        "header nav a", "links => links.map(a => [a.getAttribute('href'), a.href])"
    )
    paths = [url.removeprefix(base) for _, url in links]
    assert paths[:3] == ["regions/index.html", "speakers/index.html", "days/index.html"]
    assert "pages/about.html" in paths
    for href, url in links:
        page.goto(f"{base}index.html")
        page.click(f"header nav a[href='{href}']")
        assert page.url == url
        assert page.text_content("h1") != "You are offline", href
    assert problems.lines == []


def test_the_offline_page_lists_what_was_kept_on_install_apart_from_what_was_read(
    served: tuple[str, Path], browser_page: tuple[Any, Problems]
) -> None:
    """The header's pages, kept on install, are listed with the front page and the digests,
    not as pages the reader has read."""
    base, _ = served
    page, problems = browser_page
    installed(page, f"{base}index.html")
    page.goto(f"{base}{UNKEPT}")
    page.context.set_offline(True)
    page.goto(f"{base}regions/kherson-city/index.html")
    assert page.url.startswith(f"{base}offline.html?page=")
    page.wait_for_selector("#kept-read-list li")
    read = page.eval_on_selector_all("#kept-read-list a", "links => links.map(a => a.href)")
    assert read == [f"{base}{UNKEPT}"]
    kept_first = page.eval_on_selector_all(
        "#kept-digests ~ .kept-pages a", "links => links.map(a => a.href)"
    )
    for path in ("regions/index.html", "speakers/index.html", "days/index.html"):
        assert f"{base}{path}" in kept_first
    assert f"{base}pages/about.html" in kept_first
    assert problems.lines == []


def test_a_server_error_opens_the_kept_copy(
    demo_site: Path, tmp_path: Path, browser_page: tuple[Any, Problems]
) -> None:
    """GitHub Pages has outages: a page or data file answered with a 5xx error opens the copy
    kept earlier; one not kept gets the error as the server sent it (not offline.html: the
    reader is online)."""
    shutil.copytree(demo_site, tmp_path / "www" / "timeline")
    failing: set[str] = set()
    page, problems = browser_page
    with http_server(tmp_path / "www", cache_control="no-store", failing=failing) as (root, _):
        base = f"{root}timeline/"
        installed(page, f"{base}index.html")
        page.goto(f"{base}{READ}")
        data = (
            f"fetch('{base}data/site.json')"
            ".then(r => r.json().then(data => r.status + ' ' + data.title))"
        )
        assert page.evaluate(data) == "200 Timeline digests"
        for _ in range(20):  # kept after each is answered
            (urls,) = kept(page).values()
            if f"{base}{READ}" in urls and f"{base}data/site.json" in urls:
                break
            page.wait_for_timeout(100)
        failing.update(f"/timeline/{path}" for path in (READ, "data/site.json", UNKEPT))
        response = page.goto(f"{base}{READ}")
        assert response is not None and response.status == 200
        assert page.text_content("h1") == "Jens Stoltenberg"
        assert page.evaluate(data) == "200 Timeline digests"  # a GET that is no navigation
        response = page.goto(f"{base}{UNKEPT}")
        assert response is not None and response.status == 503
        assert page.url == f"{base}{UNKEPT}"
    assert f"HTTP 503: {base}{UNKEPT}" in problems.lines  # the one error the reader gets
    assert [line for line in problems.lines if f"{base}{UNKEPT}" not in line] == []
