"""What a build writes: files written only when their bytes change, never through a hard
link into the previous output, and which files this build wrote, kept or left over.

The staging folder (generator.build.staging) starts as hard links of the files the last build
wrote; every write here first removes the link and writes only when the bytes differ. Pages
whose inputs did not change (same fingerprint as last time) are kept without being rendered.
A failed write names its path (a full disk's write() names none).
"""

from __future__ import annotations

import os
import shutil
import stat
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class OutputTracker:
    """Which output files this build rendered or kept, and the fingerprint of each."""

    root: Path  # the staging folder
    linked: dict[str, int] = field(default_factory=dict)  # name → inode shared with last output
    previous: dict[str, str] = field(default_factory=dict)
    current: dict[str, str] = field(default_factory=dict)
    written: set[str] = field(default_factory=set)
    kept: set[str] = field(default_factory=set)  # of `written`: last build's file, as it is
    pending: set[str] = field(default_factory=set)  # to be written once all else is

    def keep(self, name: str, key: str) -> bool:
        """True (and the file counts as written) when last build's file is still right."""
        if self.previous.get(name) == key and name in self.linked:  # linked: in staging
            self.current[name] = key
            self.written.add(name)
            self.kept.add(name)
            return True
        return False

    def fresh(self) -> list[Path]:
        """Files of the staging folder this build wrote (not kept, not left over)."""
        found: list[Path] = []
        for folder, _, files in os.walk(self.root):
            base = Path(folder)
            for file in files:
                name = (base / file).relative_to(self.root).as_posix()
                if (
                    name not in self.kept
                    and name not in self.pending
                    and (name in self.written or name not in self.linked)
                ):
                    found.append(base / file)
        return sorted(found)

    def manifest(self) -> dict[str, str]:
        """Every file this build wrote through the engine, with its fingerprint ("": none):
        the next build links these, and only these, from this tree."""
        return {name: self.current.get(name, "") for name in self.written}

    def record(self, name: str, key: str | None) -> None:
        self.written.add(name)
        if key is not None:
            self.current[name] = key

    def remove_stale(self) -> int:
        """Delete linked files this build neither wrote nor kept (e.g. a deleted article)."""
        removed = 0
        for name, inode in self.linked.items():
            path = self.root / name
            if (
                name not in self.written
                and name not in self.pending
                and path.exists()
                and path.stat().st_ino == inode
            ):
                path.unlink()
                removed += 1
        return removed


def write_if_changed(target: Path, data: bytes) -> bool:
    try:
        status = _make_room(target)
        if status is not None:
            if status.st_size == len(data) and target.read_bytes() == data:
                return False
            target.unlink()  # never write through a hard link into the previous output
        target.write_bytes(data)
    except OSError as error:
        raise _with_path(error, target) from None
    return True


def replace_file(target: Path, data: bytes | Sequence[bytes | memoryview]) -> None:
    """Write a fresh file (a new inode), from its bytes or its pieces (never joined in
    memory): never through a hard link into the previous output."""
    try:
        if _make_room(target) is not None:
            target.unlink()
        with open(target, "wb") as file:
            file.writelines((data,) if isinstance(data, bytes) else data)
    except OSError as error:
        raise _with_path(error, target) from None


def _make_room(target: Path) -> os.stat_result | None:
    """Before writing `target` in the staging folder: the file there, if any. Its folder is
    made when missing; a folder linked from the previous output where this file goes is
    removed (the staging folder is this build's own)."""
    try:
        status = os.lstat(target)
    except FileNotFoundError:
        target.parent.mkdir(parents=True, exist_ok=True)
        return None
    if stat.S_ISDIR(status.st_mode):
        shutil.rmtree(target)
        return None
    return status


def _with_path(error: OSError, path: Path) -> OSError:
    """The error with the path it was about (a failed write() names none)."""
    if error.filename is None and error.errno is not None:
        return OSError(error.errno, error.strerror, str(path))
    return error


def write_text(output: Path, name: str, text: str) -> None:
    """Write one file under the output folder (checked on real paths, not a string prefix)."""
    write_bytes(output, name, text.encode("utf-8"))


def write_bytes(output: Path, name: str, data: bytes) -> None:
    write_if_changed(_inside(output, name), data)


def write_pieces(
    output: Path, name: str, pieces: Sequence[bytes | memoryview], now: bytes | None = None
) -> None:
    """Write a large file (a download) from its pieces, as a new inode: never joined in
    memory, never written through a hard link into the previous output; not at all when
    they are `now`, the file's bytes as they are."""
    target = _inside(output, name)
    if now is None or not _same(pieces, now):
        replace_file(target, pieces)


def _same(pieces: Sequence[bytes | memoryview], data: bytes) -> bool:
    at = 0
    view = memoryview(data)
    for piece in pieces:
        size = len(piece)
        if view[at : at + size] != piece:
            return False
        at += size
    return at == len(data)


def _inside(output: Path, name: str) -> Path:
    target = (output / name).resolve()
    if not target.is_relative_to(output.resolve()):
        raise ValueError(f"refusing to write outside the output folder: {name}")
    return target


def tree_size(folder: Path) -> int:
    """Bytes of every file under `folder` (links not followed)."""
    total = 0
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                total += tree_size(Path(entry.path))
            elif entry.is_file(follow_symlinks=False):
                total += entry.stat(follow_symlinks=False).st_size
    return total
