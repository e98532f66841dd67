"""The downloads by the slice: the whole site, each top-level region, the last 30 days. Each
opens from file:// with no broken link inside it; each is rebuilt from the members of the
previous zip; download.html lists each with its true size."""

from __future__ import annotations

import re
import shutil
import zipfile
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from generator.build import archive
from generator.cli.links import check_site
from generator.pages.slices import site_slices

from ..support import base_project, read_site
from .support import DEMO_CONTENT, SITEURL, Problems, build

TOP_REGIONS = {"ukraine", "belgium", "italy"}  # the demo's regions without a parent
ZIPS = {f"timeline-{name}.zip" for name in {"site", "last-30-days", *TOP_REGIONS}}


def unzip(file: Path, into: Path) -> list[str]:
    with zipfile.ZipFile(file) as opened:
        assert opened.testzip() is None
        opened.extractall(into)
        return opened.namelist()


def test_each_slice_unzips_with_no_broken_link(demo_site: Path, tmp_path: Path) -> None:
    assert {f.name for f in (demo_site / "download").iterdir()} == ZIPS
    for file in sorted((demo_site / "download").iterdir()):
        into = tmp_path / file.stem
        names = unzip(file, into)
        assert names == sorted(names)
        assert check_site(into) == [], file.name
        assert not [n for n in names if n.startswith(("data/", "feeds/", "download/"))]
        assert "sw.js" not in names and "404.html" not in names
        assert ("search.html" in names) == (file.name == "timeline-site.zip")
        assert {"index.html", "download.html", "not-in-download.html"} <= set(names)
        assert "theme/css/site.css" in names


def test_each_download_holds_its_not_in_download_page_because_it_links_there(
    demo_site: Path,
) -> None:
    """not-in-download.html is in a download for the links that leave it: the whole site's
    too, since every page's footer links the feeds and data/site.json, which no download
    holds (a download whose every link stayed inside would not need the page)."""
    for file in sorted((demo_site / "download").iterdir()):
        with zipfile.ZipFile(file) as opened:
            linking = [
                name
                for name in opened.namelist()
                if name.endswith(".html") and b"not-in-download.html?page=" in opened.read(name)
            ]
            assert "not-in-download.html" in opened.namelist(), file.name
        assert "index.html" in linking, file.name
    whole = zipfile.ZipFile(demo_site / "download" / "timeline-site.zip")
    front = whole.read("index.html")
    assert b'href="not-in-download.html?page=feeds/all.atom.xml"' in front
    assert b'href="not-in-download.html?page=data/site.json"' in front


def test_a_region_slice_holds_its_region_its_articles_and_their_days(demo_site: Path) -> None:
    names = set(zipfile.ZipFile(demo_site / "download" / "timeline-belgium.zip").namelist())
    regions = {n.split("/")[1] for n in names if n.startswith("regions/") and n.count("/") == 2}
    assert regions == {"belgium", "brussels"}
    page = (demo_site / "regions" / "belgium" / "index.html").read_text(encoding="utf-8")
    linked = set(re.findall(r'href="\.\./\.\./(articles/[^"#]+)', page))
    assert linked and linked <= names
    days = set(re.findall(r'href="\.\./\.\./(days/[^"#]+)', page))
    assert days and days <= names
    assert not {n for n in names if n.startswith("articles/")} - linked


def test_the_last_30_days_slice_holds_the_recent_days_and_first_pages(demo_site: Path) -> None:
    names = set(zipfile.ZipFile(demo_site / "download" / "timeline-last-30-days.zip").namelist())
    days = sorted(p.stem for p in (demo_site / "days").glob("2*.html"))
    newest = date.fromisoformat(days[-1])
    first = newest - timedelta(days=29)
    for day in days:
        assert (f"days/{day}.html" in names) == (date.fromisoformat(day) >= first), day
    for folder in ("regions", "speakers"):
        for index in (demo_site / folder).glob("*/index.html"):
            assert index.relative_to(demo_site).as_posix() in names
    assert not [n for n in names if re.search(r"/page-\d+\.html$", n)]


def test_links_leaving_a_slice_say_so_or_go_to_the_published_site(
    demo_site: Path, tmp_path: Path
) -> None:
    into = tmp_path / "belgium"
    unzip(demo_site / "download" / "timeline-belgium.zip", into)
    page = (into / "regions" / "belgium" / "index.html").read_text(encoding="utf-8")
    assert 'href="../../not-in-download.html?page=feeds/all.atom.xml"' in page
    output = (demo_site / "regions" / "belgium" / "index.html").read_text(encoding="utf-8")
    assert "not-in-download" not in output  # the output itself is never rewritten
    published = tmp_path / "published"
    build(published, settings="publishconf.py", siteurl=SITEURL)
    into = tmp_path / "published-belgium"
    unzip(published / "download" / "timeline-belgium.zip", into)
    assert check_site(into) == []
    page = (into / "regions" / "belgium" / "index.html").read_text(encoding="utf-8")
    assert f'href="{SITEURL}/feeds/all.atom.xml"' in page
    assert f'action="{SITEURL}/search.html"' in page


def test_download_page_lists_each_download_with_its_size(demo_site: Path) -> None:
    page = (demo_site / "download.html").read_text(encoding="utf-8")
    items = re.findall(
        r'<li><a class="download-link" href="\./(download/[^"]+)" download>.*?'
        r"([\d,]+) pages?; <span class=\"download-size\" data-bytes=\"(\d+)\" "
        r"title=\"([\d,]+) bytes\">",
        page,
    )
    assert {Path(url).name for url, *_ in items} == ZIPS
    for url, pages, size, shown in items:
        file = demo_site / url
        assert int(size) == file.stat().st_size == int(shown.replace(",", ""))
        names = zipfile.ZipFile(file).namelist()
        assert int(pages.replace(",", "")) == sum(n.endswith(".html") for n in names)


def _counting(monkeypatch: pytest.MonkeyPatch) -> list[bytes]:
    compressed: list[bytes] = []
    deflate = archive.deflate

    def spy(data: bytes) -> bytes:
        compressed.append(data)
        return deflate(data)

    monkeypatch.setattr(archive, "deflate", spy)
    return compressed


def _zips(output: Path) -> dict[str, bytes]:
    return {f.name: f.read_bytes() for f in sorted((output / "download").iterdir())}


def test_rebuilds_reuse_members_and_match_a_cold_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    content, output = tmp_path / "content", tmp_path / "output"
    shutil.copytree(DEMO_CONTENT, content)
    build(output, content)
    cold = _zips(output)
    inodes = {f.name: f.stat().st_ino for f in (output / "download").iterdir()}
    compressed = _counting(monkeypatch)
    build(output, content)
    assert _zips(output) == cold
    assert {f.name: f.stat().st_ino for f in (output / "download").iterdir()} == inodes
    theme = {f.read_bytes() for f in (output / "theme").rglob("*") if f.is_file()}
    # Only what Pelican copies anew (the theme) and each zip's own two pages are compressed.
    assert {d for d in compressed if d not in theme} == {
        d for d in compressed if re.search(rb"<h1>(Not in this download|Download for offline)", d)
    }
    assert len(compressed) <= len(theme) + 2 * len(cold)

    article = content / "articles" / "2023" / "02" / "13" / "bakhmut-battle.md"
    article.write_text(article.read_text(encoding="utf-8") + "\nOne more line.\n", "utf-8")
    compressed.clear()
    build(output, content)
    warm = _zips(output)
    members = sum(len(zipfile.ZipFile(output / "download" / n).namelist()) for n in warm)
    assert b"One more line." in b"".join(compressed)
    assert len(compressed) < members / 3
    again = tmp_path / "cold"
    build(again, content)
    assert _zips(again) == warm
    assert warm != cold

    # A new article in Brussels, a month after the newest day: pages join and leave the slices
    # (the last 30 days move on); links to them from pages
    # copied from the previous zip would otherwise still say they are not in the download.
    new = content / "articles" / "2024" / "08" / "20" / "brussels-follow-up.md"
    new.parent.mkdir(parents=True)
    new.write_text(
        "---\ntitle: Brussels follow-up\ndate: 2024-08-20T10:00:00+03:00\n"
        "summary: More from Brussels.\nregions: [brussels]\n---\n\n"
        "Ministers met again.\n\n## Developments\n\n"
        "- **10:00** In [Brussels](region:brussels), ministers met again.\n",
        encoding="utf-8",
    )
    build(output, content)
    shutil.rmtree(again)
    build(again, content)
    assert _zips(output) == _zips(again)
    belgium = zipfile.ZipFile(output / "download" / "timeline-belgium.zip")
    assert "articles/brussels-follow-up.html" in belgium.namelist()
    assert b"brussels-follow-up.html" in belgium.read("regions/brussels/index.html")


@pytest.mark.browser
def test_each_slice_opens_from_file_urls(
    demo_site: Path, tmp_path: Path, browser_page: tuple[Any, Problems]
) -> None:
    page, problems = browser_page
    for file in sorted((demo_site / "download").iterdir()):
        into = tmp_path / file.stem
        unzip(file, into)
        page.goto((into / "index.html").as_uri())
        assert page.title().startswith("Timeline digests")
    into = tmp_path / "timeline-italy"
    page.goto((into / "regions" / "italy" / "index.html").as_uri())
    page.click("footer a[href*='not-in-download.html?page=feeds']")
    assert page.text_content("h1") == "Not in this download"
    assert page.text_content("#missing-name") == "feeds/all.atom.xml"
    assert problems.lines == []


def test_the_rule_from_paths(tmp_path: Path) -> None:
    """Slices from the page paths alone: any page under a region's folder (archive pages of
    any name), archive pages named by a date, the first pages; one top-level region alone is
    not downloaded twice."""
    site = read_site(DEMO_CONTENT)
    parts = {part.id: part for part in site_slices(site)}
    assert set(parts) == {"site", "last-30-days", *TOP_REGIONS}
    belgium, recent = parts["belgium"], parts["last-30-days"]
    assert belgium.holds("regions/brussels/2023-02.html")
    assert belgium.holds("regions/brussels/any-new-page.html")
    assert not belgium.holds("regions/kyiv/index.html")
    assert not belgium.holds("search.html") and parts["site"].holds("search/index.js")
    assert not any(
        p.holds("data/site.json") or p.holds("feeds/all.atom.xml") for p in parts.values()
    )
    newest = site.days[-1].date
    month = newest.strftime("%Y-%m")
    assert recent.holds(f"regions/kyiv/{newest.isoformat()}.html")
    assert recent.holds(f"speakers/jens-stoltenberg/{month}.html")
    assert recent.holds("regions/kyiv/index.html")
    assert not recent.holds("regions/kyiv/page-2.html")
    assert not recent.holds("regions/kyiv/2000-01.html")
    old = newest - timedelta(days=30)
    assert not recent.holds(f"days/{old.isoformat()}.html")
    assert recent.holds(f"days/{newest.isoformat()}.html")

    base = tmp_path / "one"
    content = base_project(base)
    one = read_site(content)
    assert len(one.roots) == 1
    assert [p.id for p in site_slices(one)] == ["site", "last-30-days"]


LEDE = re.compile(
    r'<p class="lede">The site in zip files to read without a connection: ([^<]*)</p>'
)


def test_the_download_page_promises_only_the_downloads_it_lists(
    demo_site: Path, tmp_path: Path
) -> None:
    """A story of one country has one top-level region, and no download of it (it would be
    the whole site again): its page offered "one region" it did not list (found at 5,000
    articles, whose regions have one root)."""
    demo = (demo_site / "download.html").read_text(encoding="utf-8")
    assert LEDE.findall(demo) == ["the whole of it, one region, or the last 30 days."]
    output = tmp_path / "one"
    build(output, base_project(tmp_path / "project"))
    page = (output / "download.html").read_text(encoding="utf-8")
    assert page.count('class="download-link"') == 2  # the whole site, the last 30 days
    assert LEDE.findall(page) == ["the whole of it or the last 30 days."]
