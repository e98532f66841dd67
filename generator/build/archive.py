"""A small deterministic zip writer that reuses the compressed members of a previous zip.

zipfile cannot add a member that is compressed already, and compressing is what a download
costs (~30 MB/s at level 6). So the downloads are written here: entries in the order given
(sorted by the caller), fixed timestamps and permissions, no extra fields; a member whose
file did not change since the previous zip is copied from it as it is (its compressed bytes,
CRC and sizes), and a member compressed once in a build serves every zip of that build
holding the same bytes. ZIP64 end records when there are more than 65,534 entries.
"""

from __future__ import annotations

import hashlib
import struct
import zlib
from dataclasses import dataclass, field

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


def deflate(data: bytes) -> bytes:
    """Raw deflate of one member (what zipfile writes at this level)."""
    compressor = zlib.compressobj(LEVEL, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush()


@dataclass(frozen=True)
class Stored:
    """One member as it is in an archive: compressed bytes, CRC, uncompressed size."""

    raw: bytes | memoryview
    crc: int
    size: int


@dataclass
class Compressed:
    """Members compressed in this build, by their bytes: a region's zip takes the whole
    site's. `made` counts what the writers compressed (tests check no file is compressed
    again when nothing changed)."""

    members: dict[bytes, Stored] = field(default_factory=dict)
    made: int = 0

    def get(self, data: bytes) -> Stored:
        key = hashlib.sha1(data, usedforsecurity=False).digest() + len(data).to_bytes(8, "big")
        stored = self.members.get(key)
        if stored is None:
            stored = Stored(deflate(data), zlib.crc32(data), len(data))
            self.members[key] = stored
            self.made += 1
        return stored


@dataclass(frozen=True)
class OldArchive:
    """A previous zip: its members by name and its comment (what it was made with)."""

    members: dict[str, Stored]
    comment: bytes

    @classmethod
    def read(cls, data: bytes) -> OldArchive | None:
        """None when `data` is not a zip this writer could have made (its central directory
        is read here: faster than zipfile's, and only what this writer writes)."""
        try:
            return cls._read(data)
        except (struct.error, ValueError, UnicodeDecodeError):
            return None

    @classmethod
    def _read(cls, data: bytes) -> OldArchive | None:
        end = data.rfind(b"PK\x05\x06")
        if end < 0:
            return None
        fields = END.unpack_from(data, end)
        count, size, start = fields[3], fields[5], fields[6]
        comment = data[end + END.size : end + END.size + fields[7]]
        if count == 0xFFFF or start == LIMIT:  # ZIP64: the locator stands before the end
            locator = LOCATOR64.unpack_from(data, end - LOCATOR64.size)
            end64 = END64.unpack_from(data, locator[2])
            if locator[0] != 0x07064B50 or end64[0] != 0x06064B50:
                return None
            count, size, start = end64[7], end64[8], end64[9]
        view = memoryview(data)
        members: dict[str, Stored] = {}
        at = start
        for _ in range(count):
            entry = CENTRAL.unpack_from(data, at)
            if entry[0] != 0x02014B50 or entry[4] != DEFLATED:
                return None
            crc, compressed, plain, name_size, extra, note = entry[7:13]
            name = data[at + CENTRAL.size : at + CENTRAL.size + name_size].decode("utf-8")
            offset = entry[16]
            local = LOCAL.unpack_from(data, offset)
            if local[0] != 0x04034B50:
                return None
            begin = offset + LOCAL.size + local[9] + local[10]
            if begin + compressed > len(data):
                return None
            members[name] = Stored(view[begin : begin + compressed], crc, plain)
            at += CENTRAL.size + name_size + extra + note
        if at != start + size:
            return None
        return cls(members, comment)


class ZipWriter:
    """Members appended in order; `finish()` gives the zip's bytes, in pieces."""

    def __init__(self) -> None:
        self.chunks: list[bytes | memoryview] = []
        self.central: list[bytes] = []
        self.offset = 0

    def add(self, name: str, member: Stored) -> None:
        encoded = name.encode("utf-8")
        flags = 0 if encoded.isascii() else UTF8
        if self.offset > LIMIT or len(member.raw) > LIMIT or member.size > LIMIT:
            raise ValueError(f"{name}: a download past 4 GiB is not supported")
        sizes = (member.crc, len(member.raw), member.size, len(encoded))
        header = LOCAL.pack(0x04034B50, NEEDS, flags, DEFLATED, DOS_TIME, DOS_DATE, *sizes, 0)
        self.central.append(
            CENTRAL.pack(
                0x02014B50,
                MADE_BY,
                NEEDS,
                flags,
                DEFLATED,
                DOS_TIME,
                DOS_DATE,
                *sizes,
                0,
                0,
                0,
                0,
                UNIX_FILE,
                self.offset,
            )
            + encoded
        )
        self.chunks += (header, encoded, member.raw)
        self.offset += len(header) + len(encoded) + len(member.raw)

    def finish(self, comment: bytes) -> list[bytes | memoryview]:
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
        return [*self.chunks, directory, tail, end, comment]
