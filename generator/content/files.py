"""Reading a contributor's file: bytes to text, or a clear problem with a position."""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

from ..diagnostics import Diagnostics

CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class SourceFile:
    path: str  # as shown in messages: relative to the project root
    text: str  # "\n" line ends, no BOM
    digest: str = ""  # sha256 of the bytes read: what the text is cached and fingerprinted by


def display_path(file: Path | str, root: Path) -> str:
    """The path as messages show it: relative to the project root when it is inside it."""
    text, prefix = str(file), str(root)
    if text.startswith(prefix) and text[len(prefix) : len(prefix) + 1] == os.sep:
        # called per file (20,000 at a time): strings, not Path.relative_to (~7 µs each)
        rest = text[len(prefix) + 1 :]
        return rest if os.sep == "/" else rest.replace(os.sep, "/")
    file = Path(file)
    try:
        return file.relative_to(root).as_posix()  # no file-system access
    except ValueError:
        try:
            return file.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            return file.as_posix()


def read_source(
    file: Path, root: Path, limit: int, diagnostics: Diagnostics, inside: Path | None = None
) -> SourceFile | None:
    """The file's text, or None after adding a diagnostic.

    `inside`: the folder the file must really be in (symlinks out of it are refused).
    """
    path = display_path(file, root)
    if file.is_symlink():
        diagnostics.add(
            path, 1, 1, "symbolic links are not allowed in content/: commit the file itself"
        )
        return None
    if inside is not None and not is_inside(file, inside):
        diagnostics.add(path, 1, 1, "this file is outside the content folder")
        return None
    try:
        size = file.stat().st_size
        if size > limit:
            diagnostics.add(path, 1, 1, f"file is {size:,} bytes; the limit is {limit:,}")
            return None
        data = file.read_bytes()
    except FileNotFoundError:
        diagnostics.add(path, 1, 1, "file is missing")
        return None
    except OSError as error:
        diagnostics.add(path, 1, 1, f"cannot read file: {error.strerror}")
        return None
    return decode_source(path, data, diagnostics)


def decode_source(path: str, data: bytes, diagnostics: Diagnostics) -> SourceFile | None:
    if not data.strip():
        diagnostics.add(path, 1, 1, "file is empty")
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        col = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        diagnostics.add(
            path,
            line,
            col,
            f"invalid UTF-8 (byte 0x{data[error.start]:02x}): save the file as UTF-8",
        )
        return None
    control = CONTROL.search(text)
    if control is not None:
        line = text.count("\n", 0, control.start()) + 1
        col = control.start() - (text.rfind("\n", 0, control.start()) + 1) + 1
        diagnostics.add(
            path,
            line,
            col,
            f"control character U+{ord(control.group()):04X} is "
            "not allowed: is this a binary file, or a paste from a terminal?",
        )
        return None
    text = text.replace("\r\n", "\n").replace("\r", "\n")  # ROOT is a CONTROL character
    return SourceFile(path=path, text=text, digest=hashlib.sha256(data).hexdigest())


def is_inside(file: Path, folder: Path) -> bool:
    """True when `file` resolves to a place under `folder` (real paths, not a string prefix)."""
    return Path(os.path.realpath(file)).is_relative_to(os.path.realpath(folder))
