"""What a long-lived process (`make serve`) keeps from one build to the next.

A fresh build hashes every content file and decodes every cached record; a process that stays
up keeps the content cache (with the records it decoded) and each file's hash, so a rebuild
after an edit hashes and decodes only what changed, and starts no interpreter and imports
nothing. Handed to the build as `BuildOptions.memory` (generator.pipeline).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import msgspec

from .cache import ContentCache, read_kept, write_kept
from .compiled import CompiledTemplates
from .faults import Notes
from .pieces import StoredPieces

Stamp = tuple[int, int, int, int]  # inode, size, mtime and ctime in ns: "the same bytes"
RACY_NS = 2_000_000_000  # file systems whose times tick in seconds (or two): trust no stamp
# younger than this


DIGESTS = "digests.json"
Row = tuple[int, int, int, int, str]  # a stamp and the digest, as stored
FragmentKey = tuple[str, ...]  # (kind, record id, digest of its article's file, ...)


@dataclass
class Fragments:
    """Pieces of the search index and the TimelineJS files that depend on one record only (a
    development's search row and words, its slide): made once per record and kept by a
    long-lived process, so after an edit only the edited article's pieces are made again.
    A worker process sends back what it `made`; the parent adds it with `merge`. A fresh
    process reads them from `stored` (the cache's files) and saves them there after each task.
    """

    kept: dict[FragmentKey, Any] = field(default_factory=dict)
    made: dict[FragmentKey, Any] = field(default_factory=dict)
    pruned_at: int = 0  # size of `kept` after the last pruning
    stored: StoredPieces | None = None

    def get(self, key: FragmentKey, make: Callable[[], Any]) -> Any:
        if self.stored is not None:  # a fresh process: `stored` remembers them, once
            return self.stored.get(key, make)
        value = self.kept.get(key)
        if value is None:
            value = self.made.get(key)
            if value is None:
                value = self.made[key] = make()
        return value

    def peek(self, key: FragmentKey) -> Any:
        """The piece of `key` if one was made or kept (None: not), without making it."""
        if self.stored is not None:
            return self.stored.peek(key)
        value = self.kept.get(key)
        return value if value is not None else self.made.get(key)

    def save(self) -> None:
        """After a task: keep what it asked for on disk, for the next process."""
        if self.stored is not None:
            self.stored.save()

    def merge(self, made: dict[FragmentKey, Any]) -> None:
        self.kept.update(made)

    def keep_only(self, digests: set[str]) -> None:
        """After a build: drop pieces of file versions that are gone, once they are a tenth
        of all (an edit leaves a few behind; looking at every piece after each costs more)."""
        self.kept.update(self.made)
        self.made = {}
        if len(self.kept) > self.pruned_at * 1.1:
            self.kept = {k: v for k, v in self.kept.items() if k[2] in digests}
            self.pruned_at = len(self.kept)


def file_digest(file: Path | str) -> str:
    """The sha256 of the file's bytes (hex), or "" when it cannot be read."""
    try:
        with open(file, "rb") as handle:
            return hashlib.sha256(handle.read()).hexdigest()
    except OSError:
        return ""


@dataclass
class FileDigests:
    """Each content file's sha256, hashed again only when its stamp changed."""

    hashed: dict[str, tuple[Stamp, str]] = field(default_factory=dict)  # path → stamp, sha256

    def file_digest(self, path: str, file: Path | str) -> str:
        """The sha256 of the file, hashed again unless its stamp is the same as when it was
        hashed at least RACY_NS after it was last changed (git's rule for "racily clean"
        files: a write in the same tick as the hash would leave the stamp as it was)."""
        try:
            status = os.stat(file)
        except OSError:
            return ""
        stamp = (status.st_ino, status.st_size, status.st_mtime_ns, status.st_ctime_ns)
        known = self.hashed.get(path)
        if known is not None and known[0] == stamp:
            return known[1]
        digest = file_digest(file)
        if not digest:  # it could not be read
            return ""
        if time.time_ns() - max(status.st_mtime_ns, status.st_ctime_ns) > RACY_NS:
            self.hashed[path] = (stamp, digest)
        else:
            self.hashed.pop(path, None)  # hashed again next time
        return digest


@dataclass
class Memory(FileDigests):
    cache: ContentCache | None = None
    fragments: Fragments = field(default_factory=Fragments)
    templates: CompiledTemplates = field(default_factory=lambda: CompiledTemplates(beside=True))
    templates_for: str = ""  # the build's `shell` (settings, theme, code) they were made for

    def compiled_templates(self, shell: str) -> CompiledTemplates:
        """Jinja's compiled code depends on its options (JINJA_ENVIRONMENT) too, not only on
        each template's source: kept only while settings, theme and code are the same."""
        if shell != self.templates_for:
            self.templates, self.templates_for = CompiledTemplates(beside=True), shell
        return self.templates

    def content_cache(self, folder: Path | None, scope: str, notes: Notes) -> ContentCache:
        """Last build's cache when it is for the same folder and scope, else a new one."""
        fresh = ContentCache(folder, scope, notes, resident=True)
        if self.cache is None or (self.cache.folder, self.cache.scope) != (fresh.folder, scope):
            self.cache, self.fragments = fresh, Fragments()  # pieces depend on the scope too
        self.cache.begin(notes)
        return self.cache


class StoredStrings:
    """Strings each made from its key alone (a map's land for its view), kept in a file of
    the cache's scope folder (`name`) from one build to the next, so that a build asks for
    them without making them. Past `limit` strings the file starts over (those a build asks
    for are made again). Never needed: a file that cannot be read or written means making
    them."""

    def __init__(self, folder: Path | None, name: str, limit: int = 64) -> None:
        self.folder, self.name, self.limit = folder, name, limit
        self.made = False
        body = read_kept(folder, name)
        self.strings: dict[str, str] = {}
        if body is not None:
            with contextlib.suppress(msgspec.DecodeError):
                self.strings = msgspec.json.decode(body, type=dict[str, str])

    def get(self, key: str, make: Callable[[], str]) -> str:
        found = self.strings.get(key)
        if found is None:
            if len(self.strings) >= self.limit:
                self.strings = {}
            found = self.strings[key] = make()
            self.made = True
        return found

    def save(self) -> None:
        """Keep them when one was made this build."""
        if self.made:
            write_kept(self.folder, self.name, msgspec.json.encode(self.strings))
            self.made = False


class StoredDigests(FileDigests):
    """FileDigests of a fresh process, kept in the cache's scope folder from one build to the
    next (signed JSON, `digests.json`): a build after one edit reads and hashes that file
    only, not every file (~0.1 s at 5,000 articles). Never needed: a file that cannot be
    read or written means hashing every file."""

    def __init__(self, folder: Path | None) -> None:
        super().__init__()
        self.folder = folder
        body = read_kept(folder, DIGESTS)
        if body is not None:
            with contextlib.suppress(msgspec.DecodeError):
                rows = msgspec.json.decode(body, type=dict[str, Row])
                self.hashed = {p: ((i, n, m, c), d) for p, (i, n, m, c, d) in rows.items()}
        self.saved = dict(self.hashed)

    def save(self, paths: set[str]) -> None:
        """Keep the digests of `paths` (the files read this build) when any changed."""
        kept = {path: known for path, known in self.hashed.items() if path in paths}
        if self.folder is None or kept == self.saved:
            return
        rows = {path: [*stamp, digest] for path, (stamp, digest) in sorted(kept.items())}
        write_kept(self.folder, DIGESTS, msgspec.json.encode(rows))
