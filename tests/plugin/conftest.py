"""Builds with Pelican plugins enabled, each in a fresh process: Pelican's signals are
process-wide, so a plugin registered in this process would run on every later build here."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..support import REPO, differences

__all__ = ["REPO", "Project", "differences", "html_pages", "new_project"]
DEMO = REPO / "content"


@dataclass(frozen=True)
class Project:
    root: Path

    @property
    def content(self) -> Path:
        return self.root / "content"

    @property
    def output(self) -> Path:
        return self.root / "output"

    def settings(self, extra: str = "", name: str = "conf.py", output: Path | None = None) -> Path:
        """The project's pelicanconf.py with PATH, OUTPUT_PATH and THEME set, plus `extra`."""
        file = self.root / name
        file.write_text(
            "import runpy\n"
            f"globals().update({{k: v for k, v in runpy.run_path({str(REPO / 'pelicanconf.py')!r})"
            ".items() if k.isupper()})\n"
            f"PATH = {str(self.content)!r}\nOUTPUT_PATH = {str(output or self.output)!r}\n"
            f"THEME = {str(REPO / 'theme')!r}\nPLUGIN_PATHS = [{str(REPO)!r}]\n"
            f"TIMELINE_WORKERS = 2\n{extra}\n",
            encoding="utf-8",
        )
        return file

    def run(
        self,
        *argv: str,
        cache: str = "cache",
        timeout: float = 240,
    ) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "TIMELINE_CACHE_DIR": str(self.root / cache)}
        return subprocess.run(
            [sys.executable, *argv],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    def build(self, settings: Path, *extra: str, cache: str = "cache") -> None:
        done = self.run(
            "-m", "generator", "build", "--settings", str(settings), *extra, cache=cache
        )
        assert done.returncode == 0, done.stderr

    def cold(self, extra: str) -> Path:
        """A cold build of the content as it is now into cold/ (its own, empty cache)."""
        target = self.root / "cold"
        shutil.rmtree(target, ignore_errors=True)
        shutil.rmtree(self.root / "cache-cold", ignore_errors=True)
        self.build(self.settings(extra, "cold.py", output=target), cache="cache-cold")
        return target


def new_project(root: Path, content: Path = DEMO) -> Project:
    shutil.copytree(content, root / "content")
    return Project(root)


def html_pages(output: Path, folders: Sequence[str] = ()) -> list[str]:
    return sorted(
        p.relative_to(output).as_posix()
        for p in output.rglob("*.html")
        if not folders or p.relative_to(output).parts[0] in folders
    )
