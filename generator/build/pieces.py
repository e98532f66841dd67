"""Per-record pieces kept on disk from one build process to the next.

The data files and the search index are made of one piece per record (an event's JSON, its
search row and words: see `resident.Fragments`). A fresh process after one edit would make
all of them again (~2 s of CPU at 5,000 articles) to change the few of the edited article;
instead each kind of piece is kept in a file of the content cache's scope folder, so it is
valid for the same code, settings and registries only, as the records beside it are. A
piece's key names its article file's digest, so an edited, moved or deleted article's pieces
are simply not asked for again, and the next save leaves them out.

Each file (`pieces-<kind>.json`, one line of JSON) is signed with the machine key like the
content pack: a file nobody here wrote is never read, and reading one runs no code (JSON, as
every file of the cache: never a pickle, never compiled code). Pieces must be plain data
(strings, numbers, lists or tuples of them: tuples come back as lists); anything else is
made again each time and never saved. Like the cache, the files are never needed: one that
cannot be read or written is left alone and the pieces are made.
"""

from __future__ import annotations

import contextlib
import gc
import hmac
from collections.abc import Callable
from pathlib import Path
from typing import Any

import msgspec

from .cache import CacheUnusable, machine_key, make_folder, read_file, sign, write_signed

PLAIN = (str, list, tuple)  # a piece's type, exactly (a str subclass would come back a str)
Key = tuple[str, ...]  # (kind, record id, digest of its article's file, ...)


class StoredPieces:
    """The pieces of each kind this process asked for: read on the kind's first use, saved
    by `save` when some were made (or some of the file's were not asked for)."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self.loaded: dict[str, dict[str, Any]] = {}  # kind → its file's pieces
        self.used: dict[str, dict[str, Any]] = {}  # kind → the pieces asked for since the save
        self.made: set[str] = set()  # kinds with a piece made since the save
        self.unsaveable: set[str] = set()  # kinds with a piece that is not plain data

    def get(self, key: Key, make: Callable[[], Any]) -> Any:
        """The stored piece of `key`, else `make()` (remembered for the next save)."""
        kind, name = key[0], "\0".join(key[1:])
        stored = self._pieces(kind)
        value = stored.get(name)
        if value is None:
            value = make()
            self.made.add(kind)
            if type(value) not in PLAIN:
                self.unsaveable.add(kind)
        self.used.setdefault(kind, {})[name] = value
        return value

    def _pieces(self, kind: str) -> dict[str, Any]:
        stored = self.loaded.get(kind)
        if stored is None:
            stored = self.loaded[kind] = self._read(kind)
        return stored

    def _file(self, kind: str) -> Path | None:
        return self.folder / f"pieces-{kind}.json" if self.folder is not None else None

    def _read(self, kind: str) -> dict[str, Any]:
        file = self._file(kind)
        if file is None:
            return {}
        try:
            data = read_file(file)
            cut = data.find(b"\n") if data is not None else -1
            if data is None or cut < 0:
                return {}
            body = memoryview(data)[cut + 1 :]  # not copied: tens of MB at 20,000 articles
            if not hmac.compare_digest(data[:cut], sign((body,), machine_key())):
                return {}  # not signed on this machine (or changed since)
            collecting = gc.isenabled()
            gc.disable()  # tens of thousands of small lists, none of them in a cycle: a
            try:  # collection now and then would take longer than decoding them
                return msgspec.json.decode(body, type=dict[str, Any])
            finally:
                if collecting:
                    gc.enable()
        except (CacheUnusable, msgspec.DecodeError, OSError):
            return {}

    def save(self) -> None:
        """Write each kind asked for that changed: some pieces made, or some of its file's
        not asked for (an edited or deleted article's)."""
        for kind, used in self.used.items():
            file = self._file(kind)
            if file is None or kind in self.unsaveable:
                continue
            if kind not in self.made and len(used) == len(self.loaded.get(kind, ())):
                continue
            with contextlib.suppress(CacheUnusable, OSError, TypeError, msgspec.EncodeError):
                body = msgspec.json.encode(used)
                make_folder(file.parent, 3)  # the cache, the content's and the scope's folders
                write_signed(file, body, machine_key())
            self.loaded[kind] = used
        self.used, self.made = {}, set()
