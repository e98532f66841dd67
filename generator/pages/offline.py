"""Offline reading and hosting: the service worker and its offline page, the downloads,
404.html, .nojekyll.

- sw.js: theme/sw.js written to the site root (not a static file of the theme: Pelican would
  copy it into theme/, where a worker's scope would be theme/ alone, as a script that cannot
  run), its version set to a hash of the theme's static files, so a new theme replaces cached
  theme files, and its PRECACHE list set to what it keeps on install (offline.html, the front
  page, what the header links, the latest digests, the theme). theme/js/offline.js registers
  it over http(s) only.
- offline.html: what sw.js answers, offline, for a page it does not have: the pages it kept on
  install and (theme/js/kept.js) every page the reader has read.
- download/timeline-<id>.zip: the downloads (slices.py says what each holds: the whole
  site, each top-level region, the last 30 days), deterministic zips (entries sorted, fixed
  timestamps and permissions) made when the build is otherwise complete (the engine's
  finishing jobs: after the theme files were copied and Pelican's `finalized` plugins ran),
  each reusing the members of its previous zip that did not change (downloads.py). Pages
  link to download.html, not to a zip: on the site that page lists the zips with their sizes;
  inside a zip it is replaced by a page saying what this offline copy holds (with the site's
  address when SITEURL is absolute), and not-in-download.html stands for the pages a slice
  does not hold, so every link of an unzipped copy works. TIMELINE_DOWNLOAD_ZIP = False
  leaves the zips, download.html and the footer link out (faster builds).
- 404.html: what GitHub Pages shows for a missing path at any depth, so with an absolute
  SITEURL its links are absolute; without one, relative to the site root.
- .nojekyll: GitHub Pages must publish the files as they are.
"""

from __future__ import annotations

import fnmatch
import hashlib
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import msgspec

from ..build.faults import contained_files
from ..build.fingerprint import text_digest
from ..build.output import Stamp, stamp_of
from ..model.urls import day_url, page_url
from .base import Depends, Output, Page, PageFamily, Task
from .downloads import MISSING_PAGE, pack, packing_version, site_files
from .downloads import Download as ZipDownload
from .slices import Slice, site_slices

DOWNLOAD_PAGE = "download.html"
VERSION_MARK = "__TIMELINE_VERSION__"
PRECACHE_MARK = "__TIMELINE_PRECACHE__"
OFFLINE_PAGE = "offline.html"
SIZE_UNITS = (("kB", 10**3), ("MB", 10**6), ("GB", 10**9), ("TB", 10**12))  # as readers see
SECTION_INDEXES = ("regions/index.html", "speakers/index.html", "days/index.html")  # the header's
ZIP_STAMP = "zip-stamp-"  # what the cache keeps of each download as written (its stamp)
DIGESTS_KEPT = 7  # the latest digests a reader's browser keeps as soon as it installs sw.js


def theme_files(
    theme: Path, static_paths: list[str], allowed: Sequence[Path] = ()
) -> Iterator[tuple[str, Path]]:
    """The files of the theme's static folders; links followed only into the theme or
    `allowed` (the project)."""
    for static in static_paths:
        for name, file in contained_files(theme / static, [theme, *allowed]):
            yield f"{static}/{name}", file


def theme_file_ignored(name: str, ignores: Sequence[str]) -> bool:
    """Is the theme file `name` (its path under the theme) left out of the output? So when a
    folder or file name of it matches one of Pelican's IGNORE_FILES (plugin/static.py copies
    the theme so, and sw.js must not ask for a file the output lacks)."""
    return any(fnmatch.fnmatch(part, pattern) for part in name.split("/") for pattern in ignores)


def theme_version(theme: Path, static_paths: list[str], allowed: Sequence[Path] = ()) -> str:
    digest = hashlib.sha256()
    for name, file in theme_files(theme, static_paths, allowed):
        digest.update(name.encode() + b"\0" + file.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def human_size(size: int) -> str:
    """`size` bytes as a browser's download list shows them: decimal units, rounded to the
    nearest (half up, in integers), one decimal under 100 MB or GB, none in kB ("246 kB",
    "37.4 MB", "1.2 GB"); a unit that rounds to 1,000 is the next one ("1.0 MB")."""
    if size < SIZE_UNITS[0][1]:
        return f"{size} byte{'' if size == 1 else 's'}"
    unit, scale = next(  # the first unit that rounds under 1,000, else the last
        ((u, s) for u, s in SIZE_UNITS if (size + s // 2) // s < 1000), SIZE_UNITS[-1]
    )
    tenths = (size * 10 + scale // 2) // scale
    if unit != "kB" and tenths < 1000:
        return f"{tenths // 10}.{tenths % 10} {unit}"
    return f"{(size + scale // 2) // scale:,} {unit}"


class OfflineFiles(PageFamily):
    def outputs(self) -> Iterator[Output]:
        yield Task(self._write_hosting_files, size=1)
        relative = not self.inputs.absolute_siteurl and bool(
            self.inputs.pelican_settings["RELATIVE_URLS"]
        )
        yield Page("404.html", "404", {}, Depends(text=(str(relative),)), relative_urls=relative)
        latest = tuple(reversed(self.site.days[-DIGESTS_KEPT:]))
        values = {"latest_days": latest}
        yield Page(OFFLINE_PAGE, "offline", values, Depends(values=[d.date for d in latest]))
        if self.inputs.settings.download_zip:
            slices = site_slices(self.site)
            self.inputs.files.on_finish(
                partial(self._write_downloads, slices),
                writes=(DOWNLOAD_PAGE, *(part.zip_name for part in slices)),
            )

    def _write_hosting_files(self) -> None:
        files, theme = self.inputs.files, self.inputs.theme
        static_paths = list(self.inputs.pelican_settings.get("THEME_STATIC_PATHS") or ["static"])
        worker = theme / "sw.js"
        if worker.is_file():
            version = theme_version(theme, static_paths, [self.inputs.root])
            text = worker.read_text(encoding="utf-8").replace(VERSION_MARK, version)
            files.write_text("sw.js", text.replace(PRECACHE_MARK, json.dumps(self._precache())))
        files.write_text(".nojekyll", "")

    def _precache(self) -> list[str]:
        """What sw.js keeps on install, relative to the site root: the offline page, the front
        page, what every page's header links (base.html: the section indexes and the menu's
        pages, each written by its family whatever the content), the latest digests and the
        theme's files (a page kept needs its styles)."""
        settings = self.inputs.pelican_settings
        static_dir = str(settings.get("THEME_STATIC_DIR") or "theme")
        static_paths = list(settings.get("THEME_STATIC_PATHS") or ["static"])
        ignores = list(settings.get("IGNORE_FILES") or [])
        theme = [
            f"{static_dir}/{name.split('/', 1)[1]}"
            for name, _ in theme_files(self.inputs.theme, static_paths, [self.inputs.root])
            if "/" in name and not theme_file_ignored(name, ignores)
        ]
        days = [day_url(day.date) for day in reversed(self.site.days[-DIGESTS_KEPT:])]
        header = [*SECTION_INDEXES, *(page_url(page.slug) for page in self.site.pages)]
        return [OFFLINE_PAGE, "index.html", *header, *days, *theme]

    def _write_downloads(self, slices: list[Slice]) -> None:
        """Every download (`slices`), then download.html listing them: once every other
        file is written."""
        inputs, site, render = self.inputs, self.site, self.inputs.render
        output, address = inputs.output, inputs.absolute_siteurl
        newest = max((a.updated or a.date for a in site.articles), default=None)
        made = newest.astimezone(site.zone).date().isoformat() if newest else ""
        common = {"made": made, "site_address": address}
        files = site_files(output)
        downloads = []
        for part in slices:
            about = {**common, "slice": part}
            replacements = {
                DOWNLOAD_PAGE: render(DOWNLOAD_PAGE, "download", {"offline_copy": True, **about}),
                MISSING_PAGE: render(MISSING_PAGE, "not-in-download", about),
            }
            downloads.append(
                ZipDownload(
                    {name: inode for name, inode in files.items() if part.holds(name)},
                    {name: text.encode("utf-8") for name, text in replacements.items()},
                    output / part.zip_name,
                    text_digest(packing_version(), address, part.id).encode("ascii"),
                    _recalled_stamp(inputs.files.recall(f"{ZIP_STAMP}{part.id}")),
                )
            )
        packed = pack(
            output,
            downloads,
            address,
            inputs.files.unchanged,
            lambda index: inputs.files.fresh_file(slices[index].zip_name),
            inputs.settings.workers,
        )
        for part in slices:  # what the next build finds there, if nobody changed it since
            stamp = stamp_of(output / part.zip_name)
            inputs.files.keep(f"{ZIP_STAMP}{part.id}", msgspec.json.encode(stamp))
        listed = [Download(part, p.size, p.pages) for part, p in zip(slices, packed, strict=True)]
        values = {"offline_copy": False, "downloads": listed, **common}
        inputs.files.write_text(DOWNLOAD_PAGE, render(DOWNLOAD_PAGE, "download", values))


@dataclass(frozen=True)
class Download:
    """What download.html says of one download."""

    slice: Slice
    size: int
    pages: int

    @property
    def url(self) -> str:
        return self.slice.zip_name

    @property
    def file(self) -> str:
        return self.slice.zip_name.rsplit("/", 1)[-1]

    @property
    def human_size(self) -> str:
        return human_size(self.size)


def _recalled_stamp(body: memoryview | None) -> Stamp | None:
    """A zip's stamp as the last build kept it (`keep`), or None."""
    try:
        return None if body is None else msgspec.json.decode(body, type=Stamp)
    except msgspec.DecodeError:
        return None
