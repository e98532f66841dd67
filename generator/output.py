"""Atomic output: a build writes a fresh folder beside the output and swaps it in on success,
so a failed build leaves the previous output untouched."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from types import TracebackType

from .settings import SettingsError


class StagedOutput:
    def __init__(self, target: Path, content: Path) -> None:
        _check_target(target, content)
        self.target = target
        self.path = target.parent / f".{target.name}.staging-{os.getpid()}"
        self.committed = False

    def __enter__(self) -> StagedOutput:
        shutil.rmtree(self.path, ignore_errors=True)
        self.path.mkdir(parents=True)
        return self

    def commit(self) -> None:
        old = self.target.parent / f".{self.target.name}.old-{os.getpid()}"
        if self.target.exists():
            os.replace(self.target, old)
        os.replace(self.path, self.target)
        shutil.rmtree(old, ignore_errors=True)
        self.committed = True

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        if not self.committed:
            shutil.rmtree(self.path, ignore_errors=True)


def _check_target(target: Path, content: Path) -> None:
    """Refuse an output folder that is, or holds, the content or the project."""
    if target == content or content.is_relative_to(target) or target.is_relative_to(content):
        raise SettingsError(f"output folder {target} overlaps the content folder {content}")
