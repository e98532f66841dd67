"""The demo site in a real browser: from file://, from an http server under a sub-path, and
from the unzipped download. Links across region, speaker and day pages, search, no errors."""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pytest

from generator.cli.links import check_site

from .support import REPO, Problems, http_server, walk_and_search

pytestmark = pytest.mark.browser


def test_site_works_from_file_urls(demo_site: Path, browser_page: tuple[Any, Problems]) -> None:
    page, problems = browser_page
    walk_and_search(page, demo_site.as_uri() + "/", demo_site)
    # Chromium lets 'self' scripts of a file:// page run under script-src 'self' (the CSP is
    # unchanged); the search ran, so the scripts did. No service worker under file://.
    assert page.evaluate(
        "navigator.serviceWorker === undefined || navigator.serviceWorker.controller === null"
    )
    assert problems.lines == []


def test_site_works_under_a_sub_path_and_offline(
    demo_site: Path, tmp_path: Path, browser_page: tuple[Any, Problems]
) -> None:
    page, problems = browser_page
    shutil.copytree(demo_site, tmp_path / "www" / "timeline")
    with http_server(tmp_path / "www") as (root, server):
        base = f"{root}timeline/"
        page.goto(f"{base}index.html")
        scope = page.evaluate("navigator.serviceWorker.ready.then(r => r.scope)")
        assert scope == base
        page.reload()
        assert page.evaluate("""() => navigator.serviceWorker.controller !== null ||
            new Promise(done => navigator.serviceWorker.addEventListener(
                "controllerchange", () => done(true)))""")
        walk_and_search(page, base, demo_site)
        assert page.evaluate("fetch('sw.js').then(r => r.status)") == 200
        assert problems.lines == []
        server.shutdown()  # offline now: visited pages come from the service worker's cache
        server.server_close()
        page.goto(f"{base}regions/donetsk/index.html")
        assert page.text_content("h1") == "Donetsk Oblast"
        page.goto(f"{base}search.html?q=kyrylenko")
        page.wait_for_selector("#search-form[data-ready='true']")
        assert page.locator("#search-results li").count() >= 3
    assert problems.lines == []


def test_unzipped_download_works(tmp_path: Path, browser_page: tuple[Any, Problems]) -> None:
    page, problems = browser_page
    output, dist = tmp_path / "output", tmp_path / "dist"
    subprocess.run(
        ["make", "-s", "dist", f"OUTPUT={output}", f"DIST={dist}"],
        cwd=REPO,
        check=True,
        capture_output=True,
    )
    unzipped = tmp_path / "elsewhere" / "site"
    with zipfile.ZipFile(dist / "timeline-site.zip") as archive:
        archive.extractall(unzipped)
    assert check_site(unzipped) == []
    assert "offline copy" in (unzipped / "download.html").read_text(encoding="utf-8")
    walk_and_search(page, unzipped.as_uri() + "/", output)  # data files: the site's
    page.goto(unzipped.as_uri() + "/download.html")
    page.click("main a[href$='index.html']")
    assert page.url.endswith("/site/index.html")
    assert problems.lines == []


def test_offline_the_latest_digests_open_and_other_pages_open_our_offline_page(
    demo_site: Path, tmp_path: Path, browser_page: tuple[Any, Problems]
) -> None:
    """sw.js keeps the latest digests on install (never visited here) and answers a page it
    does not have with offline.html, which lists what it has."""
    page, problems = browser_page
    shutil.copytree(demo_site, tmp_path / "www" / "timeline")
    # no-store: what opens offline comes from sw.js, not from the browser's HTTP cache
    with http_server(tmp_path / "www", cache_control="no-store") as (root, server):
        base = f"{root}timeline/"
        page.goto(f"{base}index.html")
        page.evaluate("navigator.serviceWorker.ready.then(r => r.scope)")
        page.reload()
        assert page.evaluate("""() => navigator.serviceWorker.controller !== null ||
            new Promise(done => navigator.serviceWorker.addEventListener(
                "controllerchange", () => done(true)))""")
        page.goto(f"{base}speakers/jens-stoltenberg/index.html")  # read: kept as it is read
        server.shutdown()
        server.server_close()
        page.goto(f"{base}days/2023-02-12.html")  # kept on install, never opened
        assert "12 February 2023" in (page.text_content("h1") or "")
        page.goto(f"{base}regions/kherson/index.html")  # neither reachable nor kept
        assert page.url.startswith(f"{base}offline.html?page=")
        assert page.text_content("h1") == "You are offline"
        page.wait_for_selector("#kept-read-list li")
        kept = page.eval_on_selector_all(".kept-pages a", "links => links.map(a => a.href)")
        assert f"{base}days/2023-02-12.html" in kept and f"{base}index.html" in kept
        assert page.is_visible("#kept-read-section")
        read = page.eval_on_selector_all("#kept-read-list a", "links => links.map(a => a.href)")
        # the digests and the header's pages, kept on install, are listed above
        assert read == [f"{base}speakers/jens-stoltenberg/index.html"]
    assert problems.lines == []


@pytest.mark.parametrize("width", [375, 1280])
def test_a_cards_permalink_opens_the_development_highlighted_on_its_archive_page(
    demo_site: Path, browser_page: tuple[Any, Problems], width: int
) -> None:
    page, problems = browser_page
    page.set_viewport_size({"width": width, "height": 800})
    page.goto((demo_site / "regions" / "donetsk" / "index.html").as_uri())
    link = page.locator("li.event .permalink").first
    target = (link.get_attribute("href") or "").split("#")[1]
    link.click()
    # the home: the archive page of the development's first region that keeps its day
    assert page.url.endswith(f".html#{target}") and "/regions/" in page.url
    assert "/index.html" not in page.url
    development = page.locator(f"[id='{target}']")
    assert development.evaluate("e => getComputedStyle(e).backgroundColor") not in (
        "rgba(0, 0, 0, 0)",
        "transparent",
    )
    box = development.bounding_box()
    assert box is not None and 0 <= box["y"] < 800  # on screen, not under a header
    assert problems.lines == []
