"""The content cache: each file's parsed record, keyed by the file's hash, valid only for the
same code, settings and registries, and signed so a file nobody here wrote is never used.

It lives outside output/ (default: .timeline-cache/ in the project, which `make clean` removes),
one small JSON file per article, in a folder per scope (code + settings + registries): a scope
change starts a new folder and the old ones are pruned. Entries are JSON (loading cannot run
code) and each carries an HMAC made with a per-machine key kept outside the project
(~/.config/timeline-digests/cache.key): a cache committed in a pull request, or restored from
anywhere else, fails the check and is ignored.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import shutil
from pathlib import Path

from .codec import decode, encode
from .model import Article, Page


def machine_key() -> bytes:
    folder = Path(os.environ.get("XDG_CONFIG_HOME", Path.home() / ".config")) / "timeline-digests"
    path = folder / "cache.key"
    try:
        return bytes.fromhex(path.read_text().strip())
    except (OSError, ValueError):
        folder.mkdir(parents=True, exist_ok=True)
        key = secrets.token_bytes(32)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(key.hex())
        return key


def sign(body: bytes, key: bytes) -> bytes:
    return hmac.new(key, body, hashlib.sha256).hexdigest().encode()


def write_signed(file: Path, body: bytes, key: bytes) -> None:
    """`signature\nbody`, replaced atomically."""
    file.parent.mkdir(parents=True, exist_ok=True)
    temporary = file.with_suffix(f".{os.getpid()}.tmp")
    temporary.write_bytes(sign(body, key) + b"\n" + body)
    os.replace(temporary, file)


def read_signed(file: Path, key: bytes) -> bytes | None:
    """The body, or None when missing or not signed by this machine's key."""
    try:
        signature, _, body = file.read_bytes().partition(b"\n")
    except OSError:
        return None
    return body if hmac.compare_digest(signature, sign(body, key)) else None


class ContentCache:
    """Parsed documents by (path, file hash) under one scope folder."""

    def __init__(self, folder: Path | None, scope: str) -> None:
        self.scope = scope
        self.folder = folder / f"scope-{scope[:24]}" if folder else None
        self.key = machine_key() if folder else b""
        self.used: set[str] = set()

    def _entry(self, path: str, digest: str) -> Path | None:
        if self.folder is None:
            return None
        return self.folder / (hashlib.sha256(f"{path}\0{digest}".encode()).hexdigest() + ".json")

    def get(self, path: str, digest: str) -> Article | Page | None:
        entry = self._entry(path, digest)
        body = read_signed(entry, self.key) if entry is not None else None
        if entry is None or body is None:
            return None  # absent, or not written by this machine: never trusted
        self.used.add(entry.name)
        return decode(json.loads(body))

    def put(self, path: str, digest: str, document: Article | Page) -> None:
        entry = self._entry(path, digest)
        if entry is None:
            return
        body = json.dumps(encode(document), ensure_ascii=False, separators=(",", ":")).encode()
        write_signed(entry, body, self.key)
        self.used.add(entry.name)

    @property
    def root(self) -> Path | None:
        return self.folder.parent if self.folder else None

    def prune(self) -> None:
        """Drop entries this build did not use, and other scopes' folders."""
        if self.folder is None or not self.folder.is_dir():
            return
        for entry in self.folder.iterdir():
            if entry.name not in self.used:
                entry.unlink(missing_ok=True)
        for other in self.folder.parent.glob("scope-*"):
            if other != self.folder:
                shutil.rmtree(other, ignore_errors=True)
