"""The XSS corpus (xss_site/content: a payload in every field a contributor controls) builds,
and the built site carries every payload as inert text: no event handler, no script URL, no
injected element in any page, nothing that breaks out of JSON-LD, the feeds or the data files,
and headless Chromium runs none of it (with and without the pages' Content-Security-Policy).

Payloads the checker refuses (javascript:/data:/vbscript: links, images) are in the broken
corpus instead: tests/cases/broken/*-link, image-*, source-url-*.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

ATOM = "{http://www.w3.org/2005/Atom}"
URL_ATTRS = {
    "href",
    "src",
    "action",
    "formaction",
    "data",
    "poster",
    "xlink:href",
    "background",
    "cite",
    "srcset",
    "ping",
    "manifest",
    "codebase",
    "longdesc",
}
BAD_SCHEMES = ("javascript:", "vbscript:", "data:", "livescript:")
FORBIDDEN_TAGS = {
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "applet",
    "base",
    "portal",
    "fencedframe",
    "listener",
    "handler",
    "import",
}
OWN_SCRIPT_FOLDERS = ("theme/", "search/")
SCRIPT_MARKERS = ("window.__xss", "document.title='XSS'", "alert(1)")

# Payload texts that must reach the pages as text (proves they were not dropped on the way).
VISIBLE = {
    "regions/xss-land/index.html": [
        "<script>window.__xss=1;document.title='XSS';alert(1)</script>Xss Land",
        "</script><script>window.__xss=1</script>",
        "<!--<script>alert(1)//-->",
    ],
    "regions/xss-town/index.html": [
        'Xss Town"><svg onload="window.__xss=1;alert(1)">',
        "{{ 7*7 }}",
        "{% raw %}raw{% endraw %}",
    ],
    "regions/xss-river/index.html": [
        'River <iframe src="javascript:alert(1)"></iframe>',
        "]]></content><script>alert(1)</script>",
    ],
    "speakers/eve-payload/index.html": [
        "Eve <script>window.__xss=1;alert(1)</script>Payload",
        "<img src=x onerror=\"document.title='XSS'\">Spokesperson",
        '"><svg/onload=alert(1)>Ministry',
        '<a href="javascript:alert(1)">Eve</a>',
    ],
    "speakers/mallory-quote/index.html": [
        "Mallory </script><script>window.__xss=1</script>",
        '<base href="javascript:alert(1)//">',
        '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
        '<form action="javascript:alert(1)"><button>go</button></form>',
    ],
    "articles/raw-html.html": [
        "<script>window.__xss=1;document.title='XSS';alert(1)</script> raw HTML in the body",
        '"><img src=x onerror="window.__xss=1;alert(1)"> and </script><script>alert(1)</script>',
        "<svg onload=alert(1)>",
        "Mallory' onmouseover='alert(1)",
        "<script>alert(1)</script> source",
        '<img src=x onerror="window.__xss=1;alert(1)">',
        '<iframe src="javascript:alert(1)"></iframe>',
        '<a href="javascript:alert(1)">inline raw link</a>',
        "<script>alert(1)</script>",
        "</code></pre><script>window.__xss=1</script>",
        "{{ 7 * 7 }} {% if true %}IF{% endif %}",
        '<object data="data:text/html;base64,',
    ],
    "articles/developments.html": [
        "Developments </script><script>window.__xss=1</script><!--",
        "<script>window.__xss=1;alert(1)</script> at",
        "]]></content><script>alert(1)</script>",
        "<iframe src=javascript:alert(1)>",
        "<img src=x onerror=alert(1)> heading",
    ],
    "pages/xss.html": [
        "<script>window.__xss=1;document.title='XSS'</script>About",
        '"><svg onload=alert(1)>',
    ],
}


@dataclass
class ParsedPage:
    problems: list[str] = field(default_factory=list)
    text: str = ""
    attributes: list[str] = field(default_factory=list)
    json_ld: list[str] = field(default_factory=list)
    scripts: int = 0


class _Inspector(HTMLParser):
    """Collects what a page would run: handlers, script URLs, elements, JSON-LD blocks."""

    def __init__(self, name: str) -> None:
        super().__init__(convert_charrefs=True)
        self.name = name
        self.page = ParsedPage()
        self.texts: list[str] = []
        self.in_script: str | None = None  # "ld" or "src" while inside a <script>

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._element(tag, attrs)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._element(tag, attrs)
        if tag == "script":
            self.in_script = None

    def _element(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        problems = self.page.problems
        values = {name: value or "" for name, value in attrs}
        for name, value in values.items():
            self.page.attributes.append(value)
            if name.startswith("on"):
                problems.append(f"<{tag} {name}=…> event handler")
            refresh = tag == "meta" and name == "content" and "url=" in value.lower()
            if name in URL_ATTRS or refresh:
                squeezed = re.sub(r"[\x00-\x20]", "", value).lower()
                target = squeezed.split("url=", 1)[-1] if tag == "meta" else squeezed
                if target.startswith(BAD_SCHEMES) and not _image_data(tag, name, target, values):
                    problems.append(f"<{tag} {name}={value!r}> script or data URL")
            if name == "style" and re.search(r"expression\(|javascript:|url\(", value, re.I):
                problems.append(f"<{tag} style={value!r}>")
        if tag in FORBIDDEN_TAGS:
            problems.append(f"<{tag}> element")
        if tag == "meta" and values.get("http-equiv", "").lower() in ("refresh", "set-cookie"):
            problems.append(f"<meta http-equiv={values['http-equiv']}>")
        if tag in ("set", "animate") and values.get("attributename", "").lower() in (
            "href",
            "xlink:href",
        ):
            problems.append(f"<{tag} attributeName=href> (SVG link rewrite)")
        if tag == "script":
            self.page.scripts += 1
            self.in_script = self._script_kind(values)

    def _script_kind(self, values: dict[str, str]) -> str:
        if values.get("type") == "application/ld+json" and "src" not in values:
            return "ld"
        src = values.get("src", "")
        resolved = _resolve(self.name, src)
        if not src or not resolved.startswith(OWN_SCRIPT_FOLDERS) or "://" in src:
            self.page.problems.append(f"<script src={src!r}>: not one of the site's own scripts")
        return "src"

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self.in_script = None

    def handle_data(self, data: str) -> None:
        if self.in_script == "ld":
            self.page.json_ld.append(data)
        elif self.in_script == "src":
            if data.strip():
                self.page.problems.append(f"<script src> with a body: {data[:60]!r}")
        else:
            self.texts.append(data)

    def handle_comment(self, data: str) -> None:
        self.page.problems.append(f"comment in the page: <!--{data[:60]}-->")


def _image_data(tag: str, attr: str, url: str, values: dict[str, str]) -> bool:
    """A data: URL that is only ever an image: <img src="data:image/png…">, and the theme's empty
    favicon <link rel="icon" href="data:,"> (no request for /favicon.ico)."""
    if tag == "link" and attr == "href" and "icon" in values.get("rel", "").split():
        return url == "data:," or (url.startswith("data:image/") and "svg" not in url)
    return tag == "img" and attr == "src" and url.startswith("data:image/") and "svg" not in url


def _resolve(page: str, src: str) -> str:
    import posixpath

    folder = posixpath.dirname(page)
    return posixpath.normpath(posixpath.join(folder, src.split("?")[0]))


def inspect(name: str, html: str) -> ParsedPage:
    inspector = _Inspector(name)
    inspector.feed(html)
    inspector.close()
    inspector.page.text = "".join(inspector.texts)
    return inspector.page


def _pages(output: Path) -> dict[str, str]:
    return {
        p.relative_to(output).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(output.rglob("*.html"))
    }


# --- the corpus itself ------------------------------------------------------------------------


def test_corpus_covers_every_contributor_field() -> None:
    from .conftest import XSS_CONTENT

    regions = (XSS_CONTENT / "regions.yaml").read_text(encoding="utf-8")
    speakers = (XSS_CONTENT / "speakers.yaml").read_text(encoding="utf-8")
    for key in ("name:", "kind:", "aliases:"):
        assert key in regions
    for key in ("name:", "role:", "affiliation:", "aliases:"):
        assert key in speakers
    articles = "".join(
        p.read_text(encoding="utf-8") for p in sorted((XSS_CONTENT / "articles").rglob("*.md"))
    )
    for key in (
        "title:",
        "summary:",
        "tags:",
        "authors:",
        "sources:",
        "url:",
        "id:",
        "](source:",
        "**Key**",
        "corrections:",
        "## Developments",
        "— [](speaker:",
        "<script>",
        "<img src=x onerror",
        "<iframe",
        "<svg onload",
        "[](region:",
        "```",
    ):
        assert key in articles, key
    assert "title:" in (XSS_CONTENT / "pages" / "xss.md").read_text(encoding="utf-8")


def test_corpus_passes_check() -> None:
    from .conftest import XSS_CONTENT, check

    code, lines = check(XSS_CONTENT)
    assert code == 0, "\n".join(lines)


# --- every HTML page --------------------------------------------------------------------------


def test_every_page_is_free_of_active_content(xss_output: Path) -> None:
    pages = _pages(xss_output)
    assert len(pages) >= 15
    problems = [
        f"{name}: {problem}"
        for name, html in pages.items()
        for problem in inspect(name, html).problems
    ]
    assert problems == []


def test_payloads_reach_the_pages_as_text(xss_output: Path) -> None:
    pages = _pages(xss_output)
    missing = []
    for name, payloads in VISIBLE.items():
        text = inspect(name, pages[name]).text
        missing += [f"{name}: {payload!r}" for payload in payloads if payload not in text]
    assert missing == []


def test_payloads_in_attributes_stay_inside_them(xss_output: Path) -> None:
    """Titles and summaries also land in <meta content>, link title= and href= (escaped)."""
    page = inspect(
        "articles/raw-html.html",
        (xss_output / "articles" / "raw-html.html").read_text(encoding="utf-8"),
    )
    summary = (
        '"><img src=x onerror="window.__xss=1;alert(1)"> and </script><script>alert(1)</script>'
    )
    assert summary in page.attributes  # <meta name="description" content="…">
    assert 'title" onmouseover="alert(1)' in page.attributes
    assert "a' onmouseover='alert(1)' b='" in page.attributes
    assert any(a.startswith("https://example.org/?q=") and "<script>" in a for a in page.attributes)


def test_no_markup_from_content_in_raw_html(xss_output: Path) -> None:
    """A second, cruder look: no payload tag appears unescaped anywhere in a page."""
    raw_tags = re.compile(
        r"<(?:script>window|img src=x|svg[ /]onload|iframe src=|object data=|"
        r"embed src=|base href=|form action=|math>)",
        re.I,
    )
    found = [
        f"{name}: {m.group(0)}"
        for name, html in _pages(xss_output).items()
        for m in raw_tags.finditer(html)
    ]
    assert found == []


def test_template_syntax_is_not_evaluated(xss_output: Path) -> None:
    for name, html in _pages(xss_output).items():
        assert "IF" not in inspect(name, html).text.replace("{% if true %}IF{% endif %}", ""), name
    text = inspect("x", (xss_output / "articles" / "raw-html.html").read_text()).text
    assert "{{ 7 * 7 }}" in text and "${7 * 7}" in text


# --- JSON-LD ----------------------------------------------------------------------------------


def test_json_ld_blocks_cannot_be_broken_out_of(xss_output: Path) -> None:
    checked = 0
    for name, html in _pages(xss_output).items():
        page = inspect(name, html)
        for block in page.json_ld:
            checked += 1
            lowered = block.lower()
            assert "</script" not in lowered and "<script" not in lowered, name
            assert "<!--" not in block, name
            assert "\u2028" not in block and "\u2029" not in block, name
            json.loads(block)  # a breakout would leave a truncated, invalid block
    assert checked >= 6


def test_json_ld_keeps_the_payloads_as_data(xss_output: Path) -> None:
    def ld(name: str) -> Any:
        blocks = inspect(name, (xss_output / name).read_text(encoding="utf-8")).json_ld
        return json.loads(blocks[0])

    article = ld("articles/developments.html")
    assert article["headline"] == "Developments </script><script>window.__xss=1</script><!--"
    region = ld("regions/xss-land/index.html")
    assert region["name"] == "<script>window.__xss=1;document.title='XSS';alert(1)</script>Xss Land"
    assert "<!--<script>alert(1)//-->" in region["alternateName"]
    speaker = ld("speakers/mallory-quote/index.html")
    assert speaker["name"] == "Mallory </script><script>window.__xss=1</script>"


def test_json_ld_filter_escapes_every_breakout() -> None:
    from generator.render.templating import json_ld

    text = str(json_ld({"a": "</script><script>alert(1)</script><!-- & \u2028\u2029 ]]>"}))
    for raw in ("<", ">", "&", "\u2028", "\u2029"):
        assert raw not in text
    assert json.loads(text) == {"a": "</script><script>alert(1)</script><!-- & \u2028\u2029 ]]>"}


# --- feeds ------------------------------------------------------------------------------------


def _feeds(output: Path) -> dict[str, ET.Element]:
    return {
        p.relative_to(output).as_posix(): ET.parse(p).getroot()
        for p in sorted((output / "feeds").rglob("*.xml"))
    }


def test_feeds_are_well_formed_and_content_is_escaped_text(xss_output: Path) -> None:
    feeds = _feeds(xss_output)
    assert len(feeds) >= 7
    problems = []
    for name, root in feeds.items():
        for element in root.iter():
            if element.tag.startswith(ATOM) is False:
                problems.append(f"{name}: foreign element {element.tag}")
        for content in root.iter(f"{ATOM}content"):
            if len(content):  # type="html" must be escaped text, never child elements
                problems.append(f"{name}: <content> has child elements")
            html = content.text or ""
            problems += [f"{name} (entry HTML): {p}" for p in inspect(name, html).problems]
        for title in root.iter(f"{ATOM}title"):
            if len(title):
                problems.append(f"{name}: <title> has child elements")
    assert problems == []


def test_feed_entries_keep_payloads_as_text(xss_output: Path) -> None:
    root = _feeds(xss_output)["feeds/all.atom.xml"]
    titles = [t.text for t in root.iter(f"{ATOM}title")]
    assert "Developments </script><script>window.__xss=1</script><!--" in titles
    contents = "".join(c.text or "" for c in root.iter(f"{ATOM}content"))
    # The entry HTML shows the raw tags as text (escaped once more inside it).
    assert "&lt;script&gt;window.__xss=1;alert(1)&lt;/script&gt;" in contents
    assert "<p>&quot;&gt;&lt;img src=x onerror=" in contents  # the summary paragraph
    region_feed = _feeds(xss_output)["feeds/regions/xss-river.atom.xml"]
    assert region_feed.findtext(f"{ATOM}title", "").startswith(
        'River <iframe src="javascript:alert(1)"></iframe>'
    )


# --- data files -------------------------------------------------------------------------------


def test_data_files_are_json_with_payloads_as_plain_strings(xss_output: Path) -> None:
    site = json.loads((xss_output / "data" / "site.json").read_text(encoding="utf-8"))
    names = {r["id"]: r["name"] for r in site["regions"]}
    assert (
        names["xss-land"] == "<script>window.__xss=1;document.title='XSS';alert(1)</script>Xss Land"
    )
    events = json.loads((xss_output / "data" / "events.json").read_text(encoding="utf-8"))
    assert any("<script>window.__xss=1;alert(1)</script>" in e["text"] for e in events)
    for event in events:  # "html" is rendered HTML: inert
        assert inspect("data/events.json", event["html"]).problems == [], event["id"]
        assert "<script" not in event["html"].lower()
    quotes = json.loads((xss_output / "data" / "quotes.json").read_text(encoding="utf-8"))
    assert any("<script>alert(1)</script>" in q["context"] for q in quotes)


def test_timelinejs_fields_are_escaped_html(xss_output: Path) -> None:
    """TimelineJS3 puts headline, text and group into the page with innerHTML."""
    files = sorted((xss_output / "data" / "timelinejs").glob("*.json"))
    assert files
    for file in files:
        data = json.loads(file.read_text(encoding="utf-8"))
        fragments = [data["title"]["text"]["headline"], data["title"]["text"]["text"]]
        for event in data["events"]:
            fragments += [event["text"]["headline"], event["text"]["text"], event["group"]]
        for fragment in fragments:
            page = inspect(file.name, fragment)
            assert page.problems == [], (file.name, fragment)
            assert page.scripts == 0, (file.name, fragment)
            assert not re.search(r"<(script|img|svg|iframe)", fragment, re.I), (file.name, fragment)
    land = json.loads((xss_output / "data" / "timelinejs" / "xss-land.json").read_text())
    assert (
        inspect("x", land["title"]["text"]["headline"]).text
        == "<script>window.__xss=1;document.title='XSS';alert(1)</script>Xss Land"
    )


def test_search_index_script_cannot_be_broken_out_of(xss_output: Path) -> None:
    scripts = sorted((xss_output / "search").glob("*.js"))
    if not scripts:
        pytest.skip("no search index in this build")
    assert len(scripts) >= 3  # the manifest and its shards
    for script in scripts:
        text = script.read_text(encoding="utf-8")
        assert "</script" not in text.lower() and "<!--" not in text, script.name
        assert "\u2028" not in text and "\u2029" not in text, script.name


# --- in a browser (a subprocess: its own Playwright, whatever other folders' fixtures hold) ---


def _probe(*args: str) -> list[str]:
    from .conftest import REPO

    done = subprocess.run(
        [sys.executable, "-m", "tests.hardening.browser_probe", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return list(json.loads(done.stdout.strip().splitlines()[-1]))


@pytest.mark.browser
def test_chromium_runs_no_payload(browser_available: None, xss_output: Path) -> None:
    assert _probe("pages", str(xss_output)) == []


@pytest.mark.browser
def test_chromium_runs_no_payload_even_without_csp(
    browser_available: None, xss_output: Path
) -> None:
    """The CSP (script-src 'self') would hide an injected inline script: test the escaping."""
    assert _probe("pages", str(xss_output), "--bypass-csp") == []


@pytest.mark.browser
def test_html_fragments_of_data_and_feeds_are_inert_in_a_browser(
    browser_available: None, xss_output: Path, tmp_path: Path
) -> None:
    """TimelineJS3 and feed readers put our HTML-bearing fields into pages with innerHTML."""
    fragments: list[str] = []
    for file in sorted((xss_output / "data" / "timelinejs").glob("*.json")):
        data = json.loads(file.read_text(encoding="utf-8"))
        fragments += [data["title"]["text"]["headline"], data["title"]["text"]["text"]]
        for event in data["events"]:
            fragments += [event["text"]["headline"], event["text"]["text"], event["group"]]
    fragments += [e["html"] for e in json.loads((xss_output / "data" / "events.json").read_text())]
    for root in _feeds(xss_output).values():
        fragments += [c.text or "" for c in root.iter(f"{ATOM}content")]  # type="html"
    assert len(fragments) > 20
    file = tmp_path / "fragments.json"
    file.write_text(json.dumps(fragments), encoding="utf-8")
    assert _probe("fragments", str(file)) == []
