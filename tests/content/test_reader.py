"""The body contract: Markdown in, developments (events) and quotes out.

Each test writes a small article next to a fixed registry and reads the folder the way a build
does (generator.pipeline.check: read, check across files, model), then looks at the resulting model.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from generator.diagnostics import ContentError
from generator.model.records import ROOT, iso

from ..support import read_site, write

REGIONS = """\
north:
  name: Northern Province
pine-town:
  name: Pine Town
  parent: north
harbor-point:
  name: Harbor Point
  parent: north
islands:
  name: Outer Islands
gull-rock:
  name: Gull Rock
  parent: islands
"""
SPEAKERS = """\
mara-olsen:
  name: Mara Olsen
tomas-reyes:
  name: Tomas Reyes
"""

Reader = Callable[..., Any]


@pytest.fixture
def read(tmp_path: Path) -> Reader:
    """read({"a.md": text, ...}) → Site; files go to content/articles/ (pages/ if so named)."""
    content = tmp_path / "content"
    write(content, "regions.yaml", REGIONS)
    write(content, "speakers.yaml", SPEAKERS)

    def run(files: dict[str, str]) -> Any:
        for name, text in files.items():
            relative = name if name.startswith("pages/") else f"articles/{name}"
            write(content, relative, text)
        return read_site(content)

    return run


def article(
    body: str, *, date: str = "2024-01-15T09:30:00+02:00", regions: str = "[north]", slug: str = ""
) -> str:
    extra = f"slug: {slug}\n" if slug else ""
    return f"---\ntitle: An update\ndate: {date}\nregions: {regions}\n{extra}---\n\n{body}"


def dev(*items: str) -> str:
    return "## Developments\n\n" + "".join(f"- {item}\n" for item in items)


# --- times ------------------------------------------------------------------------------------

STAMP_CASES = {
    "offset +02:00 (winter Kyiv)": (
        "2024-01-15T09:30:00+02:00",
        [
            ("", "2024-01-15T09:30:00+02:00", "2024-01-15"),
            ("**07:45** ", "2024-01-15T07:45:00+02:00", "2024-01-15"),
            ("**2024-01-14** ", "2024-01-14T00:00:00+02:00", "2024-01-14"),
            ("**2024-01-14 23:30** ", "2024-01-14T23:30:00+02:00", "2024-01-14"),
        ],
    ),
    "offset +03:00 in winter": (
        "2024-02-03T00:30:00+03:00",
        [
            ("", "2024-02-03T00:30:00+03:00", "2024-02-02"),  # 23:30 in Kyiv
            ("**01:10** ", "2024-02-03T01:10:00+03:00", "2024-02-03"),  # the date as written
            ("**2024-02-01** ", "2024-02-01T00:00:00+02:00", "2024-02-01"),  # the day written
        ],
    ),
    "offset -05:00": (
        "2024-06-20T19:30:00-05:00",
        [
            ("", "2024-06-20T19:30:00-05:00", "2024-06-21"),
            ("**15:00** ", "2024-06-20T15:00:00-05:00", "2024-06-20"),  # 23:00 Kyiv
            ("**16:00** ", "2024-06-20T16:00:00-05:00", "2024-06-21"),  # 00:00 Kyiv starts a day
            ("**2024-06-19** ", "2024-06-19T00:00:00+03:00", "2024-06-19"),  # midnight in Kyiv
            ("**2024-06-20 20:45** ", "2024-06-20T20:45:00-05:00", "2024-06-21"),
        ],
    ),
    "date only, winter": (
        "2024-01-20",
        [
            ("", "2024-01-20T00:00:00+02:00", "2024-01-20"),
            ("**14:20** ", "2024-01-20T14:20:00+02:00", "2024-01-20"),
            ("**2024-01-19** ", "2024-01-19T00:00:00+02:00", "2024-01-19"),
            ("**2024-01-19 23:59** ", "2024-01-19T23:59:00+02:00", "2024-01-19"),
        ],
    ),
    "date only, summer": (
        "2024-07-10",
        [
            ("", "2024-07-10T00:00:00+03:00", "2024-07-10"),
            ("**14:20** ", "2024-07-10T14:20:00+03:00", "2024-07-10"),
        ],
    ),
    "date only, on the spring DST change": (
        "2024-03-31",
        [  # Kyiv: 03:00 +02 → 04:00 +03
            ("", "2024-03-31T00:00:00+02:00", "2024-03-31"),
            ("**01:00** ", "2024-03-31T01:00:00+02:00", "2024-03-31"),
            ("**12:00** ", "2024-03-31T12:00:00+03:00", "2024-03-31"),  # site zone, not +02:00
        ],
    ),
}


@pytest.mark.parametrize("name", list(STAMP_CASES))
def test_stamps_resolve_to_times_and_kyiv_days(read: Reader, name: str) -> None:
    date, cases = STAMP_CASES[name]
    items = [f"{stamp}Event {n}." for n, (stamp, _, _) in enumerate(cases, 1)]
    site = read({"a.md": article(dev(*items), date=date)})
    by_id = {e.id: e for e in site.events}
    got = [
        (iso(by_id[f"ev-a-{n}"].time), by_id[f"ev-a-{n}"].day.isoformat())
        for n in range(1, len(cases) + 1)
    ]
    assert got == [(time, day) for _, time, day in cases]


def test_article_day_and_date_only_flag(read: Reader) -> None:
    site = read(
        {
            "far.md": article("Text.\n", date="2024-06-20T19:30:00-05:00"),
            "day.md": article("Text.\n", date="2024-07-10"),
        }
    )
    far, day = site.article_by_slug["far"], site.article_by_slug["day"]
    assert (far.day.isoformat(), far.date_only) == ("2024-06-21", False)
    assert (day.day.isoformat(), day.date_only, iso(day.date)) == (
        "2024-07-10",
        True,
        "2024-07-10T00:00:00+03:00",
    )
    assert [d.date.isoformat() for d in site.days] == ["2024-06-21", "2024-07-10"]


def test_stamp_must_lead_the_item(read: Reader) -> None:
    site = read({"a.md": article(dev("Fog at **07:45** over the coast."))})
    (event,) = site.events
    assert iso(event.time) == "2024-01-15T09:30:00+02:00"


def test_event_lines_are_file_lines(read: Reader) -> None:
    text = article("Intro.\n\n" + dev("**07:45** First.", "Second,\n  two lines.", "Third."))
    site = read({"a.md": text})
    lines = text.split("\n")
    for event, needle in zip(
        sorted(site.events, key=lambda e: e.position),
        ("- **07:45** First.", "- Second,", "- Third."),
        strict=True,
    ):
        assert lines[event.line - 1] == needle


# --- which items are developments --------------------------------------------------------------


def test_nested_list_is_part_of_its_development(read: Reader) -> None:
    body = dev(
        "Ferries to [Gull Rock](region:gull-rock) stop:\n"
        "  - the morning route via [Harbor Point](region:harbor-point);\n"
        "  - the evening route.",
        "**10:00** Roads reopen.",
    )
    site = read({"a.md": article(body)})
    assert len(site.events) == 2
    first = next(e for e in site.events if e.position == 1)
    assert first.regions == ("gull-rock", "harbor-point")
    assert "the evening route" in first.html and "<ul>" in first.html
    assert [e.id for e in site.events if e.position == 2] == ["ev-a-2"]


def test_only_lists_under_a_developments_heading_count(read: Reader) -> None:
    body = (
        "- Before any heading.\n\n"
        "## Closures\n\n- Not a development [x](region:pine-town).\n\n"
        "### developments\n\nTimes below are local.\n\n- One.\n\nMore text.\n\n- Two.\n\n"
        "## Schedule\n\n- Also not one.\n\n"
        "> ## Developments\n>\n> - Inside a blockquote: not one.\n"
    )
    text = article(body)
    site = read({"a.md": text})
    lines = text.split("\n")
    assert sorted(lines[e.line - 1] for e in site.events) == ["- One.", "- Two."]
    assert all(e.regions == ("north",) for e in site.events)  # the reference under Closures: none


def test_development_regions_named_or_default(read: Reader) -> None:
    body = dev(
        "[Pine Town](region:pine-town) and [North](region:north) and [again](region:pine-town).",
        "No reference, said [Mara](speaker:mara-olsen).",
    )
    site = read({"a.md": article(body, regions="[harbor-point, gull-rock]")})
    first, second = sorted(site.events, key=lambda e: e.position)
    assert first.regions == ("pine-town", "north")
    assert second.regions == ("harbor-point", "gull-rock")
    assert second.speakers == ("mara-olsen",)
    # each development once on a shared ancestor; the other branch only from the default
    assert [e.id for e in site.timeline["north"]] == ["ev-a-1", "ev-a-2"]
    assert [e.id for e in site.timeline["islands"]] == ["ev-a-2"]
    assert site.timeline["pine-town"] == (first,)


# --- rendering --------------------------------------------------------------------------------


def test_empty_reference_text_shows_the_name(read: Reader) -> None:
    body = "See [](region:pine-town) and [](speaker:tomas-reyes).\n\n" + dev(
        "**07:45** Snow in [](region:harbor-point)."
    )
    site = read({"a.md": article(body)})
    html = site.articles[0].body_html
    assert ">Pine Town</a>" in html and ">Tomas Reyes</a>" in html
    assert 'href="' + ROOT + "regions/pine-town/" in html
    (event,) = site.events
    assert event.text == "Snow in Harbor Point."
    assert ">Harbor Point</a>" in event.html


def test_raw_html_is_shown_as_text(read: Reader) -> None:
    body = (
        'Intro <script>alert(1)</script> <b>bold</b>\n\n<div onclick="x()">block</div>\n\n'
        + dev("**07:45** Fog <img src=x onerror=alert(1)>.")
        + "\n> <script>q()</script>\n>\n> — [Mara Olsen](speaker:mara-olsen)\n"
    )
    site = read({"a.md": article(body)})
    html = site.articles[0].body_html
    assert "<script" not in html and "<b>" not in html and "<div" not in html and "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;div onclick=&quot;x()&quot;&gt;block&lt;/div&gt;" in html
    (event,) = site.events
    assert "<img" not in event.html and "&lt;img src=x onerror=alert(1)&gt;" in event.html
    (quote,) = site.quotes
    assert "<script" not in quote.html and "&lt;script&gt;" in quote.html


def test_event_html_drops_the_stamp_but_the_article_keeps_it(read: Reader) -> None:
    body = dev("**07:45** Snowploughs cleared [Pine Town](region:pine-town).")
    site = read({"a.md": article(body)})
    (event,) = site.events
    assert event.text == "Snowploughs cleared Pine Town."
    assert event.html.startswith("Snowploughs cleared <a ")
    assert "07:45" not in event.html and "<strong>" not in event.html
    assert '<li id="ev-a-1"><strong>07:45</strong> Snowploughs' in site.articles[0].body_html


def test_event_without_stamp_keeps_all_its_text(read: Reader) -> None:
    body = dev(
        "The port office closed the harbor.",
        "Ferries to [Gull Rock](region:gull-rock) are suspended.",
        "**Breaking:** the ice road is shut.",
    )
    site = read({"a.md": article(body)})
    events = sorted(site.events, key=lambda e: e.position)
    assert [e.text for e in events] == [
        "The port office closed the harbor.",
        "Ferries to Gull Rock are suspended.",
        "Breaking: the ice road is shut.",
    ]
    assert events[0].html == "The port office closed the harbor."
    assert events[1].html.startswith("Ferries to <a ") and events[1].html.count("</a>") == 1
    assert events[2].html.startswith("<strong>Breaking:</strong>")


def test_contributor_text_cannot_forge_the_root_marker(read: Reader) -> None:
    with pytest.raises(ContentError) as caught:
        read({"a.md": article(f"Text {ROOT}regions/x and a [](region:north).\n")})
    (diagnostic,) = caught.value.diagnostics
    assert (diagnostic.line, diagnostic.col) == (7, 6)
    assert "control character" in diagnostic.message
    site = read({"a.md": article("Text and a [](region:north).\n")})
    assert site.articles[0].body_html.count(ROOT) == 1  # only the href the reader wrote


def test_web_links_pass(read: Reader) -> None:
    body = (
        "[a](https://example.org/a) [b](http://example.org/b) "
        "[c](mailto:desk@example.org) [d](#x)\n"
    )
    html = read({"a.md": article(body)}).articles[0].body_html
    for href in ("https://example.org/a", "http://example.org/b", "mailto:desk@example.org", "#x"):
        assert f'href="{href}"' in html


def test_refused_links_are_errors_in_pages_too(read: Reader) -> None:
    page = "---\ntitle: About\n---\n\nSee [x](javascript:alert(1)) and <javascript:alert(2)>.\n"
    with pytest.raises(ContentError) as caught:
        read({"pages/about.md": page})
    assert [(d.path, d.line, d.col) for d in caught.value.diagnostics] == [
        ("content/pages/about.md", 5, 9),
        ("content/pages/about.md", 5, 35),
    ]


def test_refused_link_is_reported_as_written_at_its_column(read: Reader) -> None:
    with pytest.raises(ContentError) as caught:
        read({"a.md": article("A photo: [ice]({attach}images/ice.jpg).\n")})
    (diagnostic,) = caught.value.diagnostics
    assert (diagnostic.line, diagnostic.col) == (7, 16)
    assert "{attach}images/ice.jpg" in diagnostic.message


# --- quotes -----------------------------------------------------------------------------------


def test_quotes_with_and_without_context(read: Reader) -> None:
    body = (
        "> The ice will hold.\n>\n"
        "> — [Mara Olsen](speaker:mara-olsen), at the *harbor* office\n\n"
        "> Levels are rising.\n>\n> -- [Tomas Reyes](speaker:tomas-reyes)\n\n"
        "> First paragraph.\n>\n> Second paragraph.\n>\n> — [](speaker:mara-olsen)\n"
    )
    site = read({"a.md": article(body)})
    quotes = sorted(site.quotes, key=lambda q: q.position)
    got = [(q.id, q.speaker, q.text, q.context) for q in quotes]
    assert got == [
        ("qu-a-1", "mara-olsen", "The ice will hold.", "at the harbor office"),
        ("qu-a-2", "tomas-reyes", "Levels are rising.", ""),
        ("qu-a-3", "mara-olsen", "First paragraph.\n\nSecond paragraph.", ""),
    ]
    first, _, third = quotes
    assert first.context_html == "at the <em>harbor</em> office"
    assert third.html == "<p>First paragraph.</p>\n<p>Second paragraph.</p>"
    assert "speaker:" not in first.html and "—" not in first.html  # the attribution is not text
    html = site.articles[0].body_html
    assert html.count('class="quote"') == 3
    assert '<blockquote id="qu-a-1" class="quote">' in html
    assert '<footer class="attribution">— <cite>' in html


def test_ordinary_blockquotes_are_not_quotes(read: Reader) -> None:
    body = (
        "> Just a notice.\n\n"
        "> Closed for the season.\n>\n> — notice painted on the pier\n\n"
        "> Says who?\n>\n> — [a web page](https://example.org/)\n\n"
        "> The attribution must come last.\n>\n"
        "> — [Mara Olsen](speaker:mara-olsen)\n>\n> More.\n"
    )
    site = read({"a.md": article(body)})
    assert site.quotes == ()
    html = site.articles[0].body_html
    assert html.count("<blockquote>") == 4 and 'class="attribution"' not in html


def test_a_quote_belongs_to_the_article_date(read: Reader) -> None:
    body = dev("**2024-06-19** Earlier.") + "\n> Quoted.\n>\n> — [Mara Olsen](speaker:mara-olsen)\n"
    site = read({"a.md": article(body, date="2024-06-20T19:30:00-05:00")})
    (quote,) = site.quotes
    assert (iso(quote.time), quote.day.isoformat()) == ("2024-06-20T19:30:00-05:00", "2024-06-21")
    assert site.quotes_by_speaker == {"mara-olsen": (quote,), "tomas-reyes": ()}


def test_pages_give_no_developments_or_quotes(read: Reader) -> None:
    page = (
        "---\ntitle: About\n---\n\n"
        + dev("A list item naming no region.")
        + "\n> Hi.\n>\n> — [Mara Olsen](speaker:mara-olsen)\n"
    )
    site = read({"pages/about.md": page, "a.md": article("Text.\n")})
    assert site.events == () and site.quotes == ()
    assert [p.slug for p in site.pages] == ["about"]


# --- ids ----------------------------------------------------------------------------------------


def _ids(site: Any, slug: str) -> dict[str, tuple[str, str, tuple[str, ...]]]:
    items = [e for e in site.events if e.article == slug]
    found = {e.id: (iso(e.time), e.html, e.regions) for e in items}
    found.update(
        {q.id: (iso(q.time), q.html, (q.speaker,)) for q in site.quotes if q.article == slug}
    )
    return found


def test_ids_name_the_article_and_position(read: Reader) -> None:
    body = dev("**08:00** One.", "**07:00** Two.") + "\n> Q.\n>\n> — [](speaker:mara-olsen)\n"
    site = read({"whatever-name.md": article(body, slug="harbor-news")})
    assert [e.id for e in site.events] == ["ev-harbor-news-2", "ev-harbor-news-1"]  # by time
    assert [q.id for q in site.quotes] == ["qu-harbor-news-1"]
    html = site.articles[0].body_html
    assert html.index('id="ev-harbor-news-1"') < html.index('id="ev-harbor-news-2"')


def test_ids_are_stable_when_another_article_is_edited(read: Reader) -> None:
    steady = article(
        dev("**08:00** Ice.", "Snow in [Pine Town](region:pine-town).")
        + "\n> Cold.\n>\n> — [](speaker:mara-olsen)\n"
    )
    other = article(
        dev("Rain.") + "\n> Wet.\n>\n> — [](speaker:tomas-reyes)\n",
        date="2024-01-16T10:00:00+02:00",
    )
    before = _ids(read({"steady.md": steady, "other.md": other}), "steady")
    edited = article(
        dev("**2024-01-01** Much earlier.", "Rain.", "Hail [](region:north).")
        + "\n> New.\n>\n> — [](speaker:mara-olsen)\n\n"
        + "> Wet.\n>\n> — [](speaker:tomas-reyes)\n",
        date="2024-01-14T10:00:00+02:00",
    )
    site = read({"other.md": edited, "new-one.md": article(dev("**09:00** Also ice."))})
    assert len([e for e in site.events if e.article == "other"]) == 3
    assert _ids(site, "steady") == before
    assert set(before) == {"ev-steady-1", "ev-steady-2", "qu-steady-1"}
