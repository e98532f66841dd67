"""After edits, the search index is the last build's patched (render.search.patched_index):
it equals a cold build's index, only the shards holding what changed are written, and
whatever it cannot patch from (an article added, a kept index not signed here, a piece gone)
makes it anew."""

from __future__ import annotations

import random
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from generator.pages import search as search_page
from generator.render import search

from ..support import REPO, build_site, differences

ARTICLES = "articles"


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """120 articles of bench/synth.py: enough documents for dozens of shards."""
    content = tmp_path_factory.mktemp("synthetic") / "content"
    done = subprocess.run(
        [sys.executable, str(REPO / "bench" / "synth.py"), "--articles", "120", "--out", content],
        capture_output=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return content


@pytest.fixture
def work(tmp_path: Path, synthetic: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """That content, with smaller shards than a real site's (more of them), and each index
    made anew counted in a file (the index is made in a forked process)."""
    shutil.copytree(synthetic, tmp_path / "content")
    monkeypatch.setenv("TIMELINE_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(search, "TERM_SHARD_BYTES", 4000)
    monkeypatch.setattr(search, "DOC_SHARD_BYTES", 8000)
    made = tmp_path / "made-anew"
    made.write_text("")
    build_index = search_page.build_index

    def counted(*args: Any) -> Any:
        with made.open("a") as log:
            log.write("made\n")
        return build_index(*args)

    monkeypatch.setattr(search_page, "build_index", counted)
    return tmp_path


def _made_anew(work: Path) -> int:
    return len((work / "made-anew").read_text().splitlines())


def _build(work: Path) -> Path:
    assert build_site(work / "content", work / "output", "--no-download-zip") == 0
    return work / "output"


def _cold(work: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    cold, cache = work / "cold", work / "cache-cold"
    shutil.rmtree(cold, ignore_errors=True)
    shutil.rmtree(cache, ignore_errors=True)
    monkeypatch.setenv("TIMELINE_CACHE_DIR", str(cache))
    assert build_site(work / "content", cold, "--no-download-zip") == 0
    monkeypatch.setenv("TIMELINE_CACHE_DIR", str(work / "cache"))
    return cold


def _shards(output: Path) -> dict[str, int]:
    return {p.name: p.stat().st_ino for p in (output / "search").iterdir()}


def _edit(content: Path, rng: random.Random, round_: int) -> None:
    """One edit that keeps every article's developments and quotes, to one of a few articles
    (so that later edits undo earlier ones): words added to a development, a quote or a
    summary; words added before taken away; a summary said in other words (those it had are
    gone from the article's document)."""
    files = sorted((content / ARTICLES).rglob("*.md"))[:5]
    file = rng.choice(files)
    lines = file.read_text(encoding="utf-8").split("\n")
    added = [i for i, line in enumerate(lines) if " quokka" in line]
    kind = rng.choice(["add", "add", "take-away", "summary"])
    if kind == "take-away" and added:
        i = rng.choice(added)
        lines[i] = lines[i].split(" quokka")[0]
    elif kind == "summary":
        i = next(i for i, line in enumerate(lines) if line.startswith("summary: "))
        lines[i] = f"summary: Quiet day {round_} on the quay."
    else:
        places = [i for i, line in enumerate(lines) if line.startswith(("- ", "> ", "summary: "))]
        i = rng.choice(places)
        lines[i] += f" quokka{round_} {rng.choice(['harbor', 'ice', 'ferry', 'Ærøskøbing'])}"
    file.write_text("\n".join(lines), encoding="utf-8")


def test_edits_patch_the_index_which_equals_a_cold_builds(
    work: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    output = _build(work)
    assert _made_anew(work) == 1
    rng = random.Random(15)
    for round_ in range(8):
        _edit(work / "content", rng, round_)
        before, made = _shards(output), _made_anew(work)  # (each cold build makes one)
        _build(work)
        assert _made_anew(work) == made, f"edit {round_}: the index was made anew"
        assert differences(output, _cold(work, monkeypatch)) == [], f"edit {round_}"
        after = _shards(output)
        written = [name for name, inode in after.items() if before.get(name) != inode]
        assert "index.js" in after and len(after) > 20
        assert len(written) < len(after) / 2, f"edit {round_}: {len(written)} files written"


def test_an_added_article_makes_the_index_anew(work: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    output = _build(work)
    source = sorted((work / "content" / ARTICLES).rglob("*.md"))[40]
    added = source.with_name(f"more-{source.name}")
    text = source.read_text(encoding="utf-8")
    added.write_text(text.replace("summary: ", "summary: More on this. ", 1), encoding="utf-8")
    _build(work)
    assert _made_anew(work) == 2
    assert differences(output, _cold(work, monkeypatch)) == []
    # the next edit patches the index made anew
    _edit(work / "content", random.Random(5), 0)
    made = _made_anew(work)
    _build(work)
    assert _made_anew(work) == made
    assert differences(output, _cold(work, monkeypatch)) == []


@pytest.mark.parametrize("fault", ["kept-index-not-signed-here", "pieces-gone"])
def test_what_cannot_be_patched_from_makes_the_index_anew(
    work: Path, monkeypatch: pytest.MonkeyPatch, fault: str
) -> None:
    output = _build(work)
    (kept,) = (work / "cache").rglob(f"task-{search_page.KEPT}")
    if fault == "kept-index-not-signed-here":
        signature, _, body = kept.read_bytes().partition(b"\n")
        kept.write_bytes(signature + b"\n" + body.replace(b"quokka", b"quokkb") + b" ")
    else:
        for pieces in kept.parent.glob("pieces-search-*.json"):
            pieces.unlink()
    _edit(work / "content", random.Random(3), 0)
    _build(work)
    assert _made_anew(work) == 2
    assert differences(output, _cold(work, monkeypatch)) == []
