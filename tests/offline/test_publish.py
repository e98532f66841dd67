"""GitHub Pages: a build for https://example.github.io/timeline (a project sub-path)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from generator.cli.links import check_site

from .support import SITEURL, build

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("published") / "output"
    build(output, settings="publishconf.py", siteurl=SITEURL + "/")
    return output


def test_no_broken_links(published: Path) -> None:
    assert check_site(published, SITEURL) == []


def test_absolute_links_are_only_where_they_must_be(published: Path) -> None:
    # Without the site's address, 404.html's absolute stylesheet would be a network resource.
    assert {p.split(":")[0] for p in check_site(published)} == {"404.html"}
    index = (published / "index.html").read_text(encoding="utf-8")
    assert 'href="./theme/css/site.css"' in index and SITEURL not in index.split("<footer")[0]


def test_feeds_link_absolutely(published: Path) -> None:
    feeds = sorted((published / "feeds").rglob("*.atom.xml"))
    assert feeds
    for feed in feeds:
        root = ET.parse(feed).getroot()
        links = [link.get("href", "") for link in root.iter(f"{ATOM}link")]
        assert links and all(h.startswith(SITEURL + "/") for h in links), feed
        ids = [e.text or "" for e in root.iter(f"{ATOM}id")]
        assert all(i.startswith(SITEURL + "/") for i in ids), feed


def test_host_files(published: Path) -> None:
    assert (published / ".nojekyll").is_file()
    not_found = (published / "404.html").read_text(encoding="utf-8")
    assert f'href="{SITEURL}/theme/css/site.css"' in not_found
    assert f'href="{SITEURL}/index.html"' in not_found
    assert (published / "sw.js").is_file()
    copy_page = (published / "download.html").read_text(encoding="utf-8")
    assert 'href="./download/timeline-site.zip"' in copy_page


def test_publish_needs_siteurl(tmp_path: Path) -> None:
    with pytest.raises(AssertionError):
        build(tmp_path / "output", settings="publishconf.py", siteurl="")
