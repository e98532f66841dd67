"""Helpers for the core tests: reading a content folder into a Site like a build does."""

from __future__ import annotations

import shutil
from functools import lru_cache
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
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
