"""Reading and rendering on two processes give the very bytes of one process."""

from __future__ import annotations

import filecmp
import shutil
from pathlib import Path

import pytest

from generator.cli import main

from .conftest import REPO, SPEC_SITE
from .test_site_pages import _differences


def test_two_workers_build_the_same_site(spec_output: Path, tmp_path: Path) -> None:
    settings = tmp_path / "parallelconf.py"
    settings.write_text(
        "import runpy\n"
        f"globals().update({{k: v for k, v in runpy.run_path({str(REPO / 'pelicanconf.py')!r})"
        ".items() if k.isupper()})\n"
        f"PLUGIN_PATHS = [{str(REPO)!r}]\nTHEME = {str(REPO / 'theme')!r}\n"
        "TIMELINE_WORKERS = 2\n", encoding="utf-8")
    output = tmp_path / "output"
    assert main(["build", "--settings", str(settings), "--content", str(SPEC_SITE / "content"),
                 "--output", str(output)]) == 0
    assert _differences(filecmp.dircmp(spec_output, output)) == []


def test_a_render_error_in_a_worker_fails_cleanly(tmp_path: Path) -> None:
    theme = tmp_path / "theme"
    shutil.copytree(REPO / "theme", theme)
    settings = tmp_path / "parallelconf.py"
    settings.write_text(
        "import runpy\n"
        f"globals().update({{k: v for k, v in runpy.run_path({str(REPO / 'pelicanconf.py')!r})"
        ".items() if k.isupper()})\n"
        f"PLUGIN_PATHS = [{str(REPO)!r}]\nTHEME = {str(theme)!r}\nTIMELINE_WORKERS = 2\n",
        encoding="utf-8")
    output = tmp_path / "output"
    arguments = ["build", "--settings", str(settings), "--content", str(SPEC_SITE / "content"),
                 "--output", str(output)]
    assert main(arguments) == 0
    before = {p: p.read_bytes() for p in output.rglob("*") if p.is_file()}
    region = theme / "templates" / "region.html"
    region.write_text(region.read_text().replace("{% block content %}",
                                                 "{% block content %}{{ nothing.at_all }}", 1))
    assert main(arguments) == 2
    assert {p: p.read_bytes() for p in output.rglob("*") if p.is_file()} == before
    assert not list(tmp_path.glob(".output.*"))


def test_a_failing_background_task_fails_cleanly(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    """The search index is made in a process of its own while pages render: its failure
    fails the build, with its message, and leaves the last good output as it was."""
    from generator import search

    settings = tmp_path / "parallelconf.py"
    settings.write_text(
        "import runpy\n"
        f"globals().update({{k: v for k, v in runpy.run_path({str(REPO / 'pelicanconf.py')!r})"
        ".items() if k.isupper()})\n"
        f"PLUGIN_PATHS = [{str(REPO)!r}]\nTHEME = {str(REPO / 'theme')!r}\n"
        "TIMELINE_WORKERS = 2\n", encoding="utf-8")
    output = tmp_path / "output"
    arguments = ["build", "--settings", str(settings), "--content", str(SPEC_SITE / "content"),
                 "--output", str(output)]
    assert main(arguments) == 0
    before = {p: p.read_bytes() for p in output.rglob("*") if p.is_file()}

    def broken(site: object, *more: object) -> None:
        raise ValueError("the index broke")

    monkeypatch.setattr(search, "build_index", broken)
    capsys.readouterr()
    assert main(arguments) == 2
    assert "the index broke" in capsys.readouterr().err
    assert {p: p.read_bytes() for p in output.rglob("*") if p.is_file()} == before
    assert not list(tmp_path.glob(".output.*"))
