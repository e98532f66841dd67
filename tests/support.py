"""Helpers shared by the tests: reading a content folder into a Site like a build does,
building a site with the project's settings, and comparing two built trees."""

from __future__ import annotations

import filecmp
import json
import posixpath
import re
import shutil
import subprocess
import sys
from functools import lru_cache
from pathlib import Path
from typing import Any

from generator.cli import main

REPO = Path(__file__).resolve().parents[1]
CASES = REPO / "tests" / "cases"
BASE = CASES / "base"
SPEC_SITE = REPO / "tests" / "fixtures" / "spec_site"


@lru_cache(maxsize=1)
def _project_settings() -> dict[str, Any]:
    from generator.pipeline import load_settings

    return load_settings(REPO / "pelicanconf.py", {"PATH": str(BASE / "content")})


def read_site(content_dir: Path, **overrides: Any) -> Any:
    """The Site of `content_dir` read with the project's settings (PATH replaced), or
    generator.diagnostics.ContentError."""
    from generator.pipeline import check

    settings = {**_project_settings(), "PATH": str(Path(content_dir).resolve()), **overrides}
    return check(settings)


def base_project(root: Path, *, keep_article: bool = True) -> Path:
    """A copy of tests/cases/base in `root`; returns root/content."""
    shutil.copytree(BASE, root, dirs_exist_ok=True)
    content = root / "content"
    if not keep_article:
        (content / "articles" / "2024" / "01" / "harbor-ice.md").unlink()
    return content


def write(content: Path, relative: str, text: str) -> Path:
    file = content / relative
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_text(text, encoding="utf-8")
    return file


def project_settings(folder: Path, workers: int = 2, theme: Path = REPO / "theme") -> Path:
    """A settings file in `folder`: the project's, with TIMELINE_WORKERS and THEME set."""
    settings = folder / f"conf-{workers}.py"
    settings.write_text(
        "import runpy\n"
        f"globals().update({{k: v for k, v in runpy.run_path({str(REPO / 'pelicanconf.py')!r})"
        ".items() if k.isupper()})\n"
        f"PLUGIN_PATHS = [{str(REPO)!r}]\nTHEME = {str(theme)!r}\n"
        f"TIMELINE_WORKERS = {workers}\n",
        encoding="utf-8",
    )
    return settings


def build_site(content: Path, output: Path, *extra: str) -> int:
    return main(
        [
            "build",
            "--settings",
            str(REPO / "pelicanconf.py"),
            "--content",
            str(content),
            "--output",
            str(output),
            *extra,
        ]
    )


def load_json(output: Path, name: str) -> Any:
    return json.loads((output / name).read_text(encoding="utf-8"))


def differences(left: Path, right: Path) -> list[str]:
    """Files that differ, or exist on one side only, between two trees."""
    return sorted(_differences(filecmp.dircmp(left, right)))


def _differences(comparison: filecmp.dircmp[str], prefix: str = "") -> list[str]:
    found = [prefix + n for n in (*comparison.left_only, *comparison.right_only)]
    _, mismatch, errors = filecmp.cmpfiles(
        comparison.left, comparison.right, comparison.common_files, shallow=False
    )
    found += [prefix + n for n in (*mismatch, *errors)]
    for name, sub in comparison.subdirs.items():
        found += _differences(sub, f"{prefix}{name}/")
    return found


_LINK = re.compile(r'((?:href|src|action)=")([^"]*)"')


def read_rooted(output: Path, name: str) -> str:
    """Page `name` of a built site with its relative links written from the site root
    ("../../regions/north/2024-06.html"), as a page's links are before the writer makes them
    short ("2024-06.html" inside regions/north/): tests name the file a link opens."""
    html = (output / name).read_text(encoding="utf-8")
    root = "../" * name.count("/") or "./"

    def rooted(match: re.Match[str]) -> str:
        value = match[2]
        if not value or value.startswith(("#", "?", "/", "data:")) or ":" in value.split("/")[0]:
            return match[0]
        path, sep, rest = value.partition("#")
        path, qsep, query = path.partition("?")
        target = posixpath.normpath(posixpath.join(posixpath.dirname(name), path))
        tail = (qsep + query) + (sep + rest)
        return f'{match[1]}{root}{target}{tail}"'

    return _LINK.sub(rooted, html)


def synth_content(content: Path, articles: int) -> Path:
    """`articles` synthetic articles (bench/synth.py, seed 1) written into `content`."""
    synth = [sys.executable, str(REPO / "bench" / "synth.py")]
    subprocess.run(
        [*synth, "--articles", str(articles), "--out", str(content)],
        check=True,
        capture_output=True,
    )
    return content


def synth_site(folder: Path, articles: int) -> Path:
    """A site of `articles` synthetic articles built in `folder` with the project's settings:
    its output folder."""
    content, output = synth_content(folder / "content", articles), folder / "output"
    settings = ["--settings", str(REPO / "pelicanconf.py")]
    assert main(["build", *settings, "--content", str(content), "--output", str(output)]) == 0
    return output
