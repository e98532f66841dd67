"""Faults of the machine rather than of the content (a full disk, a read-only folder, a folder
where a file should be): each is told in one line that names the path and what to do.

Also the one test hook of the engine: TIMELINE_TEST_PAUSE=<stage>[:<seconds>] makes every
process of a build that reaches <stage> print `paused at <stage> (pid N)` on stderr and sleep
(300 s unless told), so a test can kill the build (kill -9) at a known moment, or start
another build meanwhile. Stages:

- `link`: after last build's files were hard-linked into the staging folder (by a forked
  process when there are many: the build goes on reading meanwhile);
- `read`: after a process parsed its first chunk of content files;
- `render`: after a process rendered its first page or ran its first task (with
  TIMELINE_WORKERS=2, forked workers pause too);
- `pack`: after a process compressed its first chunk of the downloads' members into its
  spool file (in the staging folder);
- `before-swap`: the page manifest of the new tree is saved, the tree is not swapped in yet;
- `mid-swap`: takes the two-rename swap (systems without an atomic exchange) and pauses
  between its renames, when output/ is missing;
- `after-swap`: the new tree is in; the old one is not removed yet.
"""

from __future__ import annotations

import errno
import os
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

PAUSE_ENV = "TIMELINE_TEST_PAUSE"
PAUSE_SECONDS = 300.0


class BuildFault(Exception):
    """A problem of the machine, told in one line (str(error)); the build stops cleanly."""


HINTS = {
    errno.ENOSPC: "free disk space and build again",
    errno.EFBIG: "free disk space (or raise the file size limit: ulimit -f) and build again",
    errno.EDQUOT: "free space within your disk quota and build again",
    errno.EACCES: "make it writable (and its folder) or choose another folder",
    errno.EPERM: "make it writable (and its folder) or choose another folder",
    errno.EROFS: "the file system is read-only: choose another folder",
    errno.EISDIR: "a folder is where a file should be: remove that folder",
    errno.ENOTDIR: "a file is where a folder should be: remove that file",
    errno.EEXIST: "a file is where a folder should be: remove that file",
    errno.ENAMETOOLONG: "the name is too long for this file system",
}


def describe(error: OSError) -> str:
    """`<reason> — <what to do>` for an OSError."""
    reason = error.strerror or str(error)
    hint = HINTS.get(error.errno or 0)
    return f"{reason} — {hint}" if hint else reason


def shown(path: str | Path) -> str:
    """A path as messages show it: relative to the working folder when inside it; bytes that
    are not UTF-8 as escapes."""
    text = os.fspath(path)
    try:
        relative = Path(text).relative_to(Path.cwd())
        text = relative.as_posix() if str(relative) != "." else "."
    except ValueError:
        pass
    return os.fsencode(text).decode("utf-8", "backslashreplace")


def warn(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def pause(stage: str) -> None:
    """The test hook (see the module docstring); nothing unless TIMELINE_TEST_PAUSE names
    `stage`."""
    wanted, _, seconds = os.environ.get(PAUSE_ENV, "").partition(":")
    if wanted == stage:
        print(f"paused at {stage} (pid {os.getpid()})", file=sys.stderr, flush=True)
        time.sleep(float(seconds or PAUSE_SECONDS))


def pid_alive(pid: int) -> bool:
    """True when a process `pid` exists (it may be another program that reuses the number)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True


def contained_files(
    folder: Path,
    allowed: Sequence[Path],
    refused: Callable[[Path, Path], None] | None = None,
) -> Iterator[tuple[str, Path]]:
    """Every file under `folder` as (posix name relative to it, path), sorted by name at each
    level. A symbolic link is followed only when it resolves inside one of `allowed` (real
    paths); any other is skipped and given to `refused(link, where it points)`."""
    inside = [Path(os.path.realpath(a)) for a in allowed]
    seen: set[str] = set()

    def walk(here: Path, name: str) -> Iterator[tuple[str, Path]]:
        real = os.path.realpath(here)
        if real in seen:  # a link back up: once is enough
            return
        seen.add(real)
        try:
            entries = sorted(os.scandir(here), key=lambda entry: entry.name)
        except OSError:
            return
        for entry in entries:
            path = Path(entry.path)
            relative = f"{name}/{entry.name}" if name else entry.name
            if entry.is_symlink():
                target = Path(os.path.realpath(path))
                if not any(target.is_relative_to(a) for a in inside):
                    if refused is not None:
                        refused(path, target)
                    continue
            if entry.is_dir():
                yield from walk(path, relative)
            elif entry.is_file():
                yield relative, path

    if os.path.islink(folder):
        target = Path(os.path.realpath(folder))
        if not any(target.is_relative_to(a) for a in inside):
            if refused is not None:
                refused(folder, target)
            return
    if os.path.isdir(folder):
        yield from walk(folder, "")


@dataclass
class Notes:
    """The lines one build says, each once: an unusable cache is met at several places."""

    said: set[str] = field(default_factory=set)

    def say(self, message: str) -> None:
        if message not in self.said:
            self.said.add(message)
            warn(message)
