"""`make serve` rebuilds in its own process, keeping the content cache's records and each
file's hash (generator.build.resident): those rebuilds give exactly the bytes of a cold build, and
parse and decode only what changed."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from generator.build.resident import Memory
from generator.cli.build import build_resident

from ..support import REPO, SPEC_SITE, build_site, differences, project_settings

EDITED = "content/articles/2024/01/harbor-ice.md"
DELETED = "content/articles/2024/07/pine-town-fair.md"


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(SPEC_SITE / "content", tmp_path / "content")
    monkeypatch.setenv("TIMELINE_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[Any]]:
    """Files parsed and cache lines decoded, in this process."""
    from generator.build import cache
    from generator.content import reader
    from generator.render import data

    seen: dict[str, list[Any]] = {"parsed": [], "decoded": [], "event_json": []}

    def counting(name: str, module: Any, function: Callable[..., Any]) -> None:
        def wrapper(*args: Any) -> Any:
            seen[name].append(args[1] if name == "parsed" else args[0])
            return function(*args)

        monkeypatch.setattr(module, function.__name__, wrapper)

    counting("parsed", reader, reader.read_document)
    counting("decoded", cache, cache.load_document)
    counting("event_json", data, data.event_json)
    return seen


def _cold(work: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("TIMELINE_CACHE_DIR", str(work / "cache-cold"))
    shutil.rmtree(work / "cold", ignore_errors=True)
    shutil.rmtree(work / "cache-cold", ignore_errors=True)
    assert build_site(work / "content", work / "cold", "--no-download-zip") == 0  # as serve
    return work / "cold"


@pytest.mark.parametrize("workers", [1, 2])
def test_resident_rebuilds_equal_cold_builds(
    work: Path, monkeypatch: pytest.MonkeyPatch, counted: dict[str, list[Any]], workers: int
) -> None:
    """With two workers, data files are made in a forked process, which sends back the
    pieces it made; with one, this process makes them (and the test can count them)."""
    memory, output, settings = Memory(), work / "output", project_settings(work, workers)

    def resident() -> int:
        return build_resident(settings, output, memory, work / "content")

    assert resident() == 0
    assert counted["parsed"]  # read (here, or by a worker too)

    article = work / EDITED
    article.write_text(
        article.read_text().replace("The fish market at", "The old fish market at", 1)
    )
    for seen in counted.values():
        seen.clear()
    assert resident() == 0
    assert counted["parsed"] == ["content/articles/2024/01/harbor-ice.md"]
    assert counted["decoded"] == []  # every other record was still in memory
    if workers == 1:  # events.json is made again, encoding only the edited article's events
        assert {event.article for event in counted["event_json"]} == {"harbor-ice"}
    assert differences(output, _cold(work, monkeypatch)) == []

    os.remove(work / DELETED)
    monkeypatch.setenv("TIMELINE_CACHE_DIR", str(work / "cache"))
    counted["parsed"].clear()
    assert resident() == 0
    assert counted["parsed"] == []
    assert not (output / "articles" / "pine-town-fair.html").exists()
    assert differences(output, _cold(work, monkeypatch)) == []


def test_a_resident_build_with_errors_keeps_the_site_and_recovers(
    work: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    memory, output = Memory(), work / "output"

    def resident() -> int:
        return build_resident(REPO / "pelicanconf.py", output, memory, work / "content")

    assert resident() == 0
    before = {p: p.read_bytes() for p in output.rglob("*") if p.is_file()}
    article = work / EDITED
    good = article.read_text()
    article.write_text(good.replace("regions:", "regoins:", 1))
    capsys.readouterr()
    assert resident() == 1
    assert "did you mean 'regions'?" in capsys.readouterr().err
    assert {p: p.read_bytes() for p in output.rglob("*") if p.is_file()} == before
    article.write_text(good)
    assert resident() == 0
    assert {p: p.read_bytes() for p in output.rglob("*") if p.is_file()} == before
