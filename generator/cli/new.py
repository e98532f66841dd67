"""`python -m generator new "Title"`: start an article dated now (generator.content.scaffold)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from ..content.scaffold import NEXT_STEPS, ScaffoldError, new_article
from ..pipeline import load_settings
from ..settings import TimelineSettings
from .common import EXIT_CONTENT


def run_new(settings_file: Path, title: str, override: dict[str, Any]) -> int:
    settings = load_settings(settings_file, override)
    zone = TimelineSettings.from_pelican(settings).zone
    content = Path(settings["PATH"])
    try:
        created = new_article(content, title, zone)
    except ScaffoldError as error:
        print(f"new: {error}", file=sys.stderr)
        return EXIT_CONTENT
    shown = created.relative_to(Path.cwd()) if created.is_relative_to(Path.cwd()) else created
    print(f"created {shown.as_posix()}\n{NEXT_STEPS}")
    return 0
