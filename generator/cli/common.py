"""What every command shares: settings files, and failures turned into messages and exit codes
(0 ok, 1 content errors, 2 configuration errors)."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pelican.log import init

from ..build.faults import BuildFault
from ..diagnostics import ContentError, Diagnostic
from ..settings import SettingsError

EXIT_CONTENT, EXIT_CONFIG = 1, 2


def guarded(
    run: Callable[[], int],
    command: str,
    settings: Path | None,
    *,
    github: bool = False,
    verbose: bool = False,
) -> int:
    """`run()`, with every failure turned into messages and an exit code."""
    try:
        return run()
    except SettingsError as error:
        if github:
            print(f"::error file={_property(str(settings))}::{_data(str(error))}")
        print(f"{settings}: {error}" if settings else str(error), file=sys.stderr)
        return EXIT_CONFIG
    except ContentError as error:
        if github:
            print(
                "\n".join(
                    github_annotations(error)
                    + workflow_commands(error.warnings, error.limit, "warning")
                )
            )
        print("\n".join(error.report_lines()), file=sys.stderr)
        return EXIT_CONTENT
    except BuildFault as error:  # the machine's (disk, permissions): its one line says it all
        print(str(error), file=sys.stderr)
        return EXIT_CONFIG
    except Exception as error:  # a theme or code problem, never content: say it in one line
        if verbose:
            raise
        hint = " (--verbose shows where)" if command == "build" else ""
        print(f"{command} failed: {type(error).__name__}: {error}{hint}", file=sys.stderr)
        return EXIT_CONFIG


def github_annotations(error: ContentError) -> list[str]:
    """Each problem as a GitHub Actions workflow command, shown on the pull request's diff."""
    return workflow_commands(error.diagnostics, error.limit)


def workflow_commands(
    diagnostics: tuple[Diagnostic, ...], limit: int, level: str = "error"
) -> list[str]:
    shown = diagnostics if limit <= 0 else diagnostics[:limit]
    return [
        f"::{level} file={_property(d.path)},line={d.line},col={d.col}::{_data(d.message)}"
        for d in shown
    ]


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def content_override(content: Path | None) -> dict[str, Any]:
    return {"PATH": str(content.resolve())} if content else {}


def pelican_logging(verbose: bool) -> None:
    init(level=logging.INFO if verbose else logging.WARNING)
