"""The downloads' zip writer: zips that zipfile reads, members copied as they are, ZIP64 past
65,534 entries."""

from __future__ import annotations

import io
import zipfile

from generator.build.archive import Compressed, OldArchive, ZipWriter


def _zip(members: dict[str, bytes], compressed: Compressed, old: OldArchive | None = None) -> bytes:
    writer = ZipWriter()
    for name, data in members.items():
        reused = old.members.get(name) if old is not None else None
        writer.add(name, reused if reused is not None else compressed.get(data))
    return b"".join(writer.finish(b"made-with-1"))


def test_zipfile_reads_what_it_writes_and_members_copy_as_they_are() -> None:
    members = {"index.html": b"<p>front</p>" * 50, "r\u00e9gions/a.html": b"a", "x.css": b""}
    compressed = Compressed()
    data = _zip(members, compressed)
    with zipfile.ZipFile(io.BytesIO(data)) as opened:
        assert opened.testzip() is None
        assert {n: opened.read(n) for n in opened.namelist()} == members
        assert opened.comment == b"made-with-1"
        assert {i.date_time for i in opened.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    old = OldArchive.read(data)
    assert old is not None and old.comment == b"made-with-1" and set(old.members) == set(members)
    fresh = Compressed()
    assert _zip(members, fresh, old) == data
    assert fresh.made == 0
    assert OldArchive.read(data[:-40]) is None
    assert OldArchive.read(b"not a zip") is None


def test_more_than_65534_entries_take_zip64_end_records() -> None:
    members = {f"p/{n:06}.html": b"x" for n in range(70_000)}
    data = _zip(members, Compressed())
    with zipfile.ZipFile(io.BytesIO(data)) as opened:
        assert len(opened.namelist()) == 70_000
        assert opened.read("p/069999.html") == b"x"
    old = OldArchive.read(data)
    assert old is not None and len(old.members) == 70_000
