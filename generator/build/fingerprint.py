"""Fingerprints: what a build's output depends on, hashed.

- `code_version`: our package's source, and the versions of the libraries that shape output.
- `tree_digest`: every file under a folder (the theme).
- `value_digest`: a page's template values, where each model record stands for itself by id
  and the digest of the file it came from, so the hash costs a fraction of rendering.
"""

from __future__ import annotations

import fnmatch
import functools
import hashlib
import sys
from collections.abc import Iterable, Mapping
from dataclasses import fields, is_dataclass
from datetime import date
from importlib import metadata
from pathlib import Path
from typing import Any

from ..model.records import Article, Event, Quote
from .faults import contained_files

PLAIN = frozenset({str, int, float, bool, date, type(None)})  # walked as their repr()
PACKAGE = Path(__file__).parents[1]  # the whole generator package
LIBRARIES = (
    "pelican",
    "markdown-it-py",
    "mdit-py-plugins",
    "Jinja2",
    "MarkupSafe",
    "PyYAML",
    "msgspec",
)


@functools.cache
def code_version() -> str:
    """Of the code this process runs: read once, so a long-lived process (make serve) whose
    source files are edited under it still labels what it makes with the code that made it."""
    digest = hashlib.sha256(sys.version.encode())
    for library in LIBRARIES:
        digest.update(f"{library}=={metadata.version(library)}".encode())
    digest.update(tree_digest(PACKAGE, "*.py").encode())
    digest.update(tree_digest(PACKAGE / "render" / "charts" / "geo").encode())  # map data
    return digest.hexdigest()


def tree_digest(folder: Path, pattern: str = "*") -> str:
    """Every file under `folder` (links followed only within it) whose name matches, but
    none in a `__pycache__` folder: what Python (a `.pyc`) or the build (a theme's compiled
    templates, build.compiled) wrote there is made from the files beside it."""
    digest = hashlib.sha256()
    for name, file in contained_files(folder, [folder]):
        if fnmatch.fnmatch(file.name, pattern) and "__pycache__" not in name.split("/"):
            digest.update(name.encode() + b"\0")
            digest.update(hashlib.sha256(file.read_bytes()).digest())
    return digest.hexdigest()


def text_digest(*parts: str) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode() + b"\0")
    return digest.hexdigest()


class ValueHasher:
    """Hashes template values; records are keyed by their source file's digest.

    Each container and frozen record is walked once per build and remembered by identity
    (kept alive, so an id is never reused): the regions' counts, shown on every region page,
    cost one walk, not one per page. So a value must not change once a page was given it;
    generators build their values and never touch them again.
    """

    def __init__(self, article_digests: Mapping[str, str]) -> None:
        self.article_digests = article_digests
        self.tokens: dict[int, str] = {}  # id(value) → its token
        self.alive: list[Any] = []  # every value with a token stays alive: its id is never reused

    def digest(self, value: Any) -> str:
        parts: list[str] = []
        self._walk(value, parts)
        return hashlib.sha256("\0".join(parts).encode()).hexdigest()

    def records(self, items: Iterable[Event | Quote | Article]) -> str:
        """The digest of a sequence of records: the fast path for what a page lists (a page
        of a timeline, a day), one token lookup per record and no walk."""
        tokens = self.tokens
        try:  # every record known (see `prime`): the lookups run in C
            parts = list(map(tokens.__getitem__, map(id, items)))
        except KeyError:
            token_of = self._record_token
            parts = [tokens.get(id(item)) or token_of(item) for item in items]
        return _hashed(parts)

    def prime(self, items: Iterable[Event | Quote | Article]) -> None:
        """Make every record's token now (pages then find them all)."""
        tokens, token_of = self.tokens, self._record_token
        for item in items:
            if id(item) not in tokens:
                token_of(item)

    def _record_token(self, item: Event | Quote | Article) -> str:
        if isinstance(item, Article):
            return self._remember(item, f"a:{item.slug}@{self.article_digests.get(item.slug, '?')}")
        return self._remember(item, f"{item.id}@{self.article_digests.get(item.article, '?')}")

    def _remember(self, value: Any, token: str) -> str:
        self.tokens[id(value)] = token
        self.alive.append(value)
        return token

    def _walk(self, value: Any, parts: list[str]) -> None:
        token = self.tokens.get(id(value))
        if token is not None:
            parts.append(token)
        elif isinstance(value, (Event, Quote, Article)):
            parts.append(self._record_token(value))
        elif isinstance(value, (str, int, float, bool, date)) or value is None:
            parts.append(repr(value))
        elif isinstance(value, Mapping):
            inner = ["{"]
            for key, item in value.items():
                inner.append(repr(key))
                self._walk(item, inner)
            parts.append(self._remember(value, _hashed(inner)))
        elif isinstance(value, (list, tuple)):
            if all(type(item) in PLAIN for item in value):  # (a day, a count): no recursion
                inner = ["[", *map(repr, value)]  # each item's part, as _walk makes it
            else:
                inner = ["["]
                for item in value:
                    self._walk(item, inner)
            parts.append(self._remember(value, _hashed(inner)))
        elif is_dataclass(value):
            inner = [type(value).__name__]
            for field in fields(value):
                self._walk(getattr(value, field.name), inner)
            token = _hashed(inner)
            parts.append(self._remember(value, token) if _frozen(value) else token)
        else:
            parts.append(repr(value))  # deterministic reprs only reach here (enums, paths)


def _frozen(value: Any) -> bool:
    return bool(type(value).__dataclass_params__.frozen)


def _hashed(parts: list[str]) -> str:
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()
