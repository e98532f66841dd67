"""Per-record pieces kept on disk between build processes: used only when signed here, never
for an edited article, and a warm build that used them equals a cold build."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from markupsafe import Markup

from generator.build.pieces import StoredPieces

from ..support import REPO, SPEC_SITE, build_site, differences

EDITED = "articles/2024/01/harbor-ice.md"


def _made(value: object, calls: list[object]) -> object:
    calls.append(value)
    return value


def test_pieces_are_read_back_by_the_next_process(tmp_path: Path) -> None:
    first, calls = StoredPieces(tmp_path), list[object]()
    assert first.get(("event-json", "e1", "d1"), lambda: _made("{}", calls)) == "{}"
    assert first.get(("search-event", "e1", "d1"), lambda: _made((["r"], ("w",)), calls))
    first.save()
    second = StoredPieces(tmp_path)
    assert second.get(("event-json", "e1", "d1"), lambda: _made("other", calls)) == "{}"
    assert second.get(("search-event", "e1", "d1"), lambda: _made("other", calls)) == [
        ["r"],
        ["w"],
    ]  # a tuple comes back a list: pieces go into JSON, where both are the same
    assert calls == ["{}", (["r"], ("w",))]  # nothing made again


def test_another_digest_is_made_again_and_the_old_piece_dropped(tmp_path: Path) -> None:
    first = StoredPieces(tmp_path)
    first.get(("event-json", "e1", "old"), lambda: "old")
    first.get(("event-json", "e2", "same"), lambda: "kept")
    first.save()
    second = StoredPieces(tmp_path)
    assert second.get(("event-json", "e1", "new"), lambda: "new") == "new"
    assert second.get(("event-json", "e2", "same"), lambda: "made") == "kept"
    second.save()
    third = StoredPieces(tmp_path)
    assert third.get(("event-json", "e1", "old"), lambda: "made again") == "made again"


def test_an_edit_rewrites_only_the_file_holding_its_pieces(tmp_path: Path) -> None:
    first = StoredPieces(tmp_path)
    for number in range(200):
        first.get(("event-json", f"e{number}", "d"), lambda: "x")
    first.save()
    files = {p.name: p.stat().st_ino for p in tmp_path.glob("pieces-event-json-*.json")}
    assert len(files) > 1
    second = StoredPieces(tmp_path)
    for number in range(200):  # e7's article was edited: its digest is new
        digest = "new" if number == 7 else "d"
        assert second.get(("event-json", f"e{number}", digest), lambda: "y") == (
            "y" if number == 7 else "x"
        )
    second.save()
    after = {p.name: p.stat().st_ino for p in tmp_path.glob("pieces-event-json-*.json")}
    assert after.keys() == files.keys()
    assert len([name for name in files if after[name] != files[name]]) == 1
    third = StoredPieces(tmp_path)
    assert third.get(("event-json", "e7", "d"), lambda: "old version gone") == "old version gone"


def test_a_file_not_signed_here_is_ignored(tmp_path: Path) -> None:
    first = StoredPieces(tmp_path)
    first.get(("event-json", "e1", "d1"), lambda: "<b>good</b>")
    first.save()
    (file,) = tmp_path.glob("pieces-event-json-*.json")
    file.write_bytes(file.read_bytes().replace(b"good", b"evil"))
    assert StoredPieces(tmp_path).get(("event-json", "e1", "d1"), lambda: "made") == "made"


def test_what_is_not_plain_data_is_never_saved(tmp_path: Path) -> None:
    first = StoredPieces(tmp_path)
    first.get(("card", "e1", "d1"), lambda: Markup("<b>x</b>"))
    first.save()
    assert list(tmp_path.glob("pieces-card*")) == []
    assert StoredPieces(None).get(("card", "e1", "d1"), lambda: "no cache") == "no cache"


def test_a_warm_build_with_stored_pieces_equals_a_cold_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(SPEC_SITE / "content", tmp_path / "content")
    monkeypatch.setenv("TIMELINE_CACHE_DIR", str(tmp_path / "cache"))
    output = tmp_path / "output"
    assert build_site(tmp_path / "content", output) == 0
    stored = {p.name.rsplit("-", 1)[0] for p in (tmp_path / "cache").rglob("pieces-*.json")}
    assert {"pieces-search-event", "pieces-slide"} <= stored
    layouts = {p.name for p in (tmp_path / "cache").rglob("layout-*")}
    assert layouts == {"layout-data-events.json", "layout-data-quotes.json"}  # (build.lists)
    article = tmp_path / "content" / EDITED
    text = article.read_text()
    edited = text.replace("cleared the road", "cleared the renamed road", 1)
    assert edited != text
    article.write_text(edited)
    assert build_site(tmp_path / "content", output) == 0
    events = json.loads((output / "data" / "events.json").read_text())
    assert any("renamed road" in e["text"] for e in events)  # its line was made again
    monkeypatch.setenv("TIMELINE_CACHE_DIR", str(tmp_path / "cache-cold"))
    assert build_site(tmp_path / "content", tmp_path / "cold") == 0
    assert differences(output, tmp_path / "cold") == []


@pytest.mark.parametrize(
    ("name", "old", "new"),
    [
        # a development moves to another region (its event and slide pieces, its search row)
        (EDITED, "[Gull Rock](region:gull-rock) are suspended", "[](region:pine-town) are cut"),
        # the article moves to another day: every piece's day and home
        (EDITED, "date: 2024-01-15T09:30:00+02:00", "date: 2024-01-13T09:30:00+02:00"),
        # a quote moves to another speaker
        (EDITED, "[Mara Olsen](speaker:mara-olsen)", "[Tomas Reyes](speaker:tomas-reyes)"),
        # a region renamed in the registry: every piece that names it
        ("regions.yaml", "name: Pine Town", "name: Pine Ville"),
        # a speaker renamed: the quote's search words
        ("speakers.yaml", "name: Mara Olsen", "name: Mara Olsen-Berg"),
        # the article deleted: its pieces are never asked for again
        (EDITED, "", ""),
    ],
)
def test_moves_renames_and_deletions_with_stored_pieces_equal_cold_builds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, old: str, new: str
) -> None:
    content = tmp_path / "content"
    shutil.copytree(SPEC_SITE / "content", content)
    monkeypatch.setenv("TIMELINE_CACHE_DIR", str(tmp_path / "cache"))
    output = tmp_path / "output"
    assert build_site(content, output) == 0
    file = content / name
    if old:
        text = file.read_text()
        assert old in text
        file.write_text(text.replace(old, new, 1))
    else:
        file.unlink()
    assert build_site(content, output) == 0
    monkeypatch.setenv("TIMELINE_CACHE_DIR", str(tmp_path / "cache-cold"))
    assert build_site(content, tmp_path / "cold") == 0
    assert differences(output, tmp_path / "cold") == []


def test_a_changed_site_url_with_stored_pieces_equals_a_cold_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Slides link to their article under SITEURL when it is absolute (publishing)."""
    content = tmp_path / "content"
    shutil.copytree(SPEC_SITE / "content", content)
    monkeypatch.setenv("TIMELINE_CACHE_DIR", str(tmp_path / "cache"))
    output = tmp_path / "output"
    assert build_site(content, output) == 0
    published = tmp_path / "publishconf.py"
    published.write_text(
        "import runpy\n"
        f"globals().update({{k: v for k, v in runpy.run_path({str(REPO / 'pelicanconf.py')!r})"
        ".items() if k.isupper()})\n"
        f"PLUGIN_PATHS = [{str(REPO)!r}]\n"
        "SITEURL = 'https://example.org/news'\n",
        encoding="utf-8",
    )
    assert build_site(content, output, "--settings", str(published)) == 0
    slides = (output / "data" / "timelinejs" / "north.json").read_text()
    assert "https://example.org/news/articles/" in slides
    monkeypatch.setenv("TIMELINE_CACHE_DIR", str(tmp_path / "cache-cold"))
    assert build_site(content, tmp_path / "cold", "--settings", str(published)) == 0
    assert differences(output, tmp_path / "cold") == []
