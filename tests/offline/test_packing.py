"""Packing the downloads: members made on every core (forked processes, each with a spool
file of its own) give the bytes one process gives, the previous zip's members are copied as
they are, and the spool folder is gone afterwards, whether packing succeeded or failed."""

from __future__ import annotations

import os
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from generator.build import archive
from generator.pages import downloads
from generator.pages.downloads import Download, pack, site_files


def _site(output: Path, pages: int) -> None:
    for n in range(pages):
        page = output / "regions" / f"r{n % 7}" / f"{n:04}.html"
        page.parent.mkdir(parents=True, exist_ok=True)
        links = "".join(f' <a href="../r{m % 7}/{m:04}.html#e">{m}</a>' for m in range(n, n + 9))
        page.write_text(f'<p>{n}</p>{links} <a href="../../feeds/all.atom.xml">feed</a>')
    (output / "feeds").mkdir()
    (output / "feeds" / "all.atom.xml").write_text("<feed/>")


def _pack(output: Path, zips: Path, workers: int, previous: Path | None = None) -> list[bytes]:
    files = site_files(output)
    downloads = [
        Download(
            {n: i for n, i in files.items() if not n.startswith("feeds/")},
            {"download.html": b"<p>offline copy</p>"},
            previous / "site.zip" if previous else zips / "none.zip",
            b"comment-1",
        ),
        Download(
            {n: i for n, i in files.items() if n.startswith("regions/r1/")},
            {"download.html": b"<p>region r1</p>"},
            previous / "r1.zip" if previous else zips / "none.zip",
            b"comment-1",
        ),
    ]
    names = ["site.zip", "r1.zip"]

    @contextmanager
    def into(index: int) -> Iterator[int]:
        descriptor = os.open(zips / names[index], os.O_RDWR | os.O_CREAT | os.O_TRUNC, 0o644)
        try:
            yield descriptor
        finally:
            os.close(descriptor)

    zips.mkdir(exist_ok=True)
    packed = pack(output, downloads, "", lambda name, inode: True, into, workers)
    data = [(zips / name).read_bytes() for name in names]
    assert [p.size for p in packed] == [len(d) for d in data]
    return data


def test_members_made_on_two_processes_are_those_made_on_one(tmp_path: Path) -> None:
    output = tmp_path / "output"
    _site(output, 600)
    one = _pack(output, tmp_path / "one", workers=1)
    two = _pack(output, tmp_path / "two", workers=2)
    assert one == two
    assert sorted(p.name for p in output.iterdir()) == ["feeds", "regions"]  # no spool left
    with zipfile.ZipFile(tmp_path / "two" / "r1.zip") as region:
        assert region.testzip() is None
        page = region.read("regions/r1/0001.html")
        assert b'href="../r1/0008.html#e"' in page  # in the region's zip: as it was
        assert b"not-in-download.html?page=regions/r2/0002.html" in page  # not: said so
    with zipfile.ZipFile(tmp_path / "two" / "site.zip") as site:
        assert len(site.namelist()) == 601 and site.read("download.html") == b"<p>offline copy</p>"


def test_a_previous_zips_members_are_copied_not_made(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    output = tmp_path / "output"
    _site(output, 50)
    first = _pack(output, tmp_path / "first", workers=1)
    made: list[bytes] = []
    deflate = archive.deflate
    monkeypatch.setattr(archive, "deflate", lambda data: made.append(data) or deflate(data))
    again = _pack(output, tmp_path / "again", workers=1, previous=tmp_path / "first")
    assert again == first
    # every file's member copied from the previous zips; only each zip's own page is made
    assert made == [b"<p>offline copy</p>", b"<p>region r1</p>"]


def test_a_failure_while_packing_leaves_no_spool(tmp_path: Path) -> None:
    output = tmp_path / "output"
    _site(output, 500)
    files = site_files(output)
    (output / "regions" / "r3" / "0003.html").unlink()  # listed, then gone: cannot be read
    download = Download(files, {}, tmp_path / "none.zip", b"c")

    @contextmanager
    def into(index: int) -> Iterator[int]:
        raise AssertionError("nothing is written when a member cannot be made")
        yield 0

    for workers in (1, 2):
        with pytest.raises((OSError, RuntimeError)):
            pack(output, [download], "", lambda name, inode: False, into, workers)
        assert sorted(p.name for p in output.iterdir()) == ["feeds", "regions"]


def test_each_process_compresses_into_one_spool_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One spool file a process, not one a chunk: the packing process keeps each spool open
    while it writes the zips, and 32 chunks a worker on 32 cores would be past the usual
    limit of 1,024 open files (and bytes that two chunks held were compressed twice)."""
    output = tmp_path / "output"
    _site(output, 600)
    spools: set[str] = set()
    spooled = archive.Compressed.spooled

    def recorded(self: archive.Compressed, member: archive.Spooled) -> archive.Stored:
        spools.add(member.spool)
        return spooled(self, member)

    monkeypatch.setattr(archive.Compressed, "spooled", recorded)
    _pack(output, tmp_path / "two", workers=2)
    assert 1 <= len(spools) <= 2


def test_a_process_forgets_a_zips_links_when_it_goes_on_to_the_next(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What each link path became is remembered for one zip at a time (up to SEEN_LIMIT
    links each): with a zip for every top-level region, memos of every zip held to the end
    would be that many times the memory."""
    output = tmp_path / "output"
    _site(output, 50)
    memos: list[dict[tuple[str, bytes], downloads.Rewrite]] = []
    rewrite = downloads.rewrite_links

    def recorded(*args: Any) -> bytes:
        memo = args[4]
        if not any(memo is m for m in memos):
            memos.append(memo)
        assert all(not m for m in memos if m is not memo)  # the zips before: forgotten
        return rewrite(*args)

    monkeypatch.setattr(downloads, "rewrite_links", recorded)
    _pack(output, tmp_path / "one", workers=1)
    assert len(memos) >= 1 and memos[-1]


def test_a_failure_without_a_previous_zip_is_not_told_as_its_absence(tmp_path: Path) -> None:
    """No previous zip (every cold build) is no error: one raised while packing carries no
    FileNotFoundError of it ("during handling of the above exception...")."""
    output = tmp_path / "output"
    _site(output, 5)
    download = Download(site_files(output), {}, tmp_path / "none.zip", b"c")

    @contextmanager
    def into(index: int) -> Iterator[int]:
        raise RuntimeError("the disk is gone")
        yield 0

    with pytest.raises(RuntimeError) as raised:
        pack(output, [download], "", lambda name, inode: False, into, 1)
    assert raised.value.__context__ is None
