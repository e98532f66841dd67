"""What a build writes: files written only when their bytes change, never through a hard
link into the previous output, and which files this build wrote, kept or left over.

The staging folder (generator.build.staging) starts as hard links of the files the last build
wrote; every write here first removes the link and writes only when the bytes differ. Pages
whose inputs did not change (same fingerprint as last time) are kept without being rendered.
A failed write names its path (a full disk's write() names none).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

Group = tuple[str, tuple[str, ...]]  # a group's key, and the names of its pages
Stamp = tuple[int, int, int]  # a file's inode, size and modification time (ns)


@dataclass(frozen=True)
class Manifest:
    """What a build wrote through the engine: each file's fingerprint ("": none), and each
    group of pages kept whole on one key (a timeline: see engine.Group)."""

    pages: dict[str, str] = field(default_factory=dict)
    groups: dict[str, Group] = field(default_factory=dict)


@dataclass
class OutputTracker:
    """Which output files this build rendered or kept, and the fingerprint of each."""

    root: Path  # the staging folder
    linked: dict[str, int] = field(default_factory=dict)  # name → inode shared with last output
    previous: dict[str, str] = field(default_factory=dict)
    current: dict[str, str] = field(default_factory=dict)
    previous_groups: dict[str, Group] = field(default_factory=dict)
    groups: dict[str, Group] = field(default_factory=dict)
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

    def keep_group(self, name: str, key: str) -> bool:
        """True (and every page of it counts as written) when last build's group `name` had
        this key and each of its pages is in staging with its fingerprint; else nothing kept."""
        group = self.previous_groups.get(name)
        if group is None or group[0] != key:
            return False
        previous, linked = self.previous, self.linked
        pages = group[1]
        if not all(previous.get(page) and page in linked for page in pages):
            return False
        for page in pages:
            self.current[page] = previous[page]
        self.written.update(pages)
        self.kept.update(pages)
        self.groups[name] = group
        return True

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

    def rewritten(self) -> set[str]:
        """The names this build wrote again (not kept as last build left them), or will."""
        return (self.written - self.kept) | self.pending

    def manifest(self) -> Manifest:
        """Every file this build wrote through the engine, with its fingerprint ("": none),
        and its groups: the next build links these files, and only these, from this tree."""
        return Manifest({name: self.current.get(name, "") for name in self.written}, self.groups)

    def record(self, name: str, key: str | None) -> None:
        self.written.add(name)
        if key is not None:
            self.current[name] = key

    def remove_stale(self) -> int:
        """Delete linked files this build neither wrote nor kept (e.g. a deleted article)."""
        removed = 0
        for name, inode in self.linked.items():
            if name in self.written or name in self.pending:  # (nearly all: no path made)
                continue
            path = self.root / name
            if path.exists() and path.stat().st_ino == inode:
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
        with _created(target) as file:
            file.write(data)
    except OSError as error:
        raise _with_path(error, target) from None
    return True


def replace_file(target: Path, data: bytes | Sequence[bytes | memoryview]) -> None:
    """Write a fresh file (a new inode), from its bytes or its pieces (never joined in
    memory): never through a hard link into the previous output."""
    try:
        if _make_room(target) is not None:
            target.unlink()
        with _created(target) as file:
            file.writelines((data,) if isinstance(data, bytes) else data)
    except OSError as error:
        raise _with_path(error, target) from None


def _make_room(target: Path) -> os.stat_result | None:
    """Before writing `target` in the staging folder: the file there, if any. A folder linked
    from the previous output where this file goes is removed (the staging folder is this
    build's own)."""
    try:
        status = os.lstat(target)
    except FileNotFoundError:
        return None
    if stat.S_ISDIR(status.st_mode):
        shutil.rmtree(target)
        return None
    return status


def _created(target: Path) -> BinaryIO:
    """`target` opened for writing, as open(target, "wb") would (see `_opened`)."""
    return open(_opened(target, _NEW), "wb")


def _opened(target: Path, flags: int) -> int:
    """os.open(target, flags), its folder made only when opening says it is missing: a cold
    build writes ~10,000 files into ~370 folders, and making sure first cost a mkdir and a
    stat a file."""
    try:
        return os.open(target, flags, 0o666)
    except FileNotFoundError:
        target.parent.mkdir(parents=True, exist_ok=True)
        return os.open(target, flags, 0o666)


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


@contextlib.contextmanager
def fresh_file(output: Path, name: str) -> Iterator[int]:
    """Write a large file (a download) through a descriptor (open for reading and writing),
    never holding it in memory: into a temporary file beside it, which then takes its place
    as a new inode (never written through a hard link into the previous output), unless the
    file has these bytes already (then it stays as it is). A failure names the file."""
    target = _inside(output, name)
    temporary = target.with_name(f".{target.name}.partial")
    try:
        status = _make_room(target)
        descriptor = _opened(temporary, _FRESH)
    except OSError as error:
        raise _with_path(error, target) from None
    try:
        try:
            yield descriptor
            if status is not None and _same_bytes(descriptor, target, status.st_size):
                temporary.unlink()
            else:
                os.replace(temporary, target)
        except OSError as error:
            raise _with_path(error, target) from None
        finally:
            os.close(descriptor)
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise


_FRESH = os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW | os.O_CLOEXEC
_NEW = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC  # open(…, "wb")
_PIECE = 1 << 20


def _same_bytes(descriptor: int, target: Path, size: int) -> bool:
    """Has the file open as `descriptor` the bytes of `target` (`size` bytes long)?"""
    if os.fstat(descriptor).st_size != size:
        return False
    with open(target, "rb") as now:
        at = 0
        while at < size:
            piece = now.read(_PIECE)
            if not piece or os.pread(descriptor, len(piece), at) != piece:
                return False
            at += len(piece)
    return True


def _inside(output: Path, name: str) -> Path:
    target = (output / name).resolve()
    if not target.is_relative_to(output.resolve()):
        raise ValueError(f"refusing to write outside the output folder: {name}")
    return target


@dataclass
class TreeSize:
    total: int = 0  # bytes of every file
    large: list[tuple[str, int]] = field(default_factory=list)  # (name, bytes) of big pages


def measure_tree(folder: Path, page_limit: int) -> TreeSize:
    """Bytes of every file under `folder` (links not followed), and the HTML pages larger
    than `page_limit`, by their names under `folder`."""
    size = TreeSize()
    _measure(str(folder), "", page_limit, size)
    return size


def _measure(folder: str, prefix: str, page_limit: int, size: TreeSize) -> None:
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                _measure(entry.path, f"{prefix}{entry.name}/", page_limit, size)
            elif entry.is_file(follow_symlinks=False):
                length = entry.stat(follow_symlinks=False).st_size
                size.total += length
                if length > page_limit and entry.name.endswith(".html"):
                    size.large.append((prefix + entry.name, length))


def write_all(descriptor: int, data: bytes | bytearray | memoryview) -> None:
    """All of `data`, appended to `descriptor` at its position."""
    view = memoryview(data)
    while view:
        view = view[os.write(descriptor, view) :]


def copy_range(source: int, target: int, offset: int, count: int) -> None:
    """`count` bytes of `source` from `offset`, appended to `target` at its position: kernel
    to kernel where the system can (os.copy_file_range), else read and written a MiB at a
    time. OSError when `source` ends early."""
    copy = getattr(os, "copy_file_range", None)
    while count > 0:
        done = 0
        if copy is not None:
            with contextlib.suppress(OSError):  # not across these file systems: read them
                done = copy(source, target, count, offset)
        if done <= 0:
            chunk = os.pread(source, min(count, 1 << 20), offset)
            if not chunk:
                raise OSError(f"a file ended {count} bytes early")
            write_all(target, chunk)
            done = len(chunk)
        offset += done
        count -= done


def stamp_of(file: Path | int) -> Stamp:
    """What tells a file as a build wrote it from the same file changed since (or another)."""
    status = os.stat(file)
    return (status.st_ino, status.st_size, status.st_mtime_ns)
