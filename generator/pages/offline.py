"""Offline reading and hosting: the service worker and its offline page, the downloadable zip,
404.html, .nojekyll.

- sw.js: theme/static/js/sw.js copied to the site root (Pelican copies theme files only into
  theme/, where a worker's scope would be theme/ alone), its version set to a hash of the
  theme's files, so a new theme replaces cached theme files, and its PRECACHE list set to what
  it keeps on install (offline.html, the front page, the latest digests, the theme).
  theme/js/offline.js registers it over http(s) only.
- offline.html: what sw.js answers, offline, for a page it does not have: the digests it kept
  and (theme/js/kept.js) every page the reader has read.
- download/timeline-site.zip: the built site in one deterministic zip (entries sorted, fixed
  timestamps and permissions). It is made when the build is otherwise complete (the engine's
  finishing jobs: after the theme files were copied and Pelican's `finalized` plugins ran) and
  cannot hold itself, so it holds
  every file except download/, 404.html, offline.html and .nojekyll (host files). Pages link to
  download.html, not to the zip: on the site that page offers the zip; inside the zip it is
  replaced by a page saying this is an offline copy (with the site's address when SITEURL is
  absolute), so every link of the unzipped copy works too. TIMELINE_DOWNLOAD_ZIP = False
  leaves the zip, download.html and the footer link out (faster builds).
- 404.html: what GitHub Pages shows for a missing path at any depth, so with an absolute
  SITEURL its links are absolute; without one, relative to the site root.
- .nojekyll: GitHub Pages must publish the files as they are.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

from ..build.faults import contained_files
from ..build.output import replace_file
from ..model.urls import day_url
from .base import Depends, Page, PageFamily, Task

ZIP_NAME = "download/timeline-site.zip"
DOWNLOAD_PAGE = "download.html"
NOT_IN_ZIP = ("download/", "404.html", "offline.html", ".nojekyll")
ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip can hold: same bytes every build
ZIP_LEVEL = 6
VERSION_MARK = "__TIMELINE_VERSION__"
PRECACHE_MARK = "__TIMELINE_PRECACHE__"
OFFLINE_PAGE = "offline.html"
DIGESTS_KEPT = 7  # the latest digests a reader's browser keeps as soon as it installs sw.js


def theme_files(
    theme: Path, static_paths: list[str], allowed: Sequence[Path] = ()
) -> Iterator[tuple[str, Path]]:
    """The files of the theme's static folders; links followed only into the theme or
    `allowed` (the project)."""
    for static in static_paths:
        for name, file in contained_files(theme / static, [theme, *allowed]):
            yield f"{static}/{name}", file


def theme_version(theme: Path, static_paths: list[str], allowed: Sequence[Path] = ()) -> str:
    digest = hashlib.sha256()
    for name, file in theme_files(theme, static_paths, allowed):
        digest.update(name.encode() + b"\0" + file.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def site_files(output: Path) -> list[str]:
    """Every file of a built site as sorted posix paths (symlinks are not followed)."""
    names: list[str] = []
    for folder, dirs, files in os.walk(output):
        dirs.sort()
        base = Path(folder).relative_to(output)
        names.extend((base / f).as_posix() for f in files if (Path(folder) / f).is_file())
    return sorted(n.removeprefix("./") for n in names)


def in_zip(name: str) -> bool:
    return not any(name == p or (p.endswith("/") and name.startswith(p)) for p in NOT_IN_ZIP)


def make_zip(output: Path, replacements: Mapping[str, bytes]) -> tuple[bytes, int]:
    """The site under `output` as zip bytes and the number of files in it. `replacements`
    maps a name to the contents it has in the zip (whether or not the site has that file)."""
    names = sorted({n for n in site_files(output) if in_zip(n)} | set(replacements))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in names:
            data = replacements.get(name)
            if data is None:
                data = (output / name).read_bytes()
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # unix, so the permissions below mean what they say
            info.external_attr = 0o100644 << 16
            archive.writestr(info, data, compresslevel=ZIP_LEVEL)
    return buffer.getvalue(), len(names)


def human_size(size: int) -> str:
    if size < 1024 * 1024:
        return f"{max(size // 1024, 1)} KB"
    return f"{size / (1024 * 1024):.1f} MB"


class OfflineFiles(PageFamily):
    def outputs(self) -> Iterator[Page | Task]:
        yield Task(self._write_hosting_files, size=1)
        relative = not self.inputs.absolute_siteurl and bool(
            self.inputs.pelican_settings["RELATIVE_URLS"]
        )
        yield Page("404.html", "404", {}, Depends(text=(str(relative),)), relative_urls=relative)
        latest = tuple(reversed(self.site.days[-DIGESTS_KEPT:]))
        values = {"latest_days": latest}
        yield Page(OFFLINE_PAGE, "offline", values, Depends(values=[d.date for d in latest]))
        if self.inputs.settings.download_zip:
            self.inputs.files.on_finish(self._write_download, writes=(DOWNLOAD_PAGE,))

    def _write_hosting_files(self) -> None:
        files, theme = self.inputs.files, self.inputs.theme
        static_paths = list(self.inputs.pelican_settings.get("THEME_STATIC_PATHS") or ["static"])
        worker = theme / "static" / "js" / "sw.js"
        if worker.is_file():
            version = theme_version(theme, static_paths, [self.inputs.root])
            text = worker.read_text(encoding="utf-8").replace(VERSION_MARK, version)
            files.write_text("sw.js", text.replace(PRECACHE_MARK, json.dumps(self._precache())))
        files.write_text(".nojekyll", "")

    def _precache(self) -> list[str]:
        """What sw.js keeps on install, relative to the site root: the offline page, the front
        page, the latest digests and the theme's files (a page kept needs its styles)."""
        settings = self.inputs.pelican_settings
        static_dir = str(settings.get("THEME_STATIC_DIR") or "theme")
        static_paths = list(settings.get("THEME_STATIC_PATHS") or ["static"])
        theme = [
            f"{static_dir}/{name.split('/', 1)[1]}"
            for name, _ in theme_files(self.inputs.theme, static_paths, [self.inputs.root])
            if "/" in name and not name.endswith("/sw.js")
        ]
        days = [day_url(day.date) for day in reversed(self.site.days[-DIGESTS_KEPT:])]
        return [OFFLINE_PAGE, "index.html", *days, *theme]

    def _write_download(self) -> None:
        """The whole site as a zip, and download.html: once every other file is written."""
        output, site, render = self.inputs.output, self.site, self.inputs.render
        newest = max((a.updated or a.date for a in site.articles), default=None)
        made = newest.astimezone(site.zone).date().isoformat() if newest else ""
        common = {"made": made, "site_address": self.inputs.absolute_siteurl}
        offline = render(DOWNLOAD_PAGE, "download", {"offline_copy": True, **common})
        data, files = make_zip(output, {DOWNLOAD_PAGE: offline.encode("utf-8")})
        target = output / ZIP_NAME
        target.parent.mkdir(parents=True, exist_ok=True)
        replace_file(target, data)  # a new inode: the previous output stays intact
        online = render(
            DOWNLOAD_PAGE,
            "download",
            {
                "offline_copy": False,
                "zip_url": ZIP_NAME,
                "size": human_size(len(data)),
                "files": files,
                **common,
            },
        )
        self.inputs.files.write_text(DOWNLOAD_PAGE, online)
