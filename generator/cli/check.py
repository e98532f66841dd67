"""`python -m generator check`: every problem of content/, nothing written."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..pipeline import check_model, load_settings, print_warnings, totals
from ..settings import TimelineSettings
from .common import workflow_commands


def run_check(settings_file: Path, override: dict[str, Any], github: bool = False) -> int:
    settings = load_settings(settings_file, override)
    model = check_model(settings)
    limit = TimelineSettings.from_pelican(settings).max_errors
    if github and model.warnings:
        print("\n".join(workflow_commands(model.warnings, limit, "warning")))
    noted = print_warnings(model.warnings, limit)
    print(f"ok: {totals(model.site)}{noted}")
    return 0
