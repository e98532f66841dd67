"""Content files' digests kept between build processes: a file is hashed again whenever its
stamp changed, and a stored digest is used only when this machine signed it."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from generator.build import resident
from generator.build.resident import DIGESTS, StoredDigests


@pytest.fixture
def files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(resident, "RACY_NS", 0)  # files written now count as settled
    folder = tmp_path / "content"
    folder.mkdir()
    (folder / "a.md").write_text("first")
    (folder / "b.md").write_text("second")
    return folder


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _no_reading(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(self: Path) -> bytes:
        raise AssertionError(f"{self} was read")

    monkeypatch.setattr(Path, "read_bytes", refuse)


def test_an_unchanged_file_is_not_read_again(
    files: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = StoredDigests(tmp_path / "cache")
    assert first.file_digest("a.md", files / "a.md") == _sha("first")
    assert first.file_digest("b.md", files / "b.md") == _sha("second")
    first.save({"a.md", "b.md"})
    _no_reading(monkeypatch)
    second = StoredDigests(tmp_path / "cache")
    assert second.file_digest("a.md", files / "a.md") == _sha("first")


def test_an_edited_file_is_hashed_again(files: Path, tmp_path: Path) -> None:
    first = StoredDigests(tmp_path / "cache")
    first.file_digest("a.md", files / "a.md")
    first.save({"a.md"})
    (files / "a.md").write_text("edited")  # same size or not, its stamp changed
    assert StoredDigests(tmp_path / "cache").file_digest("a.md", files / "a.md") == _sha("edited")


def test_a_file_changed_just_now_is_not_kept(
    files: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(resident, "RACY_NS", 10**12)  # everything counts as changed just now
    first = StoredDigests(tmp_path / "cache")
    first.file_digest("a.md", files / "a.md")
    first.save({"a.md"})
    assert StoredDigests(tmp_path / "cache").hashed == {}


def test_deleted_files_are_dropped_and_a_file_not_signed_here_is_ignored(
    files: Path, tmp_path: Path
) -> None:
    first = StoredDigests(tmp_path / "cache")
    first.file_digest("a.md", files / "a.md")
    first.file_digest("b.md", files / "b.md")
    first.save({"a.md"})  # b.md is gone from the content
    assert set(StoredDigests(tmp_path / "cache").hashed) == {"a.md"}
    stored = tmp_path / "cache" / DIGESTS
    stored.write_bytes(stored.read_bytes().replace(_sha("first").encode(), _sha("evil").encode()))
    assert StoredDigests(tmp_path / "cache").hashed == {}
