"""Strings kept in the cache from one build to the next by their key (a map's land for its
view: pipeline.stages.kept_land): made once, used only when this machine signed them."""

from __future__ import annotations

from pathlib import Path

from generator.build.resident import StoredStrings


def _refused() -> str:
    raise AssertionError("made again")


def test_a_string_made_once_is_read_by_the_next_build(tmp_path: Path) -> None:
    first = StoredStrings(tmp_path / "cache", "lands.json")
    assert first.get("view-1", lambda: "<path/>") == "<path/>"
    first.save()
    second = StoredStrings(tmp_path / "cache", "lands.json")
    assert second.get("view-1", _refused) == "<path/>"
    assert second.get("view-2", lambda: "<rect/>") == "<rect/>"


def test_past_the_limit_they_start_over(tmp_path: Path) -> None:
    stored = StoredStrings(tmp_path / "cache", "lands.json", limit=2)
    for key in ("a", "b", "c"):
        stored.get(key, lambda key=key: key.upper())
    assert stored.strings == {"c": "C"}


def test_a_file_not_signed_here_is_not_read(tmp_path: Path) -> None:
    first = StoredStrings(tmp_path / "cache", "lands.json")
    first.get("view-1", lambda: "<path/>")
    first.save()
    kept = tmp_path / "cache" / "lands.json"
    signature, _, body = kept.read_bytes().partition(b"\n")
    kept.write_bytes(signature + b"\n" + body.replace(b"path", b"evil"))
    assert StoredStrings(tmp_path / "cache", "lands.json").get("view-1", lambda: "made") == "made"
