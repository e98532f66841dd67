"""The built pages: sound links, no drafts anywhere, escaping, feeds, determinism."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from generator.cli.links import check_site

from ..support import SPEC_SITE, build_site, differences

DRAFT_MARKERS = (
    "stone-isle-survey",
    "Survey of Stone Isle",
    "western shore has moved",
    "tide gauge was placed",
)


def test_no_broken_links_anchors_or_network_resources(spec_output: Path) -> None:
    assert check_site(spec_output) == []


def test_every_page_family_is_written(spec_output: Path) -> None:
    for name in (
        "index.html",
        "regions/index.html",
        "regions/north/index.html",
        "speakers/index.html",
        "speakers/lena-park/index.html",
        "days/index.html",
        "pages/about.html",
        "feeds/all.atom.xml",
        "feeds/digests.atom.xml",
        "feeds/regions/north.atom.xml",
        "feeds/speakers/lena-park.atom.xml",
        "theme/css/site.css",
    ):
        assert (spec_output / name).is_file(), name


def test_drafts_appear_nowhere(spec_output: Path) -> None:
    for file in spec_output.rglob("*"):
        if file.is_file():
            text = file.read_text(encoding="utf-8", errors="replace")
            for marker in DRAFT_MARKERS:
                assert marker not in text, f"{marker!r} leaked into {file}"


def test_feeds_are_valid_atom_with_entries(spec_output: Path) -> None:
    ns = {"a": "http://www.w3.org/2005/Atom"}
    for feed in spec_output.joinpath("feeds").rglob("*.xml"):
        root = ET.parse(feed).getroot()
        assert root.find("a:updated", ns) is not None, feed
    site_feed = ET.parse(spec_output / "feeds" / "all.atom.xml").getroot()
    assert len(site_feed.findall("a:entry", ns)) == 7


def test_pages_link_their_feeds(spec_output: Path) -> None:
    page = (spec_output / "regions" / "north" / "index.html").read_text()
    assert 'rel="alternate" type="application/atom+xml"' in page
    assert "feeds/regions/north.atom.xml" in page


def test_every_page_has_csp_and_no_inline_script(spec_output: Path) -> None:
    for page in spec_output.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert 'http-equiv="Content-Security-Policy"' in html, page
        assert "<script>" not in html, page


def test_two_builds_are_byte_identical(spec_output: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    assert build_site(SPEC_SITE / "content", again) == 0
    assert differences(spec_output, again) == []
