"""Per-record pieces kept on disk from one build process to the next.

The search index and the TimelineJS files are made of one piece per record (a development's
search row and words, its slide: see `resident.Fragments`; data/events.json and quotes.json
copy their lines from the last file instead, build.lists). A fresh process after one edit
would make all of them again to change the few of the edited article (the search index at
5,000 articles: 0.8 s so, 0.4 s with its pieces kept);
instead each kind of piece is kept in a file of the content cache's scope folder, so it is
valid for the same code, settings and registries only, as the records beside it are. A
piece's key names its article file's digest, so an edited, moved or deleted article's pieces
are simply not asked for again, and the next save leaves them out.

Each kind's pieces are spread over PARTS files by record id (`pieces-<kind>-<n>.json`, one
line of JSON each), so an edit rewrites a few of them and a file read in is a fraction of
the whole. Each file is signed with the machine key like the content pack: a file nobody
here wrote is never read, and reading one runs no code (JSON, as every file of the cache:
never a pickle, never compiled code). Pieces must be plain data
(strings, numbers, lists or tuples of them: tuples come back as lists); anything else is
made again each time and never saved. Like the cache, the files are never needed: one that
cannot be read or written is left alone and the pieces are made.
"""

from __future__ import annotations

import contextlib
import gc
import zlib
from collections.abc import Callable, Collection
from pathlib import Path
from typing import Any

import msgspec

from .cache import read_kept, write_kept

PLAIN = (str, list, tuple)  # a piece's type, exactly (a str subclass would come back a str)
PARTS = 16  # files per kind: an edit rewrites those holding its records' pieces, not all
Key = tuple[str, ...]  # (kind, record id, digest of its article's file, ...)
Part = tuple[str, int]  # a kind and one of its files, by its records' ids


class StoredPieces:
    """The pieces of each kind this process asked for: each file read on its first use,
    saved by `save` when some of its pieces were made or some it held are of files gone.
    `live`: the digests of the content's files now; a piece of another file version is
    dropped when its file is saved (pieces not asked for are kept: a task may ask for the
    pieces of the records it changes only, the TimelineJS files of the regions an edit
    touched, a search index patched)."""

    def __init__(self, folder: Path | None, live: Collection[str] = ()) -> None:
        self.folder = folder
        self.live = live
        self.loaded: dict[Part, dict[str, Any]] = {}  # a file's pieces, as read
        self.used: dict[Part, dict[str, Any]] = {}  # the pieces asked for since the save
        self.made: set[Part] = set()  # files with a piece made since the save
        self.unsaveable: set[str] = set()  # kinds with a piece that is not plain data

    def get(self, key: Key, make: Callable[[], Any]) -> Any:
        """The stored piece of `key`, else `make()` (remembered for the next save)."""
        part = (key[0], zlib.crc32(key[1].encode()) % PARTS)  # an edited record's stays put
        name = "\0".join(key[1:])
        used = self.used.get(part)
        if used is None:
            used = self.used[part] = {}
        elif (value := used.get(name)) is not None:  # made once per build (a slide serves
            return value  # every region around its place)
        stored = self.loaded.get(part)
        if stored is None:
            stored = self.loaded[part] = self._read(part)
        value = stored.get(name)
        if value is None:
            value = make()
            self.made.add(part)
            if type(value) not in PLAIN:
                self.unsaveable.add(part[0])
        used[name] = value
        return value

    def peek(self, key: Key) -> Any:
        """The stored piece of `key` if there is one (a piece of last build's version of a
        file: what a patch takes away), else None; not kept for that."""
        part = (key[0], zlib.crc32(key[1].encode()) % PARTS)
        used = self.used.get(part)
        name = "\0".join(key[1:])
        if used is not None and (value := used.get(name)) is not None:
            return value
        stored = self.loaded.get(part)
        if stored is None:
            stored = self.loaded[part] = self._read(part)
        return stored.get(name)

    @staticmethod
    def _file(part: Part) -> str:
        kind, number = part
        return f"pieces-{kind}-{number}.json"

    def _read(self, part: Part) -> dict[str, Any]:
        body = read_kept(self.folder, self._file(part))
        if body is None:
            return {}  # none yet, or not signed on this machine (or changed since)
        collecting = gc.isenabled()
        gc.disable()  # tens of thousands of small lists, none of them in a cycle: a
        try:  # collection now and then would take longer than decoding them
            return msgspec.json.decode(body, type=dict[str, Any])
        except msgspec.DecodeError:
            return {}
        finally:
            if collecting:
                gc.enable()

    def save(self) -> None:
        """Write each file asked for that changed: some pieces made, or some it held of a
        file version gone (an edited or deleted article's), which it no longer holds."""
        for part, used in self.used.items():
            if self.folder is None or part[0] in self.unsaveable:
                continue
            loaded = self.loaded.get(part, {})
            held = {
                name: value
                for name, value in loaded.items()
                if name not in used and name.split("\0", 2)[1] in self.live
            }
            if part not in self.made and len(held) + len(used) == len(loaded):
                continue
            with contextlib.suppress(TypeError, msgspec.EncodeError):
                write_kept(self.folder, self._file(part), msgspec.json.encode({**held, **used}))
        # Nothing is kept once saved: a task's pieces served it (a slide, every region around
        # it) and no other task asks for its kind; another would read the file again.
        self.loaded, self.used, self.made = {}, {}, set()
