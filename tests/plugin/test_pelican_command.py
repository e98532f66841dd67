"""The stock `pelican` command on our project: the same site as `make html`, the same error
lines as `make check`, `-e` overrides, and `-r`/`--listen` showing an edit."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from .conftest import REPO, Project, differences, new_project

ARTICLE = "content/articles/2023/02/13/bakhmut-battle.md"


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return new_project(tmp_path)


def _pelican(project: Project, settings: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    return project.run("-m", "pelican", "-s", str(settings), *argv)


def test_stock_pelican_builds_what_make_html_builds(project: Project) -> None:
    ours = project.root / "ours"
    project.build(project.settings("", "ours.py", output=ours), cache="cache-ours")
    done = _pelican(project, project.settings())
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr and "built " in done.stdout
    assert differences(project.output, ours) == []


def test_stock_pelican_prints_the_lines_of_make_check(project: Project) -> None:
    file = project.root / ARTICLE
    file.write_text(
        file.read_text(encoding="utf-8")
        .replace("regions: [bakhmut]", "regions: [bakhmut, kremina]", 1)
        .replace("title:", "titel:", 1),
        encoding="utf-8",
    )
    settings = project.settings()
    checked = project.run("-m", "generator", "check", "--settings", str(settings))
    assert checked.returncode == 1
    expected = [line for line in checked.stderr.splitlines() if re.match(r"\S+:\d+:\d+: ", line)]
    assert len(expected) >= 2 and any("did you mean 'kreminna'" in line for line in expected)
    done = _pelican(project, settings)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr and "CRITICAL" not in done.stderr
    printed = [line for line in done.stderr.splitlines() if re.match(r"\S+:\d+:\d+: ", line)]
    assert printed == expected
    assert not project.output.exists()


def test_e_overrides_reach_the_pages(project: Project) -> None:
    done = _pelican(project, project.settings(), "-e", 'SITENAME="Harbour log"')
    assert done.returncode == 0, done.stderr
    assert "<title>Harbour log</title>" in (project.output / "index.html").read_text(
        encoding="utf-8"
    )


def _wait_for(check: Callable[[], bool], seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.2)
    raise AssertionError("timed out")


@contextmanager
def _running(project: Project, settings: Path, *argv: str) -> Iterator[subprocess.Popen[str]]:
    env = {**os.environ, "TIMELINE_CACHE_DIR": str(project.root / "cache")}
    process = subprocess.Popen(
        [sys.executable, "-m", "pelican", "-s", str(settings), *argv],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        text=True,
        start_new_session=True,
    )
    try:
        yield process
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


def _retitle(project: Project, title: str) -> None:
    file = project.root / ARTICLE
    text = file.read_text(encoding="utf-8")
    file.write_text(re.sub(r"(?m)^title: .*$", f"title: {title}", text, count=1), encoding="utf-8")


def _page_text(project: Project) -> str:
    try:
        return (project.output / "articles" / "bakhmut-battle.html").read_text(encoding="utf-8")
    except FileNotFoundError:
        return ""


def test_autoreload_shows_an_edit(project: Project) -> None:
    with _running(project, project.settings(), "-r"):
        _wait_for(lambda: "<h1>" in _page_text(project))
        time.sleep(1)  # the watcher is set up after the first build
        _retitle(project, "Bakhmut holds for another day")
        _wait_for(lambda: "Bakhmut holds for another day" in _page_text(project))


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _served(port: int) -> str:
    try:
        with urllib.request.urlopen(
            f"http://127.0.0.1:{port}/articles/bakhmut-battle.html", timeout=5
        ) as response:
            return str(response.read().decode("utf-8"))
    except OSError:
        return ""


def test_listen_with_autoreload_serves_an_edit(project: Project) -> None:
    port = _free_port()
    with _running(
        project, project.settings(), "-r", "--listen", "-b", "127.0.0.1", "-p", str(port)
    ):
        _wait_for(lambda: "<h1>" in _served(port))
        time.sleep(1)
        _retitle(project, "Bakhmut through a long night")
        _wait_for(lambda: "Bakhmut through a long night" in _served(port))
