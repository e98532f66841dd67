"""A small deterministic zip writer that streams to a file and reuses compressed members,
read by offset: from a previous zip, from a zip made earlier in the build, or from a spool.

zipfile cannot add a member that is compressed already, and compressing is what a download
costs (~30 MB/s at level 6). So the downloads are written here: entries in the order given
(sorted by the caller), fixed timestamps and permissions, no extra fields; a member whose
file did not change since the previous zip is copied from it as it is (its compressed bytes,
CRC and sizes), and bytes compressed once serve every later zip of the build holding them
(copied from the first that took them). ZIP64 end records when there are more than 65,534 entries.

Members are compressed before any zip is written, on every core: each process appends what
it compresses to a spool file of its own (Spool), and the zips then copy them from there.
Nothing is held in memory but one member at a time and the central directory: a member is
copied from where it is a piece at a time (pread), so a build of a 100 MB download does not
grow by 100 MB. Members that follow one another in the previous zip, with the local headers
this writer would write, are copied as one run, headers and all, kernel to kernel (after one
edit, a zip of 10,000 members is a few runs).
"""

from __future__ import annotations

import hashlib
import os
import struct
import tempfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from .output import copy_range, write_all

LEVEL = 6
DOS_DATE = (0 << 9) | (1 << 5) | 1  # 1980-01-01, the earliest a zip can hold: same bytes always
DOS_TIME = 0
UNIX_FILE = 0o100644 << 16
MADE_BY = (3 << 8) | 20  # unix, zip 2.0: the permissions above mean what they say
NEEDS = 20
DEFLATED = 8
UTF8 = 0x800
LOCAL = struct.Struct("<IHHHHHIIIHH")
CENTRAL = struct.Struct("<IHHHHHHIIIHHHHHII")
END = struct.Struct("<IHHHHIIH")
END64 = struct.Struct("<IQHHIIQQQQ")
LOCATOR64 = struct.Struct("<IIQI")
LIMIT = 0xFFFFFFFF
PIECE = 1 << 20  # bytes written or copied at a time
TAIL = END.size + 0xFFFF  # the end record and the longest comment a zip can have


def deflate(data: bytes) -> bytes:
    """Raw deflate of one member (what zipfile writes at this level)."""
    compressor = zlib.compressobj(LEVEL, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush()


class Stored(NamedTuple):
    """One member as it is in a zip on disk: its compressed bytes are `length` bytes at `at`
    in the open file `file` (a descriptor); its CRC and uncompressed size. When the bytes
    before it are the local header ZipWriter writes for it under the name `named`, `header`
    is where they start (else -1: a spool, or a header this writer would not write). (A named
    tuple: a zip of 10,000 members makes 20,000 of them, a frozen dataclass ~2 µs each.)"""

    file: int
    at: int
    length: int
    crc: int
    size: int
    header: int = -1
    named: str = ""


@dataclass(frozen=True)
class Spooled:
    """A member compressed into a spool file (`spool`: its path): its compressed bytes are
    `length` bytes at `at`; its CRC, uncompressed size and `key` (the digest of its bytes)."""

    spool: str
    at: int
    length: int
    crc: int
    size: int
    key: bytes


class Spool:
    """Members compressed by one process, appended to a file of their own in `folder` (which
    the caller removes); the same bytes twice are compressed once."""

    def __init__(self, folder: Path) -> None:
        descriptor, self.path = tempfile.mkstemp(dir=folder, suffix=".spool")
        self.file = os.fdopen(descriptor, "wb")
        self.at = 0
        self.known: dict[bytes, Spooled] = {}

    def add(self, data: bytes) -> Spooled:
        key = digest(data)
        spooled = self.known.get(key)
        if spooled is None:
            raw = deflate(data)
            self.file.write(raw)
            spooled = self.known[key] = Spooled(
                self.path, self.at, len(raw), zlib.crc32(data), len(data), key
            )
            self.at += len(raw)
        return spooled

    def flush(self) -> None:
        self.file.flush()

    def close(self) -> None:
        self.file.close()

    def __enter__(self) -> Spool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@dataclass
class Compressed:
    """Members compressed in this build, by their bytes (a region's zip takes the whole
    site's, copied from the site's zip), and the spools they were compressed into. It keeps
    the zips' and spools' files open (`own`, `spooled`) until `close`."""

    members: dict[bytes, Stored] = field(default_factory=dict)
    files: list[int] = field(default_factory=list)
    spools: dict[str, int] = field(default_factory=dict)  # a spool's path → its descriptor

    def own(self, descriptor: int) -> int:
        """A descriptor of the same open file, kept open until `close` (members compressed
        into it are copied from it by later zips, after the zip itself was closed)."""
        copy = os.dup(descriptor)
        self.files.append(copy)
        return copy

    def spooled(self, member: Spooled) -> Stored:
        """Where `member` is: in the zip that took it first this build, else in its spool."""
        stored = self.members.get(member.key)
        if stored is not None:
            return stored
        file = self.spools.get(member.spool)
        if file is None:
            flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC
            file = self.spools[member.spool] = os.open(member.spool, flags)
        return Stored(file, member.at, member.length, member.crc, member.size)

    def close(self) -> None:
        files = self.files + list(self.spools.values())
        self.files, self.spools, self.members = [], {}, {}
        for descriptor in files:
            os.close(descriptor)

    def __enter__(self) -> Compressed:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def digest(data: bytes) -> bytes:
    """What `Compressed` knows a member's bytes by."""
    return hashlib.sha1(data, usedforsecurity=False).digest() + len(data).to_bytes(8, "big")


@dataclass(frozen=True)
class OldArchive:
    """A previous zip: its members by name (where they are in `file`, open while this is
    used) and its comment (what it was made with)."""

    members: dict[str, Stored]
    comment: bytes

    @classmethod
    def read(
        cls, file: int, made_with: bytes | None = None, as_written: bool = False
    ) -> OldArchive | None:
        """None when the zip open as `file` is not a zip this writer could have made (its
        central directory and each member's local header are read by offset: faster than
        zipfile, only what this writer writes, and never the members themselves). With
        `made_with`, only a zip whose comment it is (this writer's, packing as now) is read;
        `as_written`: the zip is as this writer wrote it (the caller knows its stamp), so its
        local headers are those it writes and not 10,000 of them are read (the first and last
        are, against a zip cut short)."""
        try:
            return cls._read(file, made_with, as_written and made_with is not None)
        except (struct.error, ValueError, UnicodeDecodeError):
            return None

    @classmethod
    def _read(cls, file: int, made_with: bytes | None, known: bool) -> OldArchive | None:
        total = os.fstat(file).st_size
        tail_at = max(0, total - TAIL)
        tail = _read_at(file, total - tail_at, tail_at)
        found = tail.rfind(b"PK\x05\x06")
        if found < 0:
            return None
        fields = END.unpack_from(tail, found)
        count, size, start = fields[3], fields[5], fields[6]
        comment = tail[found + END.size : found + END.size + fields[7]]
        if made_with is not None and comment != made_with:
            return None
        end = tail_at + found
        if count == 0xFFFF or start == LIMIT:  # ZIP64: the locator stands before the end
            locator = LOCATOR64.unpack(_read_at(file, LOCATOR64.size, end - LOCATOR64.size))
            end64 = END64.unpack(_read_at(file, END64.size, locator[2]))
            if locator[0] != 0x07064B50 or end64[0] != 0x06064B50:
                return None
            count, size, start = end64[7], end64[8], end64[9]
        directory = _read_at(file, size, start)
        members: dict[str, Stored] = {}
        at = 0
        for _ in range(count):
            entry = CENTRAL.unpack_from(directory, at)
            if entry[0] != 0x02014B50 or entry[4] != DEFLATED:
                return None
            crc, compressed, plain, name_size, extra, note = entry[7:13]
            name = directory[at + CENTRAL.size : at + CENTRAL.size + name_size].decode("utf-8")
            offset = entry[16]
            stored: Stored | None
            if known:  # as written: the local header this writer writes
                stored = Stored(
                    file, offset + LOCAL.size + name_size, compressed, crc, plain, offset, name
                )
            else:
                stored = _as_found(file, name, offset, crc, compressed, plain)
            if stored is None or stored.at + compressed > total:
                return None
            members[name] = stored
            at += CENTRAL.size + name_size + extra + note
        if at != size:
            return None
        if known and members:
            for name in {next(iter(members)), next(reversed(members))}:
                said = members[name]
                if _as_found(file, name, said.header, said.crc, said.length, said.size) != said:
                    return None
        return cls(members, comment)


def _as_found(file: int, name: str, offset: int, crc: int, length: int, size: int) -> Stored | None:
    """A member as its local header at `offset` says; None when there is none there. Its
    `header` only when it is the one this writer writes (then a run may take it)."""
    encoded = name.encode("utf-8")
    raw = _read_at(file, LOCAL.size + len(encoded), offset)
    local = LOCAL.unpack_from(raw)
    if local[0] != 0x04034B50:
        return None
    begin = offset + LOCAL.size + local[9] + local[10]
    ours = raw == _local_header(encoded, crc, length, size)
    return Stored(file, begin, length, crc, size, offset if ours else -1, name if ours else "")


def _local_header(encoded: bytes, crc: int, length: int, size: int) -> bytes:
    """The local header ZipWriter writes before a member, its name (UTF-8) included."""
    flags = 0 if encoded.isascii() else UTF8
    sizes = (crc, length, size, len(encoded))
    header = LOCAL.pack(0x04034B50, NEEDS, flags, DEFLATED, DOS_TIME, DOS_DATE, *sizes, 0)
    return header + encoded


def _central_entry(encoded: bytes, member: Stored, offset: int) -> bytes:
    """The central directory's entry of a member named `encoded` (UTF-8) whose local header
    is at `offset`."""
    flags = 0 if encoded.isascii() else UTF8
    sizes = (member.crc, member.length, member.size, len(encoded))
    entry = CENTRAL.pack(
        0x02014B50, MADE_BY, NEEDS, flags, DEFLATED, DOS_TIME, DOS_DATE, *sizes, 0, 0, 0, 0,
        UNIX_FILE, offset,
    )  # fmt: skip
    return entry + encoded


def _read_at(file: int, size: int, at: int) -> bytes:
    """Exactly `size` bytes of `file` at `at` (ValueError: the file is shorter)."""
    data = os.pread(file, size, at)
    while len(data) < size:
        more = os.pread(file, size - len(data), at + len(data))
        if not more:
            raise ValueError("a zip shorter than its records say")
        data += more
    return data


class ZipWriter:
    """Members appended in order, written to `file` (a descriptor open for reading and
    writing, at its start) as they come; `finish()` writes the central directory."""

    def __init__(self, file: int) -> None:
        self.file = file
        self.buffer = bytearray()
        self.central: list[bytes] = []
        self.offset = 0  # of the next byte, buffered or in the run counted
        self.run: tuple[int, int, int] | None = None  # file, start, end: copied as one

    def add(self, name: str, member: Stored) -> Stored:
        """A member compressed already, copied from where it is; where it is in this zip."""
        if self.offset > LIMIT or member.length > LIMIT or member.size > LIMIT:
            raise ValueError(f"{name}: a download past 4 GiB is not supported")
        encoded = name.encode("utf-8")
        header_size = LOCAL.size + len(encoded)
        self.central.append(_central_entry(encoded, member, self.offset))
        here = Stored(
            self.file,
            self.offset + header_size,
            member.length,
            member.crc,
            member.size,
            self.offset,
            name,
        )
        if member.header >= 0 and member.named == name and member.file != self.file:
            # in a run: its header is copied with it, never made (10,000 members a zip)
            self._extend_run(member.file, member.header, member.at + member.length)
            self.offset += header_size + member.length
            return here
        self._copy_run()
        self._write(_local_header(encoded, member.crc, member.length, member.size))
        if member.file == self.file:  # an earlier member of this zip: on disk first
            self._flush()
        at, left = member.at, member.length
        while left:
            piece = _read_at(member.file, min(left, PIECE), at)
            self._write(piece)
            at += len(piece)
            left -= len(piece)
        return here

    def _extend_run(self, file: int, start: int, end: int) -> None:
        """Copy `file`'s bytes from `start` to `end` next: with the run before them when
        they follow it there."""
        if self.run is not None and self.run[0] == file and self.run[2] == start:
            self.run = (file, self.run[1], end)
        else:
            self._copy_run()
            self.run = (file, start, end)

    def _copy_run(self) -> None:
        if self.run is not None:
            file, start, end = self.run
            self.run = None
            self._flush()
            copy_range(file, self.file, start, end - start)

    def _write(self, data: bytes) -> None:
        self.buffer += data
        self.offset += len(data)
        if len(self.buffer) >= PIECE:
            self._flush()

    def _flush(self) -> None:
        write_all(self.file, self.buffer)
        self.buffer.clear()

    def finish(self, comment: bytes) -> int:
        """Write the central directory and the end records; the zip's size."""
        self._copy_run()
        directory = b"".join(self.central)
        count, start = len(self.central), self.offset
        tail = b""
        if count >= 0xFFFF or start + len(directory) > LIMIT:
            end64 = start + len(directory)
            tail = END64.pack(
                0x06064B50, END64.size - 12, MADE_BY, 45, 0, 0, count, count,
                len(directory), start,
            ) + LOCATOR64.pack(0x07064B50, 0, end64, 1)  # fmt: skip
        small = min(count, 0xFFFF)
        end = END.pack(
            0x06054B50, 0, 0, small, small, min(len(directory), LIMIT), min(start, LIMIT),
            len(comment),
        )  # fmt: skip
        for piece in (directory, tail, end, comment):
            self._write(piece)
        self._flush()
        self.central = []
        return self.offset
