"""The downloads' zip writer: zips that zipfile reads, written as they come, members copied
as they are (by offset, from the previous zip or from a zip made before), ZIP64 past 65,534
entries."""

from __future__ import annotations

import os
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from generator.build.archive import AHEAD, Compressed, Deflaters, OldArchive, ZipWriter
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
) -> bytes:
    """Write `members` to `path` as the downloads do (reused from `old`, else from what
    `compressed` holds, else compressed here); the zip's bytes."""
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        writer = ZipWriter(compressed.own(descriptor))
        with Deflaters(writer, compressed) as deflaters:
            for name, data in members.items():
                reused = old.members.get(name) if old is not None else None
                if reused is not None:
                    deflaters.add(name, reused)
                else:
                    deflaters.compress(name, data)
        size = writer.finish(b"made-with-1")
    finally:
        os.close(descriptor)
    data = path.read_bytes()
    assert size == len(data)
    return data


def test_zipfile_reads_what_it_writes_and_members_copy_as_they_are(tmp_path: Path) -> None:
    members = {"index.html": b"<p>front</p>" * 50, "r\u00e9gions/a.html": b"a", "x.css": b""}
    with Compressed() as compressed:
        data = _zip(tmp_path / "first.zip", members, compressed)
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
            assert _zip(tmp_path / "again.zip", members, fresh, old) == data
            assert fresh.made == 0  # every member copied by offset from the previous zip
    (tmp_path / "cut.zip").write_bytes(data[:-40])
    (tmp_path / "other.zip").write_bytes(b"not a zip")
    for broken in ("cut.zip", "other.zip"):
        with _opened(tmp_path / broken) as descriptor:
            assert OldArchive.read(descriptor) is None


def test_a_member_compressed_once_serves_later_zips_and_the_same_zip(tmp_path: Path) -> None:
    """The site's zip compresses a page; a region's zip copies it from the site's file (still
    open though closed by its writer and renamed), and a second name with the same bytes in
    one zip copies the first. The zips are those made from nothing."""
    big = os.urandom(3 << 20)  # past the writer's buffer: copied in pieces
    site = {"a.html": b"<p>a</p>" * 99, "b.bin": big, "c.html": b"<p>a</p>" * 99}
    region = {"a.html": site["a.html"], "b.bin": big}
    with Compressed() as compressed:
        site_zip = _zip(tmp_path / "site.zip", site, compressed)
        os.replace(tmp_path / "site.zip", tmp_path / "moved.zip")
        region_zip = _zip(tmp_path / "region.zip", region, compressed)
        assert compressed.made == 2
    with Compressed() as alone:
        assert _zip(tmp_path / "site-alone.zip", site, alone) == site_zip
    with Compressed() as alone:
        assert _zip(tmp_path / "region-alone.zip", region, alone) == region_zip
    with zipfile.ZipFile(tmp_path / "region.zip") as opened:
        assert opened.read("b.bin") == big


def test_members_compressed_on_threads_are_written_in_order_each_bytes_once(
    tmp_path: Path,
) -> None:
    """Deflaters compress ahead on threads: past its window, names still come out in the order
    given, with their own bytes, and bytes met again (while their first member still waits
    to be written, or after) are copied, not compressed again."""
    kinds = [os.urandom(5000) + bytes([n]) * 20000 for n in range(7)]
    members = {f"p/{n:04}.html": kinds[n % 7] for n in range(AHEAD * 3)}
    with Compressed() as compressed:
        _zip(tmp_path / "threads.zip", members, compressed)
        assert compressed.made == 7
    with zipfile.ZipFile(tmp_path / "threads.zip") as opened:
        assert opened.testzip() is None
        assert opened.namelist() == list(members)
        assert all(opened.read(name) == data for name, data in members.items())


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
