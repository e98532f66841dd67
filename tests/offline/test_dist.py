"""The downloadable copy of the whole site: a deterministic zip of its pages and what they need
(not itself, the data files, feeds or host files)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from generator.cli import main
from generator.pages.downloads import rewrite_links
from generator.pages.offline import human_size

from .support import DEMO_CONTENT, REPO, build


def test_zip_is_the_site_without_itself_data_feeds_or_host_files(demo_site: Path) -> None:
    archive = zipfile.ZipFile(demo_site / "download" / "timeline-site.zip")
    names = archive.namelist()
    assert names == sorted(names)
    assert not [n for n in names if n.startswith("download/") or n.endswith("/")]
    on_disk = {p.relative_to(demo_site).as_posix() for p in demo_site.rglob("*") if p.is_file()}
    left_out = {n for n in on_disk if n.startswith(("download/", "data/", "feeds/"))} | {
        "404.html",
        "offline.html",
        ".nojekyll",
        "sw.js",
    }
    assert set(names) == on_disk - left_out | {"not-in-download.html"}
    for name in ("index.html", "search.html", "search/index.js", "theme/css/site.css"):
        assert name in names
    for info in archive.infolist():
        assert info.date_time == (1980, 1, 1, 0, 0, 0)
        assert info.external_attr >> 16 == 0o100644
        assert info.compress_type == zipfile.ZIP_DEFLATED
    members = set(names)
    for name in names:
        if name in ("download.html", "not-in-download.html"):
            continue
        data = (demo_site / name).read_bytes()
        if name.endswith(".html"):  # links to the feeds and data files say they are left out
            data = rewrite_links(name, data, members, "")
            assert b"feeds/all.atom.xml" not in data.replace(b"?page=feeds/all.atom.xml", b"")
        assert archive.read(name) == data, name


def test_download_page_differs_between_site_and_copy(demo_site: Path) -> None:
    online = (demo_site / "download.html").read_text(encoding="utf-8")
    size = (demo_site / "download" / "timeline-site.zip").stat().st_size
    assert 'href="./download/timeline-site.zip"' in online
    assert human_size(size) in online and f'data-bytes="{size}"' in online
    copy = zipfile.ZipFile(demo_site / "download" / "timeline-site.zip").read("download.html")
    assert b"offline copy" in copy and b"timeline-site.zip" not in copy
    footer = (demo_site / "regions" / "donetsk" / "index.html").read_text(encoding="utf-8")
    assert 'href="../../download.html">Download for offline reading</a>' in footer


@pytest.mark.parametrize(
    ("size", "shown"),
    [
        (0, "0 bytes"),
        (1, "1 byte"),
        (999, "999 bytes"),
        (1_000, "1 kB"),
        (1_499, "1 kB"),
        (1_500, "2 kB"),
        (246_355, "246 kB"),
        (999_499, "999 kB"),
        (999_500, "1.0 MB"),  # 1,000 kB is a megabyte
        (37_449_999, "37.4 MB"),
        (37_450_000, "37.5 MB"),
        (99_949_999, "99.9 MB"),
        (99_950_000, "100 MB"),  # no decimal from 100 up
        (123_456_789, "123 MB"),
        (999_499_999, "999 MB"),
        (999_500_000, "1.0 GB"),
        (1_234_567_890, "1.2 GB"),
        (250_000_000_000, "250 GB"),
    ],
)
def test_sizes_read_as_download_dialogs_show_them(size: int, shown: str) -> None:
    """Decimal units rounded to the nearest (a browser's download list says 246 kB for
    246,355 bytes, not the 240 KB of 1024-based units rounded down)."""
    assert human_size(size) == shown


def test_download_page_shows_each_size_rounded_with_its_exact_bytes(demo_site: Path) -> None:
    page = (demo_site / "download.html").read_text(encoding="utf-8")
    size = (demo_site / "download" / "timeline-site.zip").stat().st_size
    exact = f"{size:,} bytes"
    assert (
        f'<span class="download-size" data-bytes="{size}" title="{exact}">{human_size(size)}'
        f'<span class="visually-hidden"> ({exact})</span></span>'
    ) in page


def test_zip_bytes_are_identical_across_builds(demo_site: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    build(again)
    first = (demo_site / "download" / "timeline-site.zip").read_bytes()
    assert (again / "download" / "timeline-site.zip").read_bytes() == first


def test_download_can_be_switched_off(tmp_path: Path) -> None:
    settings = tmp_path / "conf.py"
    settings.write_text(
        "import runpy\n"
        f"globals().update({{k: v for k, v in runpy.run_path({str(REPO / 'pelicanconf.py')!r})"
        ".items() if k.isupper()})\n"
        f"THEME = {str(REPO / 'theme')!r}\nPLUGIN_PATHS = [{str(REPO)!r}]\n"
        "TIMELINE_DOWNLOAD_ZIP = False\n",
        encoding="utf-8",
    )
    output = tmp_path / "output"
    assert (
        main(
            [
                "build",
                "--settings",
                str(settings),
                "--content",
                str(DEMO_CONTENT),
                "--output",
                str(output),
            ]
        )
        == 0
    )
    assert not (output / "download").exists() and not (output / "download.html").exists()
    assert "Download for offline reading" not in (output / "index.html").read_text()
    assert (output / "search.html").is_file() and (output / "sw.js").is_file()
