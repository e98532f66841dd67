"""Reading and rendering on two processes give the very bytes of one process."""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.cli import main

from ..support import REPO, SPEC_SITE, differences, project_settings


def test_two_workers_build_the_same_site(spec_output: Path, tmp_path: Path) -> None:
    settings = project_settings(tmp_path)
    output = tmp_path / "output"
    assert (
        main(
            [
                "build",
                "--settings",
                str(settings),
                "--content",
                str(SPEC_SITE / "content"),
                "--output",
                str(output),
            ]
        )
        == 0
    )
    assert differences(spec_output, output) == []


def test_a_render_error_in_a_worker_fails_cleanly(tmp_path: Path) -> None:
    theme = tmp_path / "theme"
    shutil.copytree(REPO / "theme", theme)
    settings = project_settings(tmp_path, theme=theme)
    output = tmp_path / "output"
    arguments = [
        "build",
        "--settings",
        str(settings),
        "--content",
        str(SPEC_SITE / "content"),
        "--output",
        str(output),
    ]
    assert main(arguments) == 0
    before = {p: p.read_bytes() for p in output.rglob("*") if p.is_file()}
    region = theme / "templates" / "region.html"
    region.write_text(
        region.read_text().replace(
            "{% block content %}", "{% block content %}{{ nothing.at_all }}", 1
        )
    )
    assert main(arguments) == 2
    assert {p: p.read_bytes() for p in output.rglob("*") if p.is_file()} == before
    assert not list(tmp_path.glob(".output.*"))


def test_a_failing_background_task_fails_cleanly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The search index is made in a process of its own while pages render: its failure
    fails the build, with its message, and leaves the last good output as it was."""
    from generator.pages import search

    settings = project_settings(tmp_path)
    output = tmp_path / "output"
    arguments = [
        "build",
        "--settings",
        str(settings),
        "--content",
        str(SPEC_SITE / "content"),
        "--output",
        str(output),
    ]
    assert main(arguments) == 0
    before = {p: p.read_bytes() for p in output.rglob("*") if p.is_file()}

    def broken(index: object, *more: object) -> None:
        raise ValueError("the index broke")

    monkeypatch.setattr(search, "index_shards", broken)  # made anew or patched: cut in shards
    capsys.readouterr()
    assert main(arguments) == 2
    assert "the index broke" in capsys.readouterr().err
    assert {p: p.read_bytes() for p in output.rglob("*") if p.is_file()} == before
    assert not list(tmp_path.glob(".output.*"))


def _jobs_that_fail_and_linger(folder: Path) -> Callable[[str], None]:
    def run(job: str) -> None:
        if job == "fail":
            raise ValueError("boom")
        time.sleep(1.5)  # a long page, still rendering when another process failed
        (folder / f"{job}-{os.getpid()}").write_text("written", encoding="utf-8")

    return run


def test_a_failing_worker_stops_the_others(tmp_path: Path) -> None:
    """Whichever process fails, none writes after share_work has raised: the staging folder
    is removed right after, and a late write would bring it back (make serve reuses its
    name), and nobody starts a job after the failure."""
    from generator.build.parallel import share_work

    jobs = ["fail", *(f"linger{n}" for n in range(6))]
    with pytest.raises((ValueError, RuntimeError), match="boom"):
        share_work(jobs, _jobs_that_fail_and_linger(tmp_path), lambda: None, wanted=3)
    written = sorted(p.name for p in tmp_path.iterdir())
    assert len(written) <= 2  # at most the jobs already running when "fail" failed
    time.sleep(2)
    assert sorted(p.name for p in tmp_path.iterdir()) == written


def test_memory_rehashes_a_file_written_moments_ago(tmp_path: Path) -> None:
    """make serve keeps each file's hash by its stamp, except for a file changed within the
    last seconds: a second write in the same clock tick would leave the stamp as it was."""
    from generator.build.resident import Memory

    memory, file = Memory(), tmp_path / "a.md"
    file.write_text("one", encoding="utf-8")
    first = memory.file_digest("a.md", file)
    stamp = file.stat()
    file.write_text("two", encoding="utf-8")  # same size; put the old times back
    os.utime(file, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
    assert memory.file_digest("a.md", file) != first
