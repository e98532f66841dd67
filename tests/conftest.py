"""Shared test helpers: Hypothesis profiles, copying content folders, running `check`."""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

from .support import SPEC_SITE, build_site

REPO = Path(__file__).resolve().parent.parent

# "ci" (default): bounded and derandomized, so a run is fast and repeatable.
# "fuzz": HYPOTHESIS_PROFILE=fuzz for a long, random hunt.
settings.register_profile(
    "ci",
    max_examples=150,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "fuzz", max_examples=5000, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(scope="session", autouse=True)
def _cache_outside_the_tree(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Builds in tests keep their content cache in a temporary folder, not beside fixtures."""
    if "TIMELINE_CACHE_DIR" not in os.environ:
        os.environ["TIMELINE_CACHE_DIR"] = str(tmp_path_factory.mktemp("timeline-cache"))


def run_check(content_dir: Path, *, timezone: str = "Europe/Kyiv") -> tuple[int, list[str]]:
    """Run `python -m generator check` on `content_dir`: (exit code, stderr lines).

    Messages name files relative to `content_dir.parent` (e.g. `content/articles/x.md`).
    """
    from generator.cli import main

    with tempfile.TemporaryDirectory() as folder:
        settings_file = Path(folder) / "pelicanconf.py"
        settings_file.write_text(
            f"PATH = {str(Path(content_dir).resolve())!r}\n"
            f"TIMEZONE = TIMELINE_TIMEZONE = {timezone!r}\n",
            encoding="utf-8",
        )
        stderr, stdout = io.StringIO(), io.StringIO()
        with contextlib.redirect_stderr(stderr), contextlib.redirect_stdout(stdout):
            code = main(["check", "--settings", str(settings_file)])
    return code, stderr.getvalue().splitlines()


@pytest.fixture(scope="session")
def check() -> Callable[..., tuple[int, list[str]]]:
    """`check(content_dir) -> (exit code, stderr lines)`; see run_check."""
    return run_check


@pytest.fixture
def copy_content(tmp_path: Path) -> Callable[[Path], Path]:
    """Copy a content folder to tmp_path/content (symlinks kept as links); returns the copy."""

    def copy(source: Path) -> Path:
        target = tmp_path / "content"
        shutil.copytree(source, target, symlinks=True, dirs_exist_ok=True)
        return target

    return copy


@pytest.fixture(scope="session")
def spec_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The spec fixture site (tests/fixtures/spec_site), built once per session."""
    output = tmp_path_factory.mktemp("spec") / "output"
    assert build_site(SPEC_SITE / "content", output) == 0
    return output


@pytest.fixture(scope="session")
def expected() -> dict[str, Any]:
    return dict(json.loads((SPEC_SITE / "expected.json").read_text()))
