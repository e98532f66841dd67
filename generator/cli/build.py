"""`python -m generator build`: the pipeline (generator.pipeline) through Pelican, timed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..build.resident import Memory
from ..pipeline import BuildOptions, TimelinePelican, load_settings
from .common import content_override, guarded, pelican_logging


def run_build(
    settings_file: Path,
    output: Path | None,
    verbose: bool,
    override: dict[str, Any],
    memory: Memory | None = None,
) -> int:
    if output is not None:
        override = {**override, "OUTPUT_PATH": str(output.resolve())}
    settings = load_settings(settings_file, override)
    pelican_logging(verbose)
    TimelinePelican(settings, BuildOptions(memory=memory)).run()  # prints what it built
    return 0


def build_resident(
    settings_file: Path, output: Path, memory: Memory, content: Path | None = None
) -> int:
    """One build in a long-lived process (make serve), reusing what `memory` kept."""
    options = {**content_override(content), "TIMELINE_DOWNLOAD_ZIP": False}
    return guarded(
        lambda: run_build(settings_file, output, False, options, memory), "build", settings_file
    )
