"""A whole build of the spec fixture site, shared by the site tests (built once per session)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from generator.cli import main

REPO = Path(__file__).resolve().parents[2]
SPEC_SITE = REPO / "tests" / "fixtures" / "spec_site"


def project_settings(folder: Path, workers: int = 2, theme: Path = REPO / "theme") -> Path:
    """A settings file in `folder`: the project's, with TIMELINE_WORKERS and THEME set."""
    settings = folder / f"conf-{workers}.py"
    settings.write_text(
        "import runpy\n"
        f"globals().update({{k: v for k, v in runpy.run_path({str(REPO / 'pelicanconf.py')!r})"
        ".items() if k.isupper()})\n"
        f"PLUGIN_PATHS = [{str(REPO)!r}]\nTHEME = {str(theme)!r}\n"
        f"TIMELINE_WORKERS = {workers}\n", encoding="utf-8")
    return settings


def build_site(content: Path, output: Path, *extra: str) -> int:
    return main(["build", "--settings", str(REPO / "pelicanconf.py"), "--content", str(content),
                 "--output", str(output), *extra])


@pytest.fixture(scope="session")
def spec_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("spec") / "output"
    assert build_site(SPEC_SITE / "content", output) == 0
    return output


@pytest.fixture(scope="session")
def expected() -> dict[str, Any]:
    return json.loads((SPEC_SITE / "expected.json").read_text())


def load_json(output: Path, name: str) -> Any:
    return json.loads((output / name).read_text(encoding="utf-8"))
