"""`python -m generator check`: every problem of content/, nothing written."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..pipeline import check, load_settings, totals


def run_check(settings_file: Path, override: dict[str, Any]) -> int:
    site = check(load_settings(settings_file, override))
    print(f"ok: {totals(site)}")
    return 0
