"""The downloads' link rewrite: a page's links to files its zip does not hold, and only those,
changed; the same bytes whether the page changes in a few links (searched for one by one) or
in many (one pass over its links), checked against a plain reference."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from generator.pages import downloads
from generator.pages.downloads import FEW_CHANGES, MISSING_PAGE, rewrite_links

MEMBERS = {
    "index.html",
    "regions/donetsk/index.html",
    "regions/donetsk/2023-02.html",
    "articles/a.html",
    "theme/css/site.css",
}
SITE = "https://example.org/timeline"
PIECES = re.compile(rb"<[^<>]*>?|[^<]+")  # a tag (or what is left of one), or text between
ATTRIBUTE = re.compile(rb'\s+([^\s"\'<>/=]+)(?:="([^"<>]*)"?)?|[^\s]')  # in a tag, in order
LINK_IN_TEXT = re.compile(rb'(?=\s(?:href|src|action|data)="([^"<>]*)")')
ONE_PASS = re.compile(rb'(\s(?:href|src|action|data)=")([^"]*)"')  # left to right


def _new_value(name: str, value: bytes, members: set[str], site_address: str) -> bytes | None:
    path, hash_, fragment = value.partition(b"#")
    new = downloads._rewritten(name, path, members, site_address)
    if new is None:
        return None
    return new[0] + (hash_ + fragment if new[1] else b"")


def reference(name: str, page: bytes, members: set[str], site_address: str) -> bytes:
    """Every link rewritten on its own: in a tag, its attributes read one after another (a
    value's text is never a link; a value without its closing quote is not one); in text, a
    link wherever it starts after an even number of quotes."""
    spans: list[tuple[int, int, bytes]] = []
    for piece in PIECES.finditer(page):
        if piece[0][:1] == b"<":
            for attribute in ATTRIBUTE.finditer(page, piece.start() + 1, piece.end()):
                value = attribute[2]
                linking = attribute[1] in (b"href", b"src", b"action", b"data")
                if linking and value is not None and attribute[0].endswith(b'"'):
                    spans.append((attribute.start(2), attribute.end(2), value))
        else:
            for match in LINK_IN_TEXT.finditer(page, piece.start(), piece.end()):
                if page.count(b'"', piece.start(), match.start()) % 2 == 0:
                    end = match.end(1)
                    if end < piece.end() and page[end : end + 1] == b'"':
                        spans.append((match.start(1), end, match[1]))
    pieces, copied = [], 0
    for start, end, value in spans:
        new = _new_value(name, value, members, site_address)
        if new is not None:
            pieces += (page[copied:start], new)
            copied = end
    return b"".join([*pieces, page[copied:]])


def one_pass(name: str, page: bytes, members: set[str], site_address: str) -> bytes:
    """What packing did before: re.sub over the links, left to right."""

    def replace(match: re.Match[bytes]) -> bytes:
        new = _new_value(name, match[2], members, site_address)
        return match[0] if new is None else match[1] + new + b'"'

    return ONE_PASS.sub(replace, page)


TRICKY = [
    b'<a href="../../feeds/all.atom.xml">feed</a>',  # left out: the only change
    b'<a href="2023-02.html#ev-1">in</a> <a href="2023-03.html#ev-2">out</a>',
    b'<a href="2023-03.html">out</a><a href="2023-03.html#x#y">twice</a>',
    b'<a data-href="2023-03.html" href="index.html">not a link attribute</a>',
    b'<a\thref="2023-03.html"\nsrc="2023-03.html.bak">white space of every kind</a>',
    b'<a href="2023-03.html.bak">a longer path</a> <a href="2023-03.html?q=1#f">query</a>',
    b'<a href="2023-03.html#unterminated>',  # no closing quote: not a link
    b'<img src="../../theme/img/missing.png"><form action="../../search.html">',
    b'<object data="../../data/site.json"></object>',
    b'<a href="">empty</a><a href="#top">here</a><a href="/root.html">rooted</a>',
    b'<a href="https://example.com/x.html">away</a><a href="mailto:x@example.com">mail</a>',
    b'<a href="%32023-03.html">escaped</a><a href="2023-03.html&amp;x">an entity</a>',
    b'<p>text with href="2023-03.html" in it, no space before</p> href="2023-03.html"',
    b'<a title="written href=" href="../../feeds/all.atom.xml">a value ending in a name</a>',
    b'<a href="https://e.org/a" title="about src=">x</a> and <a href="2023-03.html">y</a>',
    b'<meta name="description" content="see href="><link rel="alternate" href="2023-03.html">',
]


@pytest.mark.parametrize("site_address", ["", SITE])
@pytest.mark.parametrize("snippet", TRICKY)
def test_each_tricky_link_is_rewritten_as_the_reference_says(
    snippet: bytes, site_address: str
) -> None:
    name = "regions/donetsk/index.html"
    expected = reference(name, snippet, MEMBERS, site_address)
    assert rewrite_links(name, snippet, MEMBERS, site_address, {}) == expected


def test_a_link_out_of_the_zip_loses_its_fragment_only_for_the_missing_page() -> None:
    page = b'<a href="2023-03.html#ev-2">out</a>'
    name = "regions/donetsk/index.html"
    missing = rewrite_links(name, page, MEMBERS, "", {})
    assert missing == (
        b'<a href="../../' + MISSING_PAGE.encode() + b'?page=regions/donetsk/2023-03.html">out</a>'
    )
    published = rewrite_links(name, page, MEMBERS, SITE, {})
    assert published == f'<a href="{SITE}/regions/donetsk/2023-03.html#ev-2">out</a>'.encode()


def test_random_pages_few_or_many_changes_match_the_reference() -> None:
    """Pages of the tricky snippets and many links, some in the zip and some not: past
    FEW_CHANGES paths to change, the other way; both give the reference's bytes."""
    pick = random.Random(7)
    paths = [
        *(f"2023-{m:02}.html" for m in range(1, 13)),  # only 2023-02 is in the zip
        "index.html",
        "../../articles/a.html",
        "../../articles/b.html",
        "../../days/2023-02-13.html",
    ]
    ways = set()
    for round_ in range(300):
        links = [
            f' <a href="{pick.choice(paths)}{pick.choice(["", "#ev-1", "#day-2"])}">x</a>'.encode()
            for _ in range(pick.randrange(0, 40))
        ]
        parts = links + pick.sample(TRICKY, pick.randrange(0, 5))
        page = b"".join(pick.sample(parts, len(parts)))
        name = "regions/donetsk/index.html"
        for site_address in ("", SITE):
            seen: dict[tuple[str, bytes], downloads.Rewrite] = {}
            assert rewrite_links(name, page, MEMBERS, site_address, seen) == reference(
                name, page, MEMBERS, site_address
            ), (round_, page)
            ways.add(sum(new is not None for new in seen.values()) > FEW_CHANGES)
    assert ways == {True, False}  # both ways were taken


def test_a_link_hidden_from_a_left_to_right_pass_is_rewritten_too() -> None:
    """A value that ends in a link attribute's name made the old pass take the real link's
    name for that value's end, and leave the link as it was (broken in the zip)."""
    page = b'<a title="written href=" href="../../feeds/all.atom.xml">feed</a>'
    name = "regions/donetsk/index.html"
    assert b'"../../feeds/all.atom.xml"' in one_pass(name, page, MEMBERS, "")
    assert b'"../../feeds/all.atom.xml"' not in rewrite_links(name, page, MEMBERS, "", {})


def test_the_demo_sites_pages_are_rewritten_as_before(demo_site: Path) -> None:
    """Every page of the demo site, for the whole site's members and for a region's: the
    same bytes as the old left-to-right pass (no page of ours has a value like the above)."""
    files = sorted(p.relative_to(demo_site).as_posix() for p in demo_site.rglob("*") if p.is_file())
    whole = {f for f in files if not f.startswith(("data/", "feeds/", "download/"))}
    region = {f for f in whole if f.startswith(("regions/donetsk/", "theme/"))}
    for members in (whole, region):
        seen: dict[tuple[str, bytes], downloads.Rewrite] = {}
        for name in (f for f in files if f.endswith(".html")):
            page = (demo_site / name).read_bytes()
            expected = one_pass(name, page, members, "")
            assert rewrite_links(name, page, members, "", seen) == expected, name


@pytest.mark.parametrize(
    "raw",
    [b"2023-03.html", b".", b"..", b"../..", b"../../../x.html", b"./a/./b.html", b"a//b.html",
     b"regions/", b"../donetsk/../../index.html", b"-_.html", b"UPPER.HTML"],
)  # fmt: skip
def test_a_plain_path_is_read_as_a_url_parser_reads_it(raw: bytes) -> None:
    """Paths with nothing to decode skip urlsplit and unescaping: the same target."""
    name = "regions/donetsk/index.html"
    assert downloads.PLAIN_PATH.fullmatch(raw)
    target, _ = downloads._target(name, raw.decode())
    for members in (set(), {target} if target else set()):
        rewritten = downloads._rewritten(name, raw, members, SITE)
        if target is None or target in members:
            assert rewritten is None
        else:
            assert rewritten == (f"{SITE}/{target}".encode(), True)
