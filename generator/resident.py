"""What a long-lived process (`make serve`) keeps from one build to the next.

A fresh build hashes every content file and decodes every cached record; a process that stays
up keeps the content cache (with the records it decoded) and each file's hash, so a rebuild
after an edit hashes and decodes only what changed, and starts no interpreter and imports
nothing. Passed to the build through the settings (`MEMORY_KEY`).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .cache import ContentCache

MEMORY_KEY = "TIMELINE_MEMORY"
Stamp = tuple[int, int, int, int]  # inode, size, mtime and ctime in ns: "the same bytes"


@dataclass
class Memory:
    cache: ContentCache | None = None
    hashed: dict[str, tuple[Stamp, str]] = field(default_factory=dict)  # path → stamp, sha256

    def content_cache(self, folder: Path | None, scope: str) -> ContentCache:
        """Last build's cache when it is for the same folder and scope, else a new one."""
        fresh = ContentCache(folder, scope, resident=True)
        if self.cache is None or (self.cache.folder, self.cache.scope) != (fresh.folder, scope):
            self.cache = fresh
        self.cache.begin()
        return self.cache

    def file_digest(self, path: str, file: Path) -> str:
        """The sha256 of the file, hashed again only when its stamp changed."""
        try:
            status = os.stat(file)
            stamp = (status.st_ino, status.st_size, status.st_mtime_ns, status.st_ctime_ns)
            known = self.hashed.get(path)
            if known is not None and known[0] == stamp:
                return known[1]
            digest = hashlib.sha256(file.read_bytes()).hexdigest()
        except OSError:
            return ""
        self.hashed[path] = (stamp, digest)
        return digest


def memory_of(settings: Mapping[str, Any]) -> Memory | None:
    memory = settings.get(MEMORY_KEY)
    return memory if isinstance(memory, Memory) else None
