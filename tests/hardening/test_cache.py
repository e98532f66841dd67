"""Cache safety (generator/cache.py): the content cache lives outside output/, holds JSON (no
pickle: loading runs no code), is keyed by each file's bytes and scoped by code version +
settings + registries, and is signed with a per-machine key kept outside the project, so a
cache file that came with a pull request (or was edited) is never used."""

from __future__ import annotations

import hashlib
import hmac
import json
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from .conftest import build, copy_base, settings_file

ARTICLE = "articles/2024/01/harbor-ice.md"
TITLE = "Ice closes the harbor"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.delenv("TIMELINE_CACHE_DIR", raising=False)
    monkeypatch.chdir(tmp_path)
    return copy_base(tmp_path / "project")


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Paths of the files actually parsed (not taken from the cache) in this process."""
    from generator.content import reader

    parsed: list[str] = []
    original: Callable[..., Any] = reader.read_document

    def counting(file: Path, path: str, *args: Any) -> Any:
        parsed.append(path)
        return original(file, path, *args)

    monkeypatch.setattr(reader, "read_document", counting)
    return parsed


def _cache_files(project: Path) -> list[Path]:
    """Every signed cache file (first line: a hex HMAC) under the project's cache folder."""
    found = []
    for file in sorted((project.parent / ".timeline-cache").rglob("*")):
        if file.is_file() and len(file.read_bytes().partition(b"\n")[0]) == 64:
            found.append(file)
    return found


def _title(output: Path) -> str:
    return (output / "articles" / "harbor-ice.html").read_text(encoding="utf-8")


def test_cache_is_outside_the_output_and_the_key_outside_the_project(
    project: Path, tmp_path: Path
) -> None:
    output = project.parent / "output"
    code, err = build(project, output)
    assert code == 0, err
    files = _cache_files(project)
    assert files
    assert not [p for p in output.rglob("*") if "cache" in p.name or p.suffix == ".key"]
    key = tmp_path / "config" / "timeline-digests" / "cache.key"
    assert key.is_file() and not key.resolve().is_relative_to(project.parent)
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    for file in files:
        signature, _, body = file.read_bytes().partition(b"\n")
        for line in body.splitlines():
            json.loads(line)  # plain JSON (the content cache: JSON lines), never a pickle
        int(signature, 16)


def test_second_build_uses_the_cache_and_a_change_is_read_again(
    project: Path, reads: list[str]
) -> None:
    output = project.parent / "output"
    assert build(project, output)[0] == 0
    assert "content/" + ARTICLE in reads
    reads.clear()
    assert build(project, output)[0] == 0
    assert reads == []  # every document came from the cache
    article = project / ARTICLE
    article.write_text(article.read_text().replace(TITLE, "Ice reopens"), encoding="utf-8")
    assert build(project, output)[0] == 0
    assert reads == ["content/" + ARTICLE]
    assert "Ice reopens" in _title(output)


def test_a_forged_or_edited_cache_is_never_used(project: Path, reads: list[str]) -> None:
    """What a pull request could commit: the cache file with a changed title, signed with
    another key (or not at all). The build ignores it and reads the article itself."""
    output = project.parent / "output"
    assert build(project, output)[0] == 0
    cache = next(f for f in _cache_files(project) if TITLE.encode() in f.read_bytes())
    signature, _, body = cache.read_bytes().partition(b"\n")
    forged = body.replace(TITLE.encode(), b"<script>alert(1)</script> Forged")
    assert forged != body
    for candidate in (
        signature + b"\n" + forged,  # edited body, old signature
        hmac.new(b"attacker key", forged, hashlib.sha256).hexdigest().encode() + b"\n" + forged,
        hashlib.sha256(forged).hexdigest().encode() + b"\n" + forged,
        b"not json at all",
        b"",
    ):
        cache.parent.mkdir(parents=True, exist_ok=True)
        cache.write_bytes(candidate)
        reads.clear()
        code, err = build(project, output)
        assert code == 0, err
        assert "content/" + ARTICLE in reads
        assert "Forged" not in _title(output) and TITLE in _title(output)


def test_an_edit_writes_again_only_the_segments_of_the_pack_it_changed(
    project: Path, reads: list[str]
) -> None:
    """The pack is kept in segments by key: an edit writes the segment of the file's new
    line and that of its old one, not the whole pack; one segment not signed here throws the
    whole pack away (every file read again), and the next build finds it whole again."""
    output = project.parent / "output"
    assert build(project, output)[0] == 0
    documents = len(reads)

    def segments() -> dict[str, int]:
        return {
            f.name: f.stat().st_ino
            for f in _cache_files(project)
            if f.name.startswith("documents-")
        }

    before = segments()
    folder = next(f.parent for f in _cache_files(project) if f.name.startswith("documents-"))
    holding = {n for n in before if TITLE.encode() in (folder / n).read_bytes()}
    assert len(before) >= 2 and len(holding) == 1  # the article's, and the page's segment
    article = project / ARTICLE
    article.write_text(article.read_text().replace(TITLE, "Ice reopens"), encoding="utf-8")
    reads.clear()
    assert build(project, output)[0] == 0
    after = segments()
    holding |= {n for n in after if b"Ice reopens" in (folder / n).read_bytes()}
    written = {n for n in before.keys() | after.keys() if before.get(n) != after.get(n)}
    assert written and written <= holding  # no other segment written again
    planted = next(  # a segment no file of ours falls in, not signed here
        folder / f"documents-{n:02x}.jsonl"
        for n in range(64)
        if f"documents-{n:02x}.jsonl" not in after
    )
    planted.write_bytes(b"0" * 64 + b"\n")
    reads.clear()
    assert build(project, output)[0] == 0
    assert len(reads) == documents  # thrown away whole
    reads.clear()
    assert build(project, output)[0] == 0
    assert reads == [] and not planted.exists()


def test_settings_change_invalidates_the_cache(project: Path, tmp_path: Path) -> None:
    """A cached record computed in one time zone must not be reused in another."""
    article = project / ARTICLE
    article.write_text(
        article.read_text().replace("2024-01-15T09:30:00+02:00", "2024-01-16T01:00:00+02:00"),
        encoding="utf-8",
    )
    output = project.parent / "output"
    anchor = 'id="ar-harbor-ice"'  # the article's entry in its day's digest

    def day_of_article() -> list[str]:
        return [
            p.name
            for p in sorted((output / "days").glob("2024-*.html"))
            if anchor in p.read_text(encoding="utf-8")
        ]

    assert build(project, output)[0] == 0
    assert day_of_article() == ["2024-01-16.html"]  # Kyiv
    new_york = settings_file(tmp_path / "s", "TIMELINE_TIMEZONE = 'America/New_York'")
    code, err = build(project, output, new_york)
    assert code == 0, err
    assert day_of_article() == ["2024-01-15.html"]


def test_code_version_change_invalidates_the_cache(
    project: Path, reads: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from generator.pipeline import stages

    output = project.parent / "output"
    assert build(project, output)[0] == 0
    reads.clear()
    monkeypatch.setattr(stages, "code_version", lambda: "another version of the code")
    assert build(project, output)[0] == 0
    assert "content/" + ARTICLE in reads


def test_registry_change_invalidates_the_cache(project: Path, reads: list[str]) -> None:
    output = project.parent / "output"
    assert build(project, output)[0] == 0
    regions = project / "regions.yaml"
    regions.write_text(
        regions.read_text().replace("Harbor Point", "Harbour Point"), encoding="utf-8"
    )
    reads.clear()
    assert build(project, output)[0] == 0
    assert "content/" + ARTICLE in reads


def test_a_broken_file_is_never_cached(project: Path, reads: list[str]) -> None:
    output = project.parent / "output"
    (project / "articles" / "broken.md").write_text("---\ntitle: x\n---\n\nNo date.\n")
    for _ in range(2):
        reads.clear()
        code, err = build(project, output)
        assert code == 1 and "content/articles/broken.md:" in err
        assert "content/articles/broken.md" in reads  # read (and reported) every time
    assert not [f for f in _cache_files(project) if b"No date." in f.read_bytes()]
