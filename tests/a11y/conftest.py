"""Browser tests: the repository's demo content built once, and headless Debian Chromium.

Never `playwright install`: the tests drive /usr/bin/chromium (Debian's package; .ci/run
installs it). Without it they skip locally and fail under CI.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from generator.cli import main

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def demo_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """content/ built with the project's settings, as `make html` does, into a temporary folder."""
    output = tmp_path_factory.mktemp("demo") / "output"
    code = main(
        [
            "build",
            "--settings",
            str(REPO / "pelicanconf.py"),
            "--content",
            str(REPO / "content"),
            "--output",
            str(output),
        ]
    )
    assert code == 0
    return output


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Per module, not per session: Playwright's sync API allows one running instance at a
    time, and tests/offline keeps its own for its session (a11y runs before it)."""
    if not Path(CHROMIUM).exists() or shutil.which("chromium") is None:
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: .ci/run installs Debian's chromium")
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def first_page(output: Path, folder: str, name: str = "index.html") -> Path:
    """The first page (alphabetically) of a family, e.g. a region page: regions/*/index.html."""
    found = sorted(p for p in (output / folder).glob(f"*/{name}"))
    assert found, f"no {folder}/*/{name} in {output}"
    return found[0]
