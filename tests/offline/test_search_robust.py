"""The search page when things go wrong or get big: a shard that does not load, a query typed
while the shards of the one before still load, more documents than a sort key had room for, a
shard call that names no kind of ours; and words folded alike however they were typed."""

from __future__ import annotations

import shutil
import unicodedata
from pathlib import Path
from typing import Any

import pytest

from generator.render import search
from generator.render.search import script_json, words

from .support import Problems, build
from .test_search_shards import DONE, links, open_search

# Scripts the page appends to <head> (the shards), in order; with `window.__hold` set, each is
# appended that many milliseconds late, as from a slow disk.
HOLD_SCRIPTS = """
window.__appended = [];
const append = HTMLHeadElement.prototype.appendChild;
HTMLHeadElement.prototype.appendChild = function (node) {
  if (node.tagName === "SCRIPT" && node.src) {
    window.__appended.push(node.src);
    if (window.__hold) {
      setTimeout(() => append.call(this, node), window.__hold);
      return node;
    }
  }
  return append.call(this, node);
};
"""


def _open_ready(page: Any, site: Path) -> None:
    """The search page, its index's manifest loaded (no query)."""
    page.goto((site / "search.html").as_uri())
    page.wait_for_selector("#search-form[data-ready='true']")


def test_words_are_cut_alike_however_the_apostrophe_or_sigma_was_typed() -> None:
    # the modifier letter apostrophe (a letter to Unicode) is the Ukrainian apostrophe
    assert words("Марʼянка") == words("Мар'янка") == words("Мар’янка") == ["мар", "янка"]
    assert words("Marʼinka") == words("Mar'inka") == ["mar", "inka"]
    # lower() gives a final sigma only at a word's end as it sees it: "ΟΔΟΣ's" has none
    assert words("ΟΔΟΣ's")[0] == words("ΟΔΟΣ")[0] == words("οδος")[0] == "οδοσ"


@pytest.mark.browser
def test_the_page_folds_apostrophes_and_sigma_as_the_build_does(
    demo_site: Path, browser_page: tuple[Any, Problems]
) -> None:
    page, problems = browser_page
    _open_ready(page, demo_site)
    for sample in ("Марʼянка ΟΔΟΣ's", "Mar’inka Marʼinka"):
        expected = list(dict.fromkeys(words(sample)))
        assert page.evaluate("s => window.TimelineSearch.queryTerms(s)", sample) == expected
    assert problems.lines == []


@pytest.mark.browser
def test_the_page_folds_every_character_as_the_build_does(
    demo_site: Path, browser_page: tuple[Any, Problems]
) -> None:
    """Each assigned code point between two letters: cut, folded and kept or dropped alike."""
    page, problems = browser_page
    _open_ready(page, demo_site)
    samples = [
        f"a{chr(c)}b"
        for c in range(0x20, 0x30000)
        if unicodedata.category(chr(c)) not in ("Cn", "Cs", "Co")
    ]
    found = page.evaluate("ss => ss.map(window.TimelineSearch.queryTerms)", samples)
    expected = [list(dict.fromkeys(words(s))) for s in samples]  # a query's words: each once
    differ = [d for d in zip(samples, expected, found, strict=True) if d[1] != d[2]]
    assert differ == [], differ[:20]
    assert problems.lines == []


@pytest.mark.browser
def test_phrases_ignore_punctuation_and_empty_or_long_queries_end(
    demo_site: Path, browser_page: tuple[Any, Problems]
) -> None:
    page, problems = browser_page
    quote = "articles/bakhmut-battle.html#qu-bakhmut-battle-1"
    assert open_search(page, demo_site, "q=%22We%E2%80%99re+seeing+a+very%22") == [quote]
    assert open_search(page, demo_site, "q=%22very,+tough;+battle!%22") == [quote]
    # «guillemets», as Ukrainian and Russian write quotes: a phrase too, in its order only
    assert open_search(page, demo_site, "q=%C2%ABseeing+a+very%C2%BB") == [quote]
    assert open_search(page, demo_site, "q=%C2%ABvery+a+seeing%C2%BB") == []
    assert open_search(page, demo_site, "q=%22%22+!!+%E2%80%94") == []
    assert page.text_content("#search-status") == "Type a word or pick a filter."
    # 3,000 words, 20 of them searched: an answer, not a hang
    long = "+".join(f"w{n}x" for n in range(3000))
    assert open_search(page, demo_site, f"q=tough+{long}") == []
    assert page.text_content("#search-status") == "No results."
    assert problems.lines == []


@pytest.fixture(scope="module")
def sharded_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo site with small shards: a query loads several, different queries different ones."""
    output = tmp_path_factory.mktemp("sharded") / "output"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(search, "TERM_SHARD_BYTES", 400)
        patch.setattr(search, "DOC_SHARD_BYTES", 400)
        build(output)
    assert len(list((output / "search").glob("terms-*.js"))) > 5
    return output


def _shard_of(site: Path, word: str) -> Path:
    for shard in sorted((site / "search").glob("terms-*.js")):
        if f'"{word}",' in shard.read_text("utf-8"):
            return shard
    raise AssertionError(word)


@pytest.mark.browser
def test_a_shard_that_does_not_load_says_so(
    sharded_site: Path, tmp_path: Path, browser_page: tuple[Any, Problems]
) -> None:
    page, _ = browser_page  # the missing file is a failed request: no problem of the page's
    site = shutil.copytree(sharded_site, tmp_path / "site")
    _shard_of(site, "shelling").unlink()
    page.goto((site / "search.html").as_uri() + "?q=shelling")
    page.wait_for_selector("#search-form[data-ready='error']", timeout=5_000)
    assert page.text_content("#search-status") == (
        "The search index did not load. Browse the regions, speakers and days instead."
    )
    assert links(page) == []


@pytest.mark.browser
def test_a_missing_manifest_says_so(
    demo_site: Path, tmp_path: Path, browser_page: tuple[Any, Problems]
) -> None:
    page, _ = browser_page
    site = shutil.copytree(demo_site, tmp_path / "site")
    (site / "search" / "index.js").unlink()
    page.goto((site / "search.html").as_uri() + "?q=shelling")
    page.wait_for_selector("#search-form[data-ready='error']", timeout=5_000)
    assert "did not load" in page.text_content("#search-status")


@pytest.mark.browser
def test_a_broken_shard_is_asked_for_again_by_the_next_query(
    sharded_site: Path, tmp_path: Path, browser_page: tuple[Any, Problems]
) -> None:
    page, problems = browser_page
    site = shutil.copytree(sharded_site, tmp_path / "site")
    shard = _shard_of(site, "shelling")
    whole = shard.read_bytes()
    shard.write_bytes(whole[: len(whole) // 2])  # cut short: loads, but calls nothing
    page.goto((site / "search.html").as_uri() + "?q=shelling")
    page.wait_for_selector("#search-form[data-ready='error']", timeout=5_000)
    shard.write_bytes(whole)
    page.fill("#search-q", "shellin")
    page.press("#search-q", "g")
    page.wait_for_selector(DONE)
    assert len(links(page)) > 3
    assert len(problems.lines) == 1 and problems.lines[0].startswith("page error:")  # the cut


@pytest.mark.browser
def test_a_query_typed_while_the_one_before_loads_wins(
    sharded_site: Path, browser_page: tuple[Any, Problems]
) -> None:
    page, problems = browser_page
    page.add_init_script(HOLD_SCRIPTS)
    kyrylenko = open_search(page, sharded_site, "q=kyrylenko")
    assert kyrylenko and _shard_of(sharded_site, "shelling") != _shard_of(sharded_site, "kyrylenko")
    page.goto((sharded_site / "search.html").as_uri())
    page.wait_for_selector("#search-form[data-ready='true']")
    page.evaluate("window.__hold = 600")  # the first query's shards come late
    page.fill("#search-q", "shelling")
    page.press("#search-q", "Enter")  # the same shards asked for again while they load
    page.evaluate("window.__hold = 0")
    page.fill("#search-q", "kyrylenko")
    page.wait_for_selector(DONE)
    assert links(page) == kyrylenko
    page.wait_for_function(  # every late script is in the page
        "() => window.__appended.length === "
        'document.querySelectorAll(\'script[src*="/search/terms-"], '
        'script[src*="/search/docs-"]\').length'
    )
    page.wait_for_timeout(200)  # the late shards are in: nothing of the first query shows
    assert links(page) == kyrylenko
    assert page.input_value("#search-q") == "kyrylenko"
    assert page.get_attribute("#search-form", "data-results") == "done"
    appended: list[str] = page.evaluate("window.__appended")
    assert len(appended) == len(set(appended))  # each shard asked for once
    assert problems.lines == []


@pytest.mark.browser
def test_a_shard_call_cannot_reach_objects_prototype(
    demo_site: Path, browser_page: tuple[Any, Problems]
) -> None:
    page, problems = browser_page
    _open_ready(page, demo_site)
    polluted = page.evaluate(
        """() => {
          window.TIMELINE_SEARCH_SHARD("__proto__", 0, ["x"]);
          window.TIMELINE_SEARCH_SHARD("constructor", 1, ["y"]);
          return [({})[0] !== undefined, Object[1] !== undefined];
        }"""
    )
    assert polluted == [False, False]
    assert problems.lines == []


BIG = 2**20 + 4  # more documents than the sort keys once had 20 bits for


@pytest.fixture(scope="module")
def big_index_site(demo_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo site's page with an index of one article and BIG developments, the last of
    which alone holds "needle" (its number is 4 past 2^20)."""
    site = shutil.copytree(demo_site, tmp_path_factory.mktemp("big-index") / "site")
    shutil.rmtree(site / "search")
    (site / "search").mkdir()
    needle = BIG  # document number: the article is 0, developments 1 … BIG
    files = {
        f"{kind}-{n}.js": f'window.TIMELINE_SEARCH_SHARD("{kind}",{n},{script_json(items)});\n'
        for kind, n, items in [
            ("terms", 0, ["needle", search._varints([needle])]),
            ("docs", 0, [["a", "Article A", "", [], []]]),
            ("docs", 1, [[0, 7, "A needle in a haystack", []]]),
        ]
    }
    manifest = {
        "version": 2,
        "title": "Big",
        "urls": {
            "region": "regions/{id}/index.html",
            "speaker": "speakers/{id}/index.html",
            "article": "articles/{slug}.html",
            "event": "ev-{slug}-{n}",
            "quote": "qu-{slug}-{n}",
            "day": "days/{date}.html",
            "terms": "search/terms-{n}.js",
            "docs": "search/docs-{n}.js",
        },
        "regions": [],
        "speakers": [],
        "counts": [0, 0, 1, BIG, 0, 0],
        "days": [[19000, 1], [19000, BIG - 1, 1, 1], [], []],
        "termShards": [["needle", 80]],
        "docShards": [[0, 70], [needle, 70]],
    }
    files["index.js"] = f"window.TIMELINE_SEARCH = {script_json(manifest)};\n"
    for name, text in files.items():
        (site / "search" / name).write_text(text, encoding="utf-8")
    return site


@pytest.mark.browser
@pytest.mark.parametrize("order", ["", "sort=new", "sort=old", "group=1"])
def test_more_than_a_million_documents_keep_their_own_numbers(
    big_index_site: Path, browser_page: tuple[Any, Problems], order: str
) -> None:
    page, problems = browser_page
    assert open_search(page, big_index_site, f"q=needle&{order}") == ["articles/a.html#ev-a-7"]
    page.wait_for_selector(DONE)
    assert page.text_content("#search-status") == "1 result."
    assert problems.lines == []
