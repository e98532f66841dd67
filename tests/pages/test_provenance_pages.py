"""Sources, key developments and corrections as the pages, cards and feeds show them."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from generator.cli.links import check_site

from ..support import read_rooted

NS = {"a": "http://www.w3.org/2005/Atom"}


def _read(output: Path, name: str) -> str:
    return read_rooted(output, name)


def _card(page: str, anchor: str) -> str:
    start = page.index(f'id="{anchor}"')
    return page[start : page.index("</li>\n", start)]


def test_cards_show_sources_with_their_domain(spec_output: Path) -> None:
    # in full on the archive page that keeps the development: each source a link out
    home = _read(spec_output, "regions/harbor-point/2024-01.html")
    card = _card(home, "ev-harbor-ice-1")
    assert '<span class="card-sources">Sources:' in card
    assert (
        '<a href="http://example.net/ice-chart" rel="external">'
        '<span class="domain">example.net</span></a>'
    ) in card
    assert card.index("example.net") < card.index("example.org")  # the development's order
    # briefly everywhere else: who says so, and a link to that home
    brief = _card(_read(spec_output, "regions/north/index.html"), "ev-harbor-ice-1")
    assert '<span class="card-sources">Sources: example.net, example.org</span>' in brief
    assert 'href="../../regions/harbor-point/2024-01.html#ev-harbor-ice-1">Details</a>' in brief
    assert 'class="card-sources">Sources: <a' not in brief  # the text keeps its own links
    day = _read(spec_output, "days/2024-06-10.html")
    assert "Source: example.org" in _card(day, "qu-ferry-timetable-1")


def test_key_developments_are_flagged_and_listed(spec_output: Path) -> None:
    day = _read(spec_output, "days/2024-01-15.html")
    card = _card(day, "ev-harbor-ice-2")
    assert 'class="key-label"' in card and ">Key<" in card
    assert 'class="key-label"' not in _card(day, "ev-harbor-ice-1")
    start = day.index('class="what-mattered"')  # the digest opens with them
    assert start < day.index('class="events stream"')
    section = day[start : day.index("</section>", start)]
    assert 'href="#ev-harbor-ice-2"' in section and "ev-harbor-ice-1" not in section
    home = _read(spec_output, "index.html")
    listed = home[home.index('class="key-developments"') :]
    listed = listed[: listed.index("</section>")]
    newest, older = "ev-ferry-timetable-3", "ev-harbor-ice-2"
    assert listed.index(newest) < listed.index(older)  # newest first
    north = _read(spec_output, "regions/north/index.html")
    assert "key-developments" in north and "ev-harbor-ice-2" in north
    assert "key-developments" not in _read(spec_output, "regions/cedar-falls/index.html")


def test_corrections_on_the_article_cards_and_site_page(spec_output: Path) -> None:
    article = _read(spec_output, "articles/harbor-ice.html")
    notes = article[article.index('id="corrections"') :]
    assert notes.index("2024-01-16 10:15") < notes.index("2024-01-15 11:30")  # newest first
    assert 'id="co-harbor-ice-1"' in notes
    card = _card(_read(spec_output, "days/2024-01-15.html"), "ev-harbor-ice-1")
    assert "Corrected" in card and ">2024-01-16 10:15</time>" in card  # not the card's day
    page = _read(spec_output, "corrections.html")
    assert 'href="./articles/harbor-ice.html#co-harbor-ice-1"' in page
    assert page.index("co-harbor-ice-1") < page.index("co-harbor-ice-2")
    assert 'href="./corrections.html"' in _read(spec_output, "index.html")
    assert check_site(spec_output) == []


def test_feeds_show_sources_key_and_corrections(spec_output: Path) -> None:
    feed = ET.parse(spec_output / "feeds/regions/north.atom.xml").getroot()
    entries = {e.findtext("a:id", namespaces=NS): e for e in feed.findall("a:entry", NS)}
    key = next(e for i, e in entries.items() if i and i.endswith("#ev-harbor-ice-2"))
    assert [c.get("term") for c in key.findall("a:category", NS)] == ["key"]
    assert key.findtext("a:updated", namespaces=NS) == "2024-01-16T10:15:00+02:00"
    assert "example.org" in (key.findtext("a:content", namespaces=NS) or "")
    plain = next(e for i, e in entries.items() if i and i.endswith("#ev-harbor-ice-1"))
    assert plain.findall("a:category", NS) == []
    site = ET.parse(spec_output / "feeds/all.atom.xml").getroot()
    article = next(
        e
        for e in site.findall("a:entry", NS)
        if (e.findtext("a:id", namespaces=NS) or "").endswith("articles/harbor-ice.html")
    )
    assert article.findtext("a:updated", namespaces=NS) == "2024-01-16T10:15:00+02:00"
    assert "Corrections and updates" in (article.findtext("a:content", namespaces=NS) or "")
    corrections = ET.parse(spec_output / "feeds/corrections.atom.xml").getroot()
    assert [e.findtext("a:updated", namespaces=NS) for e in corrections.findall("a:entry", NS)] == [
        "2024-01-16T10:15:00+02:00",
        "2024-01-15T11:30:00+02:00",
    ]
