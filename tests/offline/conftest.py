"""Fixtures of the offline tests: the demo site (content/) built once, and headless Chromium."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .support import CHROMIUM, CHROMIUM_ARGS, Problems, build


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("demo") / "output"
    build(output)
    return output


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip(
            f"BROWSER TESTS SKIPPED: {CHROMIUM} is missing; install Debian's chromium "
            "package (apt-get install chromium) to run them"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def browser_page(chromium: Any) -> Iterator[tuple[Any, Problems]]:
    """A page in a fresh context, and what went wrong on it (checked by each test)."""
    context = chromium.new_context()
    page = context.new_page()
    page.set_default_timeout(15_000)
    problems = Problems(page)
    try:
        yield page, problems
    finally:
        context.close()
