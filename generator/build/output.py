"""Atomic, incremental output.

A build writes into a fresh staging folder beside the output and swaps it in only when it
succeeded, so a failed build leaves the previous output untouched. To avoid rewriting what
did not change, the staging folder starts as hard links of the previous output (theme assets
excepted: Pelican copies those itself); every write first removes the link and writes only
when the bytes differ, so the previous output's files are never modified in place. Pages whose
inputs did not change (same fingerprint as last time) are kept without being rendered again.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

from ..settings import SettingsError
from .cache import machine_key, read_signed, write_signed

NOT_LINKED = ("theme/",)


@dataclass
class OutputTracker:
    """Which output files this build rendered or kept, and the fingerprint of each."""

    root: Path  # the staging folder
    linked: dict[str, int] = field(default_factory=dict)  # name → inode shared with last output
    previous: dict[str, str] = field(default_factory=dict)
    current: dict[str, str] = field(default_factory=dict)
    written: set[str] = field(default_factory=set)
    kept: set[str] = field(default_factory=set)  # of `written`: last build's file, as it is

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
                if name not in self.kept and (name in self.written or name not in self.linked):
                    found.append(base / file)
        return sorted(found)

    def record(self, name: str, key: str | None) -> None:
        self.written.add(name)
        if key is not None:
            self.current[name] = key

    def remove_stale(self) -> int:
        """Delete linked files this build neither wrote nor kept (e.g. a deleted article)."""
        removed = 0
        for name, inode in self.linked.items():
            path = self.root / name
            if name not in self.written and path.exists() and path.stat().st_ino == inode:
                path.unlink()
                removed += 1
        return removed


def write_if_changed(target: Path, data: bytes) -> bool:
    try:
        if target.stat().st_size == len(data) and target.read_bytes() == data:
            return False
        target.unlink()  # never write through a hard link into the previous output
    except FileNotFoundError:
        target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    return True


def replace_file(target: Path, data: bytes) -> None:
    """Write a fresh file (a new inode): never through a hard link into the previous output."""
    target.parent.mkdir(parents=True, exist_ok=True)
    target.unlink(missing_ok=True)
    target.write_bytes(data)


def manifest_file(cache_folder: Path, target: Path) -> Path:
    name = hashlib.sha256(str(target).encode()).hexdigest()[:16]
    return cache_folder / f"pages-{name}.json"


def load_manifest(file: Path | None) -> dict[str, str]:
    """Last build's page fingerprints; signed like the content cache, else ignored."""
    body = read_signed(file, machine_key()) if file is not None else None
    if body is None:
        return {}
    try:
        data = json.loads(body)
    except ValueError:
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def save_manifest(file: Path, manifest: dict[str, str]) -> None:
    body = json.dumps(manifest, sort_keys=True, separators=(",", ":")).encode()
    write_signed(file, body, machine_key())


class StagedOutput:
    def __init__(self, target: Path, content: Path) -> None:
        _check_target(target, content)
        self.target = target
        self.path = target.parent / f".{target.name}.staging-{os.getpid()}"
        self.linked: dict[str, int] = {}  # name → inode shared with the previous output
        self.committed = False

    def __enter__(self) -> StagedOutput:
        shutil.rmtree(self.path, ignore_errors=True)
        self.path.mkdir(parents=True)
        if self.target.is_dir():
            self._link_previous()
        return self

    def _link_previous(self, folder: str = "") -> None:
        """Hard-link every file of the previous output into the staging folder (os.scandir:
        the inode comes with each entry, no stat per file)."""
        source_folder = os.path.join(self.target, folder)
        os.makedirs(os.path.join(self.path, folder), exist_ok=True)
        with os.scandir(source_folder) as entries:
            for entry in entries:
                relative = f"{folder}/{entry.name}" if folder else entry.name
                if entry.is_symlink():
                    continue
                if entry.is_dir():
                    if not f"{relative}/".startswith(NOT_LINKED):
                        self._link_previous(relative)
                elif not relative.startswith(NOT_LINKED):
                    os.link(entry.path, os.path.join(self.path, relative))
                    self.linked[relative] = entry.inode()

    def commit(self, remove_old_now: bool = True) -> None:
        """Swap the staged tree in. A long-lived process (make serve) removes the old one in
        a thread instead of making the reader wait for thousands of unlinks."""
        old = self.target.parent / f".{self.target.name}.old-{os.getpid()}-{time.monotonic_ns()}"
        if self.target.exists():
            os.replace(self.target, old)
        os.replace(self.path, self.target)
        if remove_old_now:
            shutil.rmtree(old, ignore_errors=True)
        else:
            threading.Thread(target=shutil.rmtree, args=(old,), kwargs={"ignore_errors": True},
                             daemon=False).start()  # finished even if the server stops
        self.committed = True

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        if not self.committed:
            shutil.rmtree(self.path, ignore_errors=True)


def _check_target(target: Path, content: Path) -> None:
    """Refuse an output folder that is, or holds, the content or the project."""
    if target == content or content.is_relative_to(target) or target.is_relative_to(content):
        raise SettingsError(f"output folder {target} overlaps the content folder {content}")
    if target.exists() and not target.is_dir():
        raise SettingsError(f"output {target} is a file, not a folder")
    if target.is_dir() and any(target.iterdir()) and not (target / "index.html").is_file():
        # A build replaces the output folder whole: never a folder that is not a built site.
        raise SettingsError(f"output folder {target} is not empty and has no index.html, so it "
                            "is not a built site; a build would replace it: remove it or choose "
                            "another folder")


def write_text(output: Path, name: str, text: str) -> None:
    """Write one file under the output folder (checked on real paths, not a string prefix)."""
    target = (output / name).resolve()
    if not target.is_relative_to(output.resolve()):
        raise ValueError(f"refusing to write outside the output folder: {name}")
    write_if_changed(target, text.encode("utf-8"))
