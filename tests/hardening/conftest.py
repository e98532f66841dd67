"""Fixtures of the hardening tests: the XSS corpus built once, headless Chromium, builds run
in-process or as subprocesses, and snapshots of a folder tree."""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.cli import main

REPO = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
XSS_CONTENT = HERE / "xss_site" / "content"
BASE_CONTENT = REPO / "tests" / "cases" / "base" / "content"
SPEC_CONTENT = REPO / "tests" / "fixtures" / "spec_site" / "content"
SETTINGS = REPO / "pelicanconf.py"
CHROMIUM = Path("/usr/bin/chromium")


def run_cli(*argv: str) -> tuple[int, str, str]:
    """`python -m generator ARGV` in this process: (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue(), err.getvalue()


def build(content: Path, output: Path, settings: Path = SETTINGS) -> tuple[int, str]:
    """A build in this process: (exit code, stderr)."""
    code, _, err = run_cli(
        "build", "--settings", str(settings), "--content", str(content), "--output", str(output)
    )
    return code, err


def check(content: Path, settings: Path = SETTINGS) -> tuple[int, list[str]]:
    code, _, err = run_cli("check", "--settings", str(settings), "--content", str(content))
    return code, err.splitlines()


def build_subprocess(
    content: Path,
    output: Path,
    *,
    cwd: Path,
    env: dict[str, str] | None = None,
    prefix: tuple[str, ...] = (),
    settings: Path = SETTINGS,
    timeout: float = 300,
) -> subprocess.CompletedProcess[str]:
    """`python -m generator build` in a fresh interpreter (own hash seed, clock, cwd)."""
    environment = {**os.environ, "PYTHONPATH": str(REPO), **(env or {})}
    return subprocess.run(
        [
            *prefix,
            sys.executable,
            "-m",
            "generator",
            "build",
            "--settings",
            str(settings),
            "--content",
            str(content),
            "--output",
            str(output),
        ],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def settings_file(folder: Path, extra: str) -> Path:
    """A settings file that takes the project's settings and adds `extra` (Python source)."""
    folder.mkdir(parents=True, exist_ok=True)
    file = folder / "hardening_settings.py"
    file.write_text(
        f"import sys\nsys.path.insert(0, {str(REPO)!r})\nfrom pelicanconf import *  # noqa\n"
        f"PLUGIN_PATHS = [{str(REPO)!r}]\nTHEME = {str(REPO / 'theme')!r}\n{extra}\n",
        encoding="utf-8",
    )
    return file


def snapshot(root: Path, skip: tuple[str, ...] = ()) -> dict[str, str]:
    """Every entry under `root` (not following links): relative path → kind and content hash."""
    found: dict[str, str] = {}
    for directory, dirs, files in os.walk(root, followlinks=False):
        here = Path(directory)
        for name in sorted(dirs + files):
            path = here / name
            relative = path.relative_to(root).as_posix()
            if relative.split("/", 1)[0] in skip:
                continue
            if path.is_symlink():
                found[relative] = "link:" + os.readlink(path)
            elif path.is_dir():
                found[relative] = "dir"
            else:
                found[relative] = "file:" + hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def copy_base(root: Path, source: Path = BASE_CONTENT) -> Path:
    """A copy of a content folder at root/content; returns it."""
    target = root / "content"
    shutil.copytree(source, target, symlinks=True)
    return target


def write(content: Path, relative: str, text: str) -> Path:
    file = content / relative
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_text(text, encoding="utf-8")
    return file


@pytest.fixture(scope="session")
def xss_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The XSS corpus built into a site (it must build: every payload is inert text)."""
    root = tmp_path_factory.mktemp("xss")
    output = root / "output"
    code, err = build(copy_base(root, XSS_CONTENT), output)  # a copy: nothing written beside it
    assert code == 0, err
    return output


@pytest.fixture(scope="session")
def browser_available() -> None:
    """Browser tests need Debian's chromium (never `playwright install`); CI installs it."""
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: .ci/run installs Debian's chromium")
        pytest.skip(f"BROWSER TESTS SKIPPED: {CHROMIUM} is missing (apt-get install chromium)")
