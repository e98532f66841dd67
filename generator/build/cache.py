"""The content cache: each file's parsed record, keyed by the file's hash, valid only for the
same code, settings and registries, and signed so a file nobody here wrote is never used.

It lives outside output/ (default: .timeline-cache/ in the project, which `make clean` removes),
in a folder per scope (code + settings + registries): a scope change starts a new folder and
the old ones are pruned. The entries are one file, `documents.jsonl`, one JSON line per
document (loading cannot run code): one file to open, sign and check, not thousands (creating
5,000 small files costs a second here). The file carries an HMAC made with a per-machine key
kept outside the project (~/.config/timeline-digests/cache.key): a cache committed in a pull
request, or restored from anywhere else, fails the check and is ignored as a whole.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import shutil
import threading
from pathlib import Path

from ..model.records import Article, Page
from .codec import CodecError, decode, encode

PACK = "documents.jsonl"


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


def dump_document(document: Article | Page) -> bytes:
    """A document as its line's tail: `"<kind>",{document}` (JSON escapes every line break
    inside strings, so a document is one line)."""
    kind, body = encode(document)
    return b'"' + kind + b'",' + body


def load_document(tail: bytes) -> Article | Page | None:
    """The document of a line's tail, or None when it does not decode (another version)."""
    try:
        return decode(tail[1:2], tail[4:])
    except CodecError:
        return None


class ContentCache:
    """Parsed documents by (path, file hash): each line of the pack is
    `["<key>","<kind>",{document}]`, where the key (64 hex digits) hashes both, so a line is
    found without decoding it.

    `resident`: a long-lived process (make serve) keeps this instance from build to build,
    with the records it decoded, so a rebuild decodes nothing it already had."""

    def __init__(self, folder: Path | None, scope: str, resident: bool = False) -> None:
        self.scope = scope
        self.folder = folder / f"scope-{scope[:24]}" if folder else None
        self.key = machine_key() if folder else b""
        self.resident = resident
        self._lines: dict[str, bytes] | None = None  # key → its line, as last saved
        self.decoded: dict[str, Article | Page] = {}  # key → its record (resident only)
        self.used: dict[str, bytes] = {}  # what this build read or added: the next pack
        self.changed = False
        self._writing: threading.Thread | None = None

    def begin(self) -> None:
        """A new build with this (resident) instance."""
        self.used, self.changed = {}, False

    @staticmethod
    def _key(path: str, digest: str) -> str:
        return hashlib.sha256(f"{path}\0{digest}".encode()).hexdigest()

    def _saved(self) -> dict[str, bytes]:
        if self._lines is None:
            body = read_signed(self.folder / PACK, self.key) if self.folder else None
            self._lines = {line[2:66].decode(): line for line in (body or b"").splitlines()
                           if line[:2] == b'["' and line[66:68] == b'",'}
        return self._lines

    def get(self, path: str, digest: str) -> Article | Page | None:
        """The document when this machine cached these bytes of `path`, else None."""
        key = self._key(path, digest)
        line = self._saved().get(key)
        if line is None:
            return None
        document = self.decoded.get(key) or load_document(line[68:-1])
        if document is not None:
            self.used[key] = line
            if self.resident:
                self.decoded[key] = document
        return document

    def put(self, path: str, digest: str, body: bytes, document: Article | Page) -> None:
        """Remember a document (and `body`, its `dump_document`) for the next build."""
        if self.folder is not None:
            key = self._key(path, digest)
            self.used[key] = b'["' + key.encode() + b'",' + body + b"]"
            self.changed = True
            if self.resident:
                self.decoded[key] = document

    @property
    def root(self) -> Path | None:
        return self.folder.parent if self.folder else None

    def save(self) -> None:
        """Write the pack when this build added entries or left some unused (deleted or edited
        files), and drop other scopes' folders."""
        if self.folder is None:
            return
        if self.changed or len(self.used) != len(self._saved()):
            self._write_pack(self.folder / PACK, self.used)
        self._lines, self.changed = dict(self.used), False  # the pack as it is now on disk
        self.decoded = {k: v for k, v in self.decoded.items() if k in self._lines}
        for other in self.folder.parent.glob("scope-*"):
            if other != self.folder:
                shutil.rmtree(other, ignore_errors=True)

    def _write_pack(self, file: Path, entries: dict[str, bytes]) -> None:
        """A resident cache writes in a thread (make serve's reader need not wait for tens of
        MB), one write at a time; `entries` is never changed again (`begin` makes a new one)."""
        def write() -> None:
            write_signed(file, b"\n".join(entries[k] for k in sorted(entries)), self.key)

        if self._writing is not None:
            self._writing.join()
            self._writing = None
        if not self.resident:
            write()
        else:
            self._writing = threading.Thread(target=write)  # not a daemon: finishes at exit
            self._writing.start()

    def release(self) -> None:
        """Forget the pack's lines (tens of MB at thousands of articles) once it is saved; a
        later `get` reads it again. A resident cache keeps them for the next build."""
        if not self.resident:
            self._lines, self.used = None, {}
