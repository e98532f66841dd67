"""The search index: what it holds, how it is encoded, and that content cannot break out of it."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from generator.pipeline import check
from generator.render.search import (
    build_index,
    index_script,
    normalise,
    read_varints,
    script_json,
    words,
)

from .support import DEMO_CONTENT, REPO, build

HOSTILE = "</script><script>alert(1)</script><!-- Bakhmut\u2028line"


def load_index(site: Path) -> dict[str, Any]:
    text = (site / "search" / "index.js").read_text(encoding="utf-8")
    prefix = "window.TIMELINE_SEARCH = "
    start = text.index(prefix) + len(prefix)
    assert text.rstrip().endswith(";")
    return json.loads(text[start : text.rstrip().rindex(";")])


def test_normalise_folds_case_and_diacritics() -> None:
    assert normalise("Ĉafé ÑANDÚ Zelenskyy’s") == "cafe nandu zelenskyy’s"
    assert words("Zelenskyy's Kyïv, 93rd — Brigade!") == [
        "zelenskyy",
        "s",
        "kyiv",
        "93rd",
        "brigade",
    ]
    assert words("Мар'янка ЇЖАК") == ["мар", "янка", "іжак"]


def test_script_json_cannot_close_a_script_or_open_a_comment() -> None:
    nasty = "</script><script>alert(1)</script><!-- & > \u2028 \u2029 ]]>"
    text = script_json({"t": nasty})
    for raw in ("<", ">", "&", "\u2028", "\u2029"):
        assert raw not in text
    assert json.loads(text) == {"t": nasty}
    assert index_script({"t": nasty}).startswith("/*")


def test_demo_index_holds_every_document_kind(demo_site: Path) -> None:
    index = load_index(demo_site)
    site = json.loads((demo_site / "data" / "site.json").read_text())
    assert [r[0] for r in index["regions"]] == [r["id"] for r in site["regions"]]
    assert [s[0] for s in index["speakers"]] == [s["id"] for s in site["speakers"]]
    assert [a[0] for a in index["articles"]] == [a["slug"] for a in site["articles"]]
    events = json.loads((demo_site / "data" / "events.json").read_text())
    quotes = json.loads((demo_site / "data" / "quotes.json").read_text())
    assert len(index["events"]) == len(events) and len(index["quotes"]) == len(quotes)
    donetsk = next(r for r in index["regions"] if r[0] == "donetsk")
    assert donetsk[3] == ["Donetsk region"]  # aliases are searchable and shown
    assert index["urls"]["article"] == "articles/{slug}.html"


def test_postings_point_at_documents_holding_the_word(demo_site: Path) -> None:
    index = load_index(demo_site)
    terms = index["terms"]
    assert terms == sorted(terms, key=lambda t: t.encode("utf-16-be"))
    starts = {"speakers": len(index["regions"])}
    starts["articles"] = starts["speakers"] + len(index["speakers"])
    starts["events"] = starts["articles"] + len(index["articles"])
    starts["quotes"] = starts["events"] + len(index["events"])
    article = [a[0] for a in index["articles"]].index("bakhmut-battle")
    speaker = starts["speakers"] + [s[0] for s in index["speakers"]].index("pavlo-kyrylenko")
    event = starts["events"] + next(
        i for i, e in enumerate(index["events"]) if e[0] == article and e[1] == 3
    )
    quote = starts["quotes"] + next(
        i for i, q in enumerate(index["quotes"]) if q[0] == article and q[1] == 1
    )
    found = read_varints(index["postings"][terms.index("kyrylenko")])
    assert found == sorted(found)
    assert {speaker, event, quote} <= set(found)  # the quote: by its speaker's name
    paraskoviivka = [r[0] for r in index["regions"]].index("paraskoviivka")
    assert paraskoviivka in read_varints(index["postings"][terms.index("paraskoviivka")])


def test_event_and_quote_urls_resolve_to_anchors(demo_site: Path) -> None:
    index = load_index(demo_site)
    events = json.loads((demo_site / "data" / "events.json").read_text())
    for row, event in zip(index["events"], events, strict=True):
        slug = index["articles"][row[0]][0]
        anchor = row[1] if isinstance(row[1], str) else f"ev-{slug}-{row[1]}"
        # search links the article at the anchor; data/events.json's url is the permalink
        assert anchor == event["id"] and event["url"].endswith(f"#{anchor}")
        assert f'id="{anchor}"' in (demo_site / f"articles/{slug}.html").read_text()


def test_build_index_matches_the_written_file(demo_site: Path) -> None:
    from generator.pipeline import load_settings

    settings = load_settings(REPO / "pelicanconf.py", {"PATH": str(DEMO_CONTENT)})
    assert build_index(check(settings)) == load_index(demo_site)


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A site whose title, summary and quote try to end the script and open a comment."""
    root = tmp_path_factory.mktemp("hostile")
    content = root / "content"
    shutil.copytree(DEMO_CONTENT, content)
    article = content / "articles" / "2023" / "02" / "13" / "bakhmut-battle.md"
    text = re.sub(
        r"^title: .*$",
        lambda _: f"title: {json.dumps(HOSTILE)}",
        article.read_text("utf-8"),
        count=1,
        flags=re.M,
    )
    text = text.replace(
        "> We're seeing a very tough battle", "> We're seeing </script><!-- a very tough battle", 1
    )
    article.write_text(text, encoding="utf-8")
    output = root / "output"
    build(output, content)
    return output


def test_hostile_text_stays_data(hostile_site: Path) -> None:
    raw = (hostile_site / "search" / "index.js").read_text(encoding="utf-8")
    assert "</" not in raw and "<!--" not in raw and "\u2028" not in raw
    index = load_index(hostile_site)
    titles = [a[1] for a in index["articles"]]
    assert HOSTILE in titles


@pytest.mark.browser
def test_hostile_text_is_shown_as_text(hostile_site: Path, browser_page: Any) -> None:
    page, problems = browser_page
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto((hostile_site / "search.html").as_uri() + "?q=alert")
    page.wait_for_selector("#search-form[data-ready='true']")
    link = page.locator("#search-results a").first
    assert link.text_content() == HOSTILE
    assert page.locator("#search-results script").count() == 0
    assert dialogs == [] and problems.lines == []


@pytest.mark.browser
def test_browser_and_build_fold_words_alike(demo_site: Path, browser_page: Any) -> None:
    page, _ = browser_page
    page.goto((demo_site / "search.html").as_uri())
    page.wait_for_selector("#search-form[data-ready='true']")
    samples = [
        "Ĉafé ÑANDÚ",
        "Zelenskyy's Kyïv",
        "Мар'янка ЇЖАК",
        "İstanbul ǅemal",
        "ﬁre ²3",
        "Bakhmut—Paraskoviivka",
        "naïve façade Ærø Øresund ŁÓDŹ",
        "Ελληνικά ΆΈΉ",
    ]
    for sample in samples:
        expected = list(dict.fromkeys(words(sample)))
        assert page.evaluate("s => window.TimelineSearch.queryTerms(s)", sample) == expected, sample
