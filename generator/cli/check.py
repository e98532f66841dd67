"""`python -m generator check`: every problem of content/, nothing written."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..model.site import Site
from ..pipeline import check
from .common import load_settings


def run_check(settings_file: Path, override: dict[str, Any]) -> int:
    site = check(load_settings(settings_file, override))
    print(f"ok: {totals(site)}")
    return 0


def totals(site: Site) -> str:
    return (f"{len(site.articles)} articles, {len(site.pages)} pages, {len(site.events)} "
            f"developments, {len(site.quotes)} quotes, {len(site.regions)} regions, "
            f"{len(site.speakers)} speakers")
