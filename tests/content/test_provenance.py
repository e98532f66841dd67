"""Provenance in the body and front matter: `source:` references, `**Key**`, `corrections`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from generator.diagnostics import ContentError
from generator.model.records import Source, iso

from ..support import read_site, write
from .test_reader import REGIONS, SPEAKERS, Reader


@pytest.fixture
def read(tmp_path: Path) -> Reader:
    """read({"a.md": text}) → Site, next to test_reader's registries."""
    content = tmp_path / "content"
    write(content, "regions.yaml", REGIONS)
    write(content, "speakers.yaml", SPEAKERS)

    def run(files: dict[str, str]) -> Any:
        for name, text in files.items():
            write(content, f"articles/{name}", text)
        return read_site(content)

    return run


SOURCES = """\
sources:
  - id: radio
    title: Coast <Radio> & Co
    url: https://www.radio.example.org/fog?a=1&b=2
  - id: office
    url: https://harbor.example.org/
  - url: https://news.example.org/
"""


def article(body: str, front: str = SOURCES) -> str:
    return (
        "---\ntitle: An update\ndate: 2024-01-15T09:30:00+02:00\nregions: [north]\n"
        f"{front}---\n\n{body}"
    )


def test_developments_and_quotes_have_their_own_sources_else_the_articles(read: Reader) -> None:
    body = (
        "## Developments\n\n"
        "- Fog ([office](source:office)), said [the radio](source:radio) and "
        "[again](source:office).\n"
        "- Ice in [Pine Town](region:pine-town).\n\n"
        "> It will lift.\n>\n> — [Mara Olsen](speaker:mara-olsen), on [radio](source:radio)\n\n"
        "> It will not.\n>\n> — [Tomas Reyes](speaker:tomas-reyes)\n"
    )
    site = read({"a.md": article(body)})
    own, default = site.events
    assert [s.id for s in site.sources_of(own)] == ["office", "radio"]  # in order, once each
    assert default.sources == ()  # none of its own: the article's, kept once with the article
    assert [s.url for s in site.sources_of(default)] == [
        "https://www.radio.example.org/fog?a=1&b=2",
        "https://harbor.example.org/",
        "https://news.example.org/",
    ]
    first, second = site.quotes
    assert [s.id for s in site.sources_of(first)] == ["radio"]
    assert len(site.sources_of(second)) == 3
    assert first.context == "on radio"


def test_a_source_reference_renders_as_an_escaped_external_link(read: Reader) -> None:
    site = read({"a.md": article("## Developments\n\n- Fog ([](source:radio)).\n")})
    (event,) = site.events
    assert (
        '<a href="https://www.radio.example.org/fog?a=1&amp;b=2" class="source-ref" '
        'rel="noopener noreferrer external">Coast &lt;Radio&gt; &amp; Co</a>'
    ) in event.html
    assert "source:" not in site.articles[0].body_html


def test_a_source_reference_outside_developments_is_a_plain_link(read: Reader) -> None:
    site = read({"a.md": article("Opening, as [the office](source:office) said.\n")})
    assert 'href="https://harbor.example.org/"' in site.articles[0].body_html


def test_source_domain_drops_www() -> None:
    assert Source("https://www.BBC.com/news", None).domain == "bbc.com"
    assert Source("https://user@news.example.org:8443/x", None).domain == "news.example.org"


@pytest.mark.parametrize(
    ("item", "key", "text"),
    [
        ("**08:15** **Key** Fog closed the road.", True, "Fog closed the road."),
        ("**Key** Fog closed the road.", True, "Fog closed the road."),
        ("**2024-01-14** **Key** Fog.", True, "Fog."),
        ("**08:15** Fog closed the road.", False, "Fog closed the road."),
        ("Fog, the **key** problem.", False, "Fog, the key problem."),
    ],
)
def test_key_marker(read: Reader, item: str, key: bool, text: str) -> None:
    site = read({"a.md": article(f"## Developments\n\n- {item}\n")})
    (event,) = site.events
    assert (event.key, event.text) == (key, text)
    assert "Key" not in event.html or not key


def test_the_article_body_shows_the_key_marker_as_a_label(read: Reader) -> None:
    site = read({"a.md": article("## Developments\n\n- **08:15** **Key** Fog.\n")})
    assert '<strong class="key">Key</strong>' in site.articles[0].body_html


def test_corrections_newest_first_rendered_inline(read: Reader) -> None:
    front = SOURCES + (
        "corrections:\n"
        "  - date: 2024-01-15T11:30:00+02:00\n"
        "    text: The road to [Pine Town](region:pine-town) is *open* <b>again</b>.\n"
        "  - date: 2024-01-16\n"
        "    text: Per [the radio](source:radio), ferries run.\n"
    )
    site = read({"a.md": article("## Developments\n\n- Fog.\n", front)})
    (a,) = site.articles
    assert [iso(c.date) for c in a.corrections] == [
        "2024-01-16T00:00:00+02:00",
        "2024-01-15T11:30:00+02:00",
    ]
    assert [c.id for c in a.corrections] == ["co-a-2", "co-a-1"]
    older = a.corrections[1]
    assert older.text == "The road to Pine Town is open <b>again</b>."
    assert "<p>" not in older.html and "<em>open</em>" in older.html
    assert "&lt;b&gt;again&lt;/b&gt;" in older.html
    assert 'class="region-ref"' in older.html
    assert 'href="https://www.radio.example.org/fog?a=1&amp;b=2"' in a.corrections[0].html
    assert a.corrected == a.corrections[0].date


def test_a_correction_of_two_paragraphs_is_refused(read: Reader) -> None:
    front = 'corrections:\n  - date: 2024-01-16\n    text: "One.\\n\\nTwo."\n'
    with pytest.raises(ContentError) as caught:
        read({"a.md": article("Text.\n", front)})
    messages: list[Any] = [d.message for d in caught.value.diagnostics]
    assert messages == ["a correction's 'text' is one paragraph: join its lines"]
