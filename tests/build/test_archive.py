"""The downloads' zip writer: zips that zipfile reads, written as they come, members copied
as they are (by offset, from the previous zip, from a zip made before or from a spool), ZIP64
past 65,534 entries."""

from __future__ import annotations

import os
import shutil
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from generator.build.archive import Compressed, OldArchive, Spool, ZipWriter
from generator.build.output import fresh_file


@contextmanager
def _opened(path: Path) -> Iterator[int]:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        yield descriptor
    finally:
        os.close(descriptor)


def _zip(
    path: Path,
    members: dict[str, bytes],
    compressed: Compressed,
    old: OldArchive | None = None,
) -> tuple[bytes, int]:
    """Write `members` to `path` as the downloads do (reused from `old`, else compressed
    into a spool first, then copied from what `compressed` holds or from the spool); the
    zip's bytes and how many members were compressed."""
    spool = path.with_suffix(".spool.d")
    spool.mkdir()
    with Spool(spool) as into:
        made = {n: into.add(d) for n, d in members.items() if old is None or n not in old.members}
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        writer = ZipWriter(compressed.own(descriptor))
        for name in members:
            if name not in made:
                assert old is not None
                writer.add(name, old.members[name])
            else:
                here = writer.add(name, compressed.spooled(made[name]))
                compressed.members.setdefault(made[name].key, here)
        size = writer.finish(b"made-with-1")
    finally:
        os.close(descriptor)
    data = path.read_bytes()
    assert size == len(data)
    return data, len(into.known)


def test_zipfile_reads_what_it_writes_and_members_copy_as_they_are(tmp_path: Path) -> None:
    members = {"index.html": b"<p>front</p>" * 50, "r\u00e9gions/a.html": b"a", "x.css": b""}
    with Compressed() as compressed:
        data, _ = _zip(tmp_path / "first.zip", members, compressed)
    with zipfile.ZipFile(tmp_path / "first.zip") as opened:
        assert opened.testzip() is None
        assert {n: opened.read(n) for n in opened.namelist()} == members
        assert opened.comment == b"made-with-1"
        assert {i.date_time for i in opened.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    with _opened(tmp_path / "first.zip") as previous:
        old = OldArchive.read(previous)
        assert old is not None and old.comment == b"made-with-1"
        assert set(old.members) == set(members)
        with Compressed() as fresh:
            # every member copied by offset from the previous zip, none compressed
            assert _zip(tmp_path / "again.zip", members, fresh, old) == (data, 0)
    (tmp_path / "cut.zip").write_bytes(data[:-40])
    (tmp_path / "other.zip").write_bytes(b"not a zip")
    for broken in ("cut.zip", "other.zip"):
        with _opened(tmp_path / broken) as descriptor:
            assert OldArchive.read(descriptor) is None


def test_a_member_compressed_once_serves_later_zips_and_the_same_zip(tmp_path: Path) -> None:
    """The site's zip takes a page from the spool; a region's zip copies it from the site's
    file (still open though closed by its writer and renamed), and a second name with the same
    bytes in one zip is compressed once. The zips are those made from nothing."""
    big = os.urandom(3 << 20)  # past the writer's buffer: copied in pieces
    site = {"a.html": b"<p>a</p>" * 99, "b.bin": big, "c.html": b"<p>a</p>" * 99}
    region = {"a.html": site["a.html"], "b.bin": big}
    with Compressed() as compressed:
        site_zip, made = _zip(tmp_path / "site.zip", site, compressed)
        assert made == 2
        os.replace(tmp_path / "site.zip", tmp_path / "moved.zip")
        shutil.rmtree(tmp_path / "site.spool.d")  # the region's members come from the zip
        region_zip, _ = _zip(tmp_path / "region.zip", region, compressed)
    with Compressed() as alone:
        assert _zip(tmp_path / "site-alone.zip", site, alone)[0] == site_zip
    with Compressed() as alone:
        assert _zip(tmp_path / "region-alone.zip", region, alone)[0] == region_zip
    with zipfile.ZipFile(tmp_path / "region.zip") as opened:
        assert opened.read("b.bin") == big


def test_members_that_follow_one_another_are_copied_as_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After one member changed, the zip copies the members before it and those after it
    from the previous zip as two runs, headers and all; the zip is the one made from
    nothing. A member whose previous local header is not the one this writer writes (another
    writer's zip) is copied alone, its header written anew."""
    from generator.build import archive

    members = {f"p/{n:03}.html": f"<p>page {n}</p>".encode() * 40 for n in range(60)}
    with Compressed() as compressed:
        _zip(tmp_path / "first.zip", members, compressed)
    edited = {**members, "p/030.html": b"<p>changed</p>"}
    with Compressed() as alone:
        cold, _ = _zip(tmp_path / "cold.zip", edited, alone)
    runs: list[int] = []
    real_copy = archive.copy_range

    def counted(source: int, target: int, offset: int, count: int) -> None:
        runs.append(count)
        real_copy(source, target, offset, count)

    monkeypatch.setattr(archive, "copy_range", counted)
    with _opened(tmp_path / "first.zip") as previous, Compressed() as fresh:
        old = OldArchive.read(previous)
        assert old is not None
        del old.members["p/030.html"]  # changed: made again
        data, made = _zip(tmp_path / "again.zip", edited, fresh, old)
    assert (data, made) == (cold, 1) and len(runs) == 2
    with zipfile.ZipFile(tmp_path / "other.zip", "w", zipfile.ZIP_DEFLATED) as other:
        for name, data in members.items():  # zipfile's local headers carry a time of its own
            other.writestr(zipfile.ZipInfo(name, (2001, 2, 3, 4, 5, 6)), data, zipfile.ZIP_DEFLATED)
    runs.clear()
    with _opened(tmp_path / "other.zip") as previous, Compressed() as fresh:
        old = OldArchive.read(previous)
        assert old is not None and all(m.header == -1 for m in old.members.values())
        data, made = _zip(tmp_path / "from-other.zip", members, fresh, old)
    with Compressed() as alone:
        assert (data, made) == (_zip(tmp_path / "cold2.zip", members, alone)[0], 0)
    assert runs == []


def test_a_zip_as_written_is_read_from_its_directory_alone(tmp_path: Path) -> None:
    """A zip made as now (its comment) and as this writer left it (the caller knows its
    stamp) is read without its local headers but the first and last; another comment means
    no previous zip; a zip changed since (its stamp) has each header read: one not as this
    writer writes it is not copied in a run, and the zip made is a cold one's."""
    members = {f"p/{n:03}.html": f"<p>page {n}</p>".encode() * 40 for n in range(30)}
    with Compressed() as compressed:
        data, _ = _zip(tmp_path / "first.zip", members, compressed)
    with _opened(tmp_path / "first.zip") as previous:
        read = OldArchive.read(previous)
        known = OldArchive.read(previous, b"made-with-1", as_written=True)
        assert read is not None and known is not None and known.members == read.members
        assert OldArchive.read(previous, b"made-with-2", as_written=True) is None
    last = read.members["p/029.html"].header
    (tmp_path / "cut.zip").write_bytes(data[:last] + b"XX" + data[last + 2 :])
    with _opened(tmp_path / "cut.zip") as previous:
        assert OldArchive.read(previous, b"made-with-1", as_written=True) is None
    middle = read.members["p/015.html"].header + 10  # its DOS time, changed in place
    (tmp_path / "changed.zip").write_bytes(data[:middle] + b"\x07" + data[middle + 1 :])
    with _opened(tmp_path / "changed.zip") as previous, Compressed() as fresh:
        old = OldArchive.read(previous, b"made-with-1")
        assert old is not None and old.members["p/015.html"].header == -1
        assert _zip(tmp_path / "again.zip", members, fresh, old) == (data, 0)


def test_a_spool_holds_each_bytes_once_where_it_says(tmp_path: Path) -> None:
    """Members appended to a spool file: each Spooled says where its compressed bytes are,
    and bytes met again are not compressed again."""
    kinds = [os.urandom(5000) + bytes([n]) * 20000 for n in range(7)]
    with Spool(tmp_path) as spool:
        spooled = [spool.add(kinds[n % 7]) for n in range(50)]
    assert len({(s.at, s.length) for s in spooled}) == 7
    data = Path(spool.path).read_bytes()
    assert sum(s.length for s in spool.known.values()) == len(data)
    for member, plain in zip(spooled, (kinds[n % 7] for n in range(50)), strict=True):
        raw = data[member.at : member.at + member.length]
        assert zlib.decompress(raw, -15) == plain
        assert member.crc == zlib.crc32(plain) and member.size == len(plain)


def test_more_than_65534_entries_take_zip64_end_records(tmp_path: Path) -> None:
    members = {f"p/{n:06}.html": b"x" for n in range(70_000)}
    with Compressed() as compressed:
        _zip(tmp_path / "big.zip", members, compressed)
    with zipfile.ZipFile(tmp_path / "big.zip") as opened:
        assert len(opened.namelist()) == 70_000
        assert opened.read("p/069999.html") == b"x"
    with _opened(tmp_path / "big.zip") as descriptor:
        old = OldArchive.read(descriptor)
        assert old is not None and len(old.members) == 70_000


def test_a_fresh_file_replaces_the_file_as_a_new_inode_only_when_its_bytes_change(
    tmp_path: Path,
) -> None:
    target = tmp_path / "download" / "site.zip"
    target.parent.mkdir()
    target.write_bytes(b"old bytes")
    linked = tmp_path / "previous.zip"
    os.link(target, linked)  # as the staging folder links the previous output's file
    with fresh_file(tmp_path, "download/site.zip") as descriptor:
        os.write(descriptor, b"old bytes")
    assert target.stat().st_ino == linked.stat().st_ino  # the same bytes: left as it was
    with fresh_file(tmp_path, "download/site.zip") as descriptor:
        os.write(descriptor, b"new bytes")
    assert target.read_bytes() == b"new bytes" and linked.read_bytes() == b"old bytes"
    assert target.stat().st_mode & 0o777 == 0o666 & ~_umask()
    with pytest.raises(RuntimeError), fresh_file(tmp_path, "download/site.zip") as descriptor:
        os.write(descriptor, b"half")
        raise RuntimeError("stopped")
    assert target.read_bytes() == b"new bytes"
    assert sorted(p.name for p in target.parent.iterdir()) == ["site.zip"]  # no partial file


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
