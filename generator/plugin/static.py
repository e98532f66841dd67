"""Pelican's copy of the theme's static folders, made safe.

Pelican copies them following every symbolic link (os.walk with followlinks=True): a link to
/etc would publish /etc. Its copy is replaced by one that follows a link only when it resolves
inside the theme or the project, and skips any other with one warning line.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..build.faults import contained_files, shown, warn
from ..build.output import replace_file
from ..pages.offline import theme_file_ignored


def guard_theme_copies(generator: Any, project: Path) -> None:
    """The theme's static folders are copied by `copy_theme_paths`, not by Pelican's own."""
    generator._copy_paths = functools.partial(copy_theme_paths, generator, project)


def copy_theme_paths(
    generator: Any,
    project: Path,
    paths: Sequence[str],
    source: str,
    destination: str,
    output_path: str,
    final_path: str | None = None,
) -> None:
    """StaticGenerator._copy_paths (same arguments, same places), following a symbolic link
    only when it resolves inside the theme or the project; any other is skipped, said in one
    line."""
    allowed = [Path(source), project]
    ignores = list(generator.settings.get("IGNORE_FILES") or [])

    def refused(link: Path, target: Path) -> None:
        warn(
            f"theme: {shown(link)} is a symbolic link to {shown(target)}, outside the theme "
            "and the project: not copied (copy the file into the theme instead)"
        )

    for path in paths:
        origin = Path(source, path)
        if final_path:
            name = os.path.basename(path) if origin.is_file() else ""
            target = Path(output_path, destination, final_path, name)
        else:
            target = Path(output_path, destination, path)
        if theme_file_ignored(origin.name, ignores):
            continue
        if not origin.is_dir():  # a file, or a link to one
            real = Path(os.path.realpath(origin))
            if origin.is_symlink() and not any(
                real.is_relative_to(os.path.realpath(a)) for a in allowed
            ):
                refused(origin, real)
            elif origin.is_file():
                replace_file(target, origin.read_bytes())
            continue
        for name, file in contained_files(origin, allowed, refused):
            if not theme_file_ignored(name, ignores):
                replace_file(target / name, file.read_bytes())
