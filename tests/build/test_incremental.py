"""Warm builds (content cache + kept pages) give exactly the bytes of a cold build."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from generator.cli import main
from generator.pages import base, data

from ..support import SPEC_SITE, build_site, differences, load_json, project_settings

EDITED = "articles/2024/01/harbor-ice.md"


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(SPEC_SITE / "content", tmp_path / "content")
    monkeypatch.setenv("TIMELINE_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path


def _cold(work: Path, name: str, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("TIMELINE_CACHE_DIR", str(work / f"cache-{name}"))
    assert build_site(work / "content", work / name) == 0
    return work / name


def _inodes(output: Path) -> dict[str, int]:
    return {
        p.relative_to(output).as_posix(): p.stat().st_ino for p in output.rglob("*") if p.is_file()
    }


def test_edit_rebuild_equals_cold_build(work: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    output = work / "output"
    assert build_site(work / "content", output) == 0
    before = _inodes(output)
    article = work / "content" / EDITED
    text = article.read_text()
    edited = text.replace("The fish market at", "The old fish market at", 1)
    assert edited != text
    article.write_text(edited)
    assert build_site(work / "content", output) == 0
    cold = _cold(work, "cold", monkeypatch)
    assert differences(output, cold) == []
    after = _inodes(output)
    unchanged = [n for n in before if n.endswith(".html") and after.get(n) == before[n]]
    rewritten = [n for n in before if n.endswith(".html") and after.get(n) != before[n]]
    assert "speakers/lena-park/index.html" in unchanged  # nothing of hers changed
    assert "articles/harbor-ice.html" in rewritten


def test_an_edit_rerenders_only_the_archive_parts_it_touches(
    work: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    output = work / "output"
    assert build_site(work / "content", output) == 0
    before = _inodes(output)
    article = work / "content" / EDITED
    article.write_text(article.read_text().replace("cleared the road", "cleared the main road"))
    assert build_site(work / "content", output) == 0
    assert differences(output, _cold(work, "cold", monkeypatch)) == []
    after = _inodes(output)
    rewritten = [n for n in before if after.get(n) != before[n]]
    timelines = [n for n in rewritten if re.match(r"(regions|speakers)/[^/]+/", n)]
    parts = [n for n in timelines if not re.search(r"/(index|\d{4}-\d{2})\.html$", n)]
    # the edited development's part on each timeline that shows it, nothing else but first
    # pages and months (they count it): north (day), north-hills (ten days), pine-town (month)
    assert sorted(parts) == ["regions/north-hills/2024-01-11.html", "regions/north/2024-01-15.html"]
    assert "regions/pine-town/2024-01.html" in timelines
    assert "regions/north/2024-06-20.html" not in rewritten


def test_an_edit_splits_only_the_timelines_that_show_the_edited_article(
    work: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A timeline whose records and values are last build's is kept whole on one key: its
    pages are neither split into parts nor fingerprinted one by one."""
    output = work / "output"
    assert build_site(work / "content", output) == 0
    split: list[str] = []
    original = base.timeline_pages

    def recorded(timeline: base.Timeline, *args: object) -> object:
        split.append(f"{timeline.kind}:{timeline.id}")
        return original(timeline, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(base, "timeline_pages", recorded)
    assert build_site(work / "content", output) == 0
    assert split == []  # nothing changed: every timeline kept whole
    article = work / "content" / EDITED
    article.write_text(article.read_text().replace("cleared the road", "cleared the main road"))
    assert build_site(work / "content", output) == 0
    split_by_edit = sorted(split)
    assert differences(output, _cold(work, "cold", monkeypatch)) == []
    shown = {  # the timelines that list the edited article's developments, quotes or itself
        f"region:{region['id']}"
        for region in load_json(output, "data/site.json")["regions"]
        if "harbor-ice" in (output / region["url"]).read_text()
    }
    quoted = {
        f"speaker:{quote['speaker']}"
        for quote in load_json(output, "data/quotes.json")
        if quote["article"] == "harbor-ice"
    }
    assert quoted == {"speaker:mara-olsen"}
    assert "region:cedar-falls" not in shown  # a sibling of pine-town: kept whole
    assert split_by_edit == sorted(shown | quoted)


def test_an_edit_makes_only_the_edited_articles_lines_of_the_data_lists(
    work: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """data/events.json and quotes.json copy every other line from last build's file."""
    settings = project_settings(work, workers=1)  # the data task runs in this process

    def build(output: Path) -> int:
        return main(
            ["build", "--settings", str(settings), "--content", str(work / "content"),
             "--output", str(output)]
        )  # fmt: skip

    output = work / "output"
    assert build(output) == 0
    made: list[str] = []
    for name in ("event_text", "quote_text"):
        original = getattr(data, name)
        monkeypatch.setattr(
            data,
            name,
            lambda site, item, home, f=original: made.append(item.article) or f(site, item, home),
        )
    assert build(output) == 0
    assert made == []  # nothing changed: both files as they were, every line copied
    article = work / "content" / EDITED
    article.write_text(article.read_text().replace("cleared the road", "cleared the main road"))
    assert build(output) == 0
    assert set(made) == {"harbor-ice"}
    events = load_json(output, "data/events.json")
    assert made.count("harbor-ice") == len(
        [e for e in events if e["article"] == "harbor-ice"]
    ) + len([q for q in load_json(output, "data/quotes.json") if q["article"] == "harbor-ice"])
    monkeypatch.undo()
    monkeypatch.setenv("TIMELINE_CACHE_DIR", str(work / "cache-cold"))
    assert build(work / "cold") == 0
    assert differences(output, work / "cold") == []


def test_a_data_list_changed_by_hand_in_the_output_is_made_again(work: Path) -> None:
    output = work / "output"
    assert build_site(work / "content", output) == 0
    events = output / "data" / "events.json"
    expected = events.read_bytes()
    with open(events, "r+b") as file:  # the same inode, another time and bytes
        file.write(b"[{}")
    assert build_site(work / "content", output) == 0
    assert events.read_bytes() == expected


def test_deleting_an_article_removes_its_pages(work: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    output = work / "output"
    assert build_site(work / "content", output) == 0
    assert (output / "articles" / "harbor-ice.html").is_file()
    os.remove(work / "content" / EDITED)
    assert build_site(work / "content", output) == 0
    assert not (output / "articles" / "harbor-ice.html").exists()
    cold = _cold(work, "cold", monkeypatch)
    assert differences(output, cold) == []


def test_a_failed_build_keeps_the_previous_output(work: Path) -> None:
    output = work / "output"
    assert build_site(work / "content", output) == 0
    before = {n: (output / n).read_bytes() for n in _inodes(output)}
    (work / "content" / EDITED).write_text("---\ntitle: broken\n---\n")
    assert build_site(work / "content", output) == 1
    assert {n: (output / n).read_bytes() for n in _inodes(output)} == before
    assert not list(work.glob(".output.*"))


def test_a_forged_cache_is_ignored(work: Path) -> None:
    output = work / "output"
    assert build_site(work / "content", output) == 0
    segments = sorted((work / "cache").glob("content-*/scope-*/documents-*.jsonl"))
    bodies = [segment.read_bytes().partition(b"\n") for segment in segments]
    assert sum(len(body.splitlines()) for _, _, body in bodies) == 9  # 8 articles (1 a draft)
    (pack, (signature, _, body)) = next(  # and the page; forged: the article's segment
        (segment, parts)
        for segment, parts in zip(segments, bodies, strict=True)
        if b"Harbor" in parts[2]
    )
    pack.write_bytes(signature + b"\n" + body.replace(b"Harbor", b"<script>alert(1)</script>"))
    shutil.rmtree(output)
    assert build_site(work / "content", output) == 0
    assert b"<script>alert(1)" not in (output / "articles" / "harbor-ice.html").read_bytes()


def test_a_forged_page_manifest_is_ignored(work: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    output = work / "output"
    assert build_site(work / "content", output) == 0
    (manifest,) = (work / "cache").glob("content-*/pages-*.json")
    signature, _, body = manifest.read_bytes().partition(b"\n")
    # the same fingerprints, but not as this machine signed them: the whole manifest is ignored
    manifest.write_bytes(signature + b"\n" + body.replace(b"{", b"{ ", 1))
    (output / "articles" / "harbor-ice.html").write_text("stale")
    assert build_site(work / "content", output) == 0
    cold = _cold(work, "cold", monkeypatch)
    assert differences(output, cold) == []


@pytest.mark.parametrize(
    "change",
    [
        # The first day moves a year back: every activity chart (region and speaker pages) spans
        # the whole site, so their first pages change though none of their records did.
        (
            "articles/2024/02/gull-rock-lighthouse.md",
            "date: 2024-02-03T00:30:00+03:00",
            "date: 2023-02-03T00:30:00+03:00",
        ),
        # A correction edited: the article, its cards on every page, feeds, corrections page.
        (
            EDITED,
            "  - date: 2024-01-16T10:15:00+02:00\n    text: Ferries",
            "  - date: 2024-01-17T08:00:00+02:00\n    text: All ferries",
        ),
        # A first correction for another article: corrections.html and its feed list it.
        (
            "articles/2024/06/islands/ferry-timetable.md",
            "authors: [C. Writer]",
            "authors: [C. Writer]\ncorrections:\n  - date: 2024-06-11\n    text: Two crossings.",
        ),
        # A key development no longer key; a development cites another source.
        (EDITED, "**07:45** **Key** Snowploughs", "**07:45** Snowploughs"),
        (EDITED, "[chart](source:ice-chart), ", ""),
        # A newer `updated` time: feeds with no entries show the site's newest time.
        (
            "articles/notes/quiet-day.md",
            "date: 2024-07-10",
            "date: 2024-07-10\nupdated: 2024-08-01",
        ),
    ],
)
def test_edits_seen_only_through_the_whole_site_rebuild_equal_cold_builds(
    work: Path, monkeypatch: pytest.MonkeyPatch, change: tuple[str, str, str]
) -> None:
    output = work / "output"
    assert build_site(work / "content", output) == 0
    name, old, new = change
    article = work / "content" / name
    text = article.read_text()
    assert old in text
    article.write_text(text.replace(old, new, 1))
    assert build_site(work / "content", output) == 0
    assert differences(output, _cold(work, "cold", monkeypatch)) == []


def test_the_old_tree_is_parked_in_the_cache_and_removed_by_the_next_build(
    work: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A build parks the tree it replaced in the content's cache folder (a rename), and the
    next build removes it beside its own work: nothing is left beside output/, never more
    than the last old tree in the cache, and the output is the cold build's."""
    output = work / "output"
    assert build_site(work / "content", output) == 0
    (content_cache,) = (work / "cache").glob("content-*")
    assert not list(content_cache.glob("old-output-*"))  # the first build replaced nothing
    article = work / "content" / EDITED
    for old, new in (("cleared the road", "cleared a road"), ("cleared a road", "cleared it")):
        article.write_text(article.read_text().replace(old, new))
        before = list(content_cache.glob("old-output-*"))
        assert build_site(work / "content", output) == 0
        parked = list(content_cache.glob("old-output-*"))
        assert len(parked) == 1 and parked != before  # the earlier one removed
        # the tree it replaced, but for what this build wrote again: its other files are
        # links to the output's, so it holds no bytes of its own (downloads, data lists...)
        assert not (parked[0] / "articles" / "harbor-ice.html").exists()
        assert not (parked[0] / "download" / "timeline-site.zip").exists()
        untouched = "speakers/lena-park/index.html"
        assert (parked[0] / untouched).stat().st_ino == (output / untouched).stat().st_ino
        assert sorted(p.name for p in work.iterdir() if "output" in p.name) == ["output"]
    assert differences(output, _cold(work, "cold", monkeypatch)) == []
    monkeypatch.setenv("TIMELINE_CACHE_DIR", "")  # no cache: removed at once, as before
    article.write_text(article.read_text().replace("cleared it", "cleared the road"))
    assert build_site(work / "content", output) == 0
    assert sorted(p.name for p in work.iterdir() if "output" in p.name) == ["output"]
