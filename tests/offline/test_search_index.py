"""The search index: what it holds, how it is encoded, and that content cannot break out of it."""

from __future__ import annotations

import json
import re
import shutil
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from generator.pipeline import check
from generator.render import search
from generator.render.search import (
    INDEX_FILE,
    build_index,
    index_files,
    normalise,
    read_varints,
    script_json,
    words,
)

from .support import DEMO_CONTENT, REPO, build

HOSTILE = "</script><script>alert(1)</script><!-- Bakhmut\u2028line"
SHARD_CALL = re.compile(r'^window\.TIMELINE_SEARCH_SHARD\("(terms|docs)",(\d+),(.*)\);\n$', re.S)


def read_files(site: Path) -> dict[str, str]:
    """Every file of the search index in an output, by output name."""
    folder = site / "search"
    return {f"search/{p.name}": p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.js"))}


def parse(files: dict[str, str]) -> dict[str, Any]:
    """The manifest, with the shards' contents put back together: `terms`, `postings` and
    `rows` (the document store, from the first article on)."""
    text = files[INDEX_FILE]
    prefix = "window.TIMELINE_SEARCH = "
    start = text.index(prefix) + len(prefix)
    assert text.rstrip().endswith(";")
    manifest: dict[str, Any] = json.loads(text[start : text.rstrip().rindex(";")])
    terms: list[str] = []
    postings: list[str] = []
    rows: list[Any] = []
    for n, (first, size) in enumerate(manifest["termShards"]):
        name = manifest["urls"]["terms"].format(n=n)
        match = SHARD_CALL.match(files[name])
        assert match and match[1] == "terms" and int(match[2]) == n
        assert len(files[name].encode()) == size
        items = json.loads(match[3])
        assert items[0] == first
        terms += items[0::2]
        postings += items[1::2]
    for n, (first, size) in enumerate(manifest["docShards"]):
        name = manifest["urls"]["docs"].format(n=n)
        match = SHARD_CALL.match(files[name])
        assert match and match[1] == "docs" and int(match[2]) == n
        assert len(files[name].encode()) == size
        counts = manifest["counts"]
        assert first == counts[0] + counts[1] + len(rows)
        rows += json.loads(match[3])
    assert len(files) == 1 + len(manifest["termShards"]) + len(manifest["docShards"])
    return {**manifest, "terms": terms, "postings": postings, "rows": rows}


def load_index(site: Path) -> dict[str, Any]:
    return parse(read_files(site))


def kinds(index: dict[str, Any]) -> dict[str, list[Any]]:
    """The rows of each kind, and where each kind's document numbers start."""
    regions, speakers, articles, events = index["counts"][:4]
    rows = index["rows"]
    return {
        "articles": rows[:articles],
        "events": rows[articles : articles + events],
        "quotes": rows[articles + events :],
        "starts": [
            0,
            regions,
            regions + speakers,
            regions + speakers + articles,
            regions + speakers + articles + events,
        ],
    }


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


def test_demo_index_holds_every_document_kind(demo_site: Path) -> None:
    index = load_index(demo_site)
    site = json.loads((demo_site / "data" / "site.json").read_text())
    assert [r[0] for r in index["regions"]] == [r["id"] for r in site["regions"]]
    assert [s[0] for s in index["speakers"]] == [s["id"] for s in site["speakers"]]
    rows = kinds(index)
    assert [a[0] for a in rows["articles"]] == [a["slug"] for a in site["articles"]]
    events = json.loads((demo_site / "data" / "events.json").read_text())
    quotes = json.loads((demo_site / "data" / "quotes.json").read_text())
    assert len(rows["events"]) == len(events) and len(rows["quotes"]) == len(quotes)
    assert index["counts"][5] == len(site["days"])
    donetsk = next(r for r in index["regions"] if r[0] == "donetsk")
    assert donetsk[3] == ["Donetsk region"]  # aliases are searchable and shown
    assert index["urls"]["article"] == "articles/{slug}.html"
    assert index["urls"]["day"] == "days/{date}.html"


def test_day_runs_give_every_document_its_day(demo_site: Path) -> None:
    index = load_index(demo_site)
    site = json.loads((demo_site / "data" / "site.json").read_text())
    events = json.loads((demo_site / "data" / "events.json").read_text())

    def days(runs: list[int]) -> list[str]:
        out, day = [], 0
        for gap, count in zip(runs[0::2], runs[1::2], strict=True):
            day += gap
            out += [(date(1970, 1, 1) + timedelta(days=day)).isoformat()] * count
        return out

    assert days(index["days"][0]) == [a["date"][:10] for a in site["articles"]]
    assert days(index["days"][1]) == [e["day"] for e in events]
    assert days(index["days"][3]) == [d["date"] for d in site["days"]]


def test_postings_point_at_documents_holding_the_word(demo_site: Path) -> None:
    index = load_index(demo_site)
    terms = index["terms"]
    assert terms == sorted(terms, key=lambda t: t.encode("utf-16-be"))
    rows, starts = kinds(index), kinds(index)["starts"]
    article = [a[0] for a in rows["articles"]].index("bakhmut-battle")
    speaker = starts[1] + [s[0] for s in index["speakers"]].index("pavlo-kyrylenko")
    event = starts[3] + next(
        i for i, e in enumerate(rows["events"]) if e[0] == article and e[1] == 3
    )
    quote = starts[4] + next(
        i for i, q in enumerate(rows["quotes"]) if q[0] == article and q[1] == 1
    )
    found = read_varints(index["postings"][terms.index("kyrylenko")])
    assert found == sorted(found)
    assert {speaker, event, quote} <= set(found)  # the quote: by its speaker's name
    paraskoviivka = [r[0] for r in index["regions"]].index("paraskoviivka")
    assert paraskoviivka in read_varints(index["postings"][terms.index("paraskoviivka")])
    # filter terms: the speaker's own document, its quote; the region's, its developments
    by_speaker = set(read_varints(index["postings"][terms.index(f"~s{speaker - starts[1]}")]))
    assert {speaker, quote} <= by_speaker
    by_region = set(read_varints(index["postings"][terms.index(f"~r{paraskoviivka}")]))
    assert paraskoviivka in by_region and starts[2] + article in by_region
    # days: the first day's document holds its year, month number and name
    first_day = date.fromisoformat(
        json.loads((demo_site / "data" / "site.json").read_text())["days"][0]["date"]
    )
    number = sum(index["counts"][:5])
    for word in (str(first_day.year), f"{first_day.month:02}", first_day.strftime("%B").lower()):
        assert number in read_varints(index["postings"][terms.index(word)])


def test_event_and_quote_urls_resolve_to_anchors(demo_site: Path) -> None:
    index = load_index(demo_site)
    rows = kinds(index)
    events = json.loads((demo_site / "data" / "events.json").read_text())
    for row, event in zip(rows["events"], events, strict=True):
        slug = rows["articles"][row[0]][0]
        anchor = row[1] if isinstance(row[1], str) else f"ev-{slug}-{row[1]}"
        # search links the article at the anchor; data/events.json's url is the permalink
        assert anchor == event["id"] and event["url"].endswith(f"#{anchor}")
        assert f'id="{anchor}"' in (demo_site / f"articles/{slug}.html").read_text()
        assert row[2] == event["text"]  # the whole text: phrases are checked against it


def test_build_index_matches_the_written_files(demo_site: Path) -> None:
    from generator.pipeline import load_settings

    settings = load_settings(REPO / "pelicanconf.py", {"PATH": str(DEMO_CONTENT)})
    assert index_files(build_index(check(settings))) == read_files(demo_site)


def test_shards_are_bounded_and_every_term_and_row_is_found(
    demo_site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Small shards (the demo is small): every term lies in the shard the manifest's first
    terms point to, every row in the shard its number points to, sizes within the bound."""
    from generator.pipeline import load_settings

    monkeypatch.setattr(search, "TERM_SHARD_BYTES", 600)
    monkeypatch.setattr(search, "DOC_SHARD_BYTES", 900)
    settings = load_settings(REPO / "pelicanconf.py", {"PATH": str(DEMO_CONTENT)})
    files = index_files(build_index(check(settings)))
    index = parse(files)
    assert len(index["termShards"]) > 5 and len(index["docShards"]) > 3
    firsts = [first for first, _ in index["termShards"]]
    assert firsts == sorted(firsts, key=lambda t: t.encode("utf-16-be"))
    for n, (_, size) in enumerate(index["termShards"]):
        items = json.loads(SHARD_CALL.match(files[f"search/terms-{n}.js"])[3])  # type: ignore[index]
        wrapper = len(f'window.TIMELINE_SEARCH_SHARD("terms",{n},[]);\n')
        assert size <= 600 + wrapper or len(items) == 2  # one term bigger than a shard
        for term in items[0::2]:
            # the shard the browser picks: the last whose first term is <= the term
            key = term.encode("utf-16-be")
            picked = max(i for i, f in enumerate(firsts) if f.encode("utf-16-be") <= key)
            assert picked == n, term
    starts = [first for first, _ in index["docShards"]]
    for _, size in index["docShards"]:
        assert size <= 900 + 60
    number = starts[0]
    for row in index["rows"]:
        shard = max(i for i, s in enumerate(starts) if s <= number)
        items = json.loads(SHARD_CALL.match(files[f"search/docs-{shard}.js"])[3])  # type: ignore[index]
        assert items[number - starts[shard]] == row
        number += 1
    assert parse(files)["terms"] == parse(read_files(demo_site))["terms"]
    assert parse(files)["rows"] == parse(read_files(demo_site))["rows"]


def test_cuts_keep_order_and_bound() -> None:
    unmarked = [False] * 7
    assert search._cuts([], [], 10) == []
    assert search._cuts([4, 4, 4, 20, 1, 9, 1], unmarked, 10) == [0, 2, 3, 4, 6]
    assert search._cuts([30], [False], 10) == [0]


def test_cuts_past_three_quarters_of_the_bound_fall_before_marked_items() -> None:
    marked = [False, False, False, True, False, False, True, False, False, True]
    assert search._cuts([3] * 10, marked, 12) == [0, 3, 6, 9]  # 9 bytes each: at the marks
    assert search._cuts([2] * 10, marked, 12) == [0, 6]  # 6 bytes at the first mark: too few


def test_a_grown_item_moves_no_cut_but_near_it() -> None:
    """What an edit does to a shard's items: with marks, the cuts past the next shard or two
    stay where they were; cut by size alone, every one after it would move."""
    sizes = [100 + (7 * i) % 50 for i in range(400)]
    marked = [i % 2 == 0 for i in range(400)]  # a mark every ~250 bytes
    grown = list(sizes)
    grown[5] += 40

    def far(cuts: list[int]) -> list[int]:
        return [cut for cut in cuts if cut >= 100]

    before, after = search._cuts(sizes, marked, 1000), search._cuts(grown, marked, 1000)
    assert far(after) == far(before) and len(before) > 30
    unmarked = [False] * 400
    assert far(search._cuts(grown, unmarked, 1000)) != far(search._cuts(sizes, unmarked, 1000))


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
    for raw in read_files(hostile_site).values():
        assert "</" not in raw and "<!--" not in raw and "\u2028" not in raw
    index = load_index(hostile_site)
    titles = [a[1] for a in kinds(index)["articles"]]
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
