"""Offline reading and hosting: the service worker, the downloadable zip, 404.html, .nojekyll.

- sw.js: theme/static/js/sw.js copied to the site root (Pelican copies theme files only into
  theme/, where a worker's scope would be theme/ alone), its version set to a hash of the
  theme's files, so a new theme replaces cached theme files. theme/js/offline.js registers it
  over http(s) only.
- download/timeline-site.zip: the built site in one deterministic zip (entries sorted, fixed
  timestamps and permissions). It is made when the build is otherwise complete (Pelican's
  `finalized` signal, after the theme files were copied) and cannot hold itself, so it holds
  every file except download/, 404.html and .nojekyll (host files). Pages link to
  download.html, not to the zip: on the site that page offers the zip; inside the zip it is
  replaced by a page saying this is an offline copy (with the site's address when SITEURL is
  absolute), so every link of the unzipped copy works too. TIMELINE_DOWNLOAD_ZIP = False
  leaves the zip, download.html and the footer link out (faster builds).
- 404.html: what GitHub Pages shows for a missing path at any depth, so with an absolute
  SITEURL its links are absolute; without one, relative to the site root.
- .nojekyll: GitHub Pages must publish the files as they are.
- theme/: Pelican copies the theme's static folders following every symbolic link (os.walk
  with followlinks=True): a link to /etc would publish /etc. Its copy is replaced by one that
  follows a link only when it resolves inside the theme or the project, and skips any other
  with one warning line.
"""

from __future__ import annotations

import fnmatch
import functools
import hashlib
import io
import os
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from .exports import write_text
from .faults import contained_files, shown, warn
from .output import replace_file
from .settings import SettingsError
from .state import build_state
from .templating import SiteGenerator

ZIP_NAME = "download/timeline-site.zip"
DOWNLOAD_PAGE = "download.html"
NOT_IN_ZIP = ("download/", "404.html", ".nojekyll")
ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip can hold: same bytes every build
ZIP_LEVEL = 6
VERSION_MARK = "__TIMELINE_VERSION__"


def download_enabled(settings: Mapping[str, Any]) -> bool:
    value = settings.get("TIMELINE_DOWNLOAD_ZIP", True)
    if not isinstance(value, bool):
        raise SettingsError(f"TIMELINE_DOWNLOAD_ZIP must be True or False, not {value!r}")
    return value


def absolute_siteurl(settings: Mapping[str, Any]) -> str:
    """SITEURL when it is an http(s) address (publishing), else ""."""
    siteurl = str(settings.get("SITEURL") or "").rstrip("/")
    return siteurl if siteurl.startswith(("https://", "http://")) else ""


def theme_files(theme: Path, static_paths: list[str],
                allowed: Sequence[Path] = ()) -> Iterator[tuple[str, Path]]:
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


def guard_theme_copies(generator: Any) -> None:
    """Pelican's `static_generator_init` signal: the theme's static folders are copied by
    `copy_theme_paths`, not by Pelican's own copy."""
    generator._copy_paths = functools.partial(copy_theme_paths, generator)


def copy_theme_paths(generator: Any, paths: Sequence[str], source: str, destination: str,
                     output_path: str, final_path: str | None = None) -> None:
    """StaticGenerator._copy_paths (same arguments, same places), following a symbolic link
    only when it resolves inside the theme or the project; any other is skipped, said in one
    line."""
    allowed = [Path(source), build_state(generator.settings).root]
    ignores = list(generator.settings.get("IGNORE_FILES") or [])

    def refused(link: Path, target: Path) -> None:
        warn(f"theme: {shown(link)} is a symbolic link to {shown(target)}, outside the theme "
             "and the project: not copied (copy the file into the theme instead)")

    for path in paths:
        origin = Path(source, path)
        if final_path:
            name = os.path.basename(path) if origin.is_file() else ""
            target = Path(output_path, destination, final_path, name)
        else:
            target = Path(output_path, destination, path)
        if any(fnmatch.fnmatch(origin.name, pattern) for pattern in ignores):
            continue
        if not origin.is_dir():  # a file, or a link to one
            real = Path(os.path.realpath(origin))
            if origin.is_symlink() and not any(real.is_relative_to(os.path.realpath(a))
                                               for a in allowed):
                refused(origin, real)
            elif origin.is_file():
                replace_file(target, origin.read_bytes())
            continue
        for name, file in contained_files(origin, allowed, refused):
            if not any(fnmatch.fnmatch(part, pattern) for part in name.split("/")
                       for pattern in ignores):
                replace_file(target / name, file.read_bytes())


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


def run_finalize_jobs(pelican: Any) -> None:
    """Pelican's `finalized` signal: the site is complete (theme files copied), not yet swapped."""
    state = build_state(pelican.settings)
    jobs, state.finalize_jobs = state.finalize_jobs, []
    for job in jobs:
        job()


class OfflineGenerator(SiteGenerator):
    def generate_context(self) -> None:
        self.context["offline_download"] = download_enabled(self.settings)

    def generate_output(self, writer: Any) -> None:
        output = Path(self.output_path)
        static_paths = list(self.settings.get("THEME_STATIC_PATHS") or ["static"])
        worker = Path(self.theme) / "static" / "js" / "sw.js"
        if worker.is_file():
            version = theme_version(Path(self.theme), static_paths,
                                    [build_state(self.settings).root])
            write_text(output, "sw.js",
                       worker.read_text(encoding="utf-8").replace(VERSION_MARK, version))
        write_text(output, ".nojekyll", "")
        siteurl = absolute_siteurl(self.settings)
        writer.write_file("404.html", self.get_template("404"), self.context,
                          relative_urls=not siteurl and self.settings["RELATIVE_URLS"])
        if download_enabled(self.settings):
            build_state(self.settings).finalize_jobs.append(self.write_download)

    def render(self, name: str, template: str, **values: Any) -> str:
        """A page rendered as Pelican's writer would (relative SITEURL), but not written."""
        local = dict(self.context)
        if self.settings["RELATIVE_URLS"]:
            depth = name.count("/")
            local["SITEURL"] = local["localsiteurl"] = "/".join([".."] * depth) or "."
        local["output_file"] = name
        local.update(values)
        return str(self.get_template(template).render(local))

    def write_download(self) -> None:
        output = Path(self.output_path)
        site = self.site
        newest = max((a.updated or a.date for a in site.articles), default=None)
        made = newest.astimezone(site.zone).date().isoformat() if newest else ""
        common = {"made": made, "site_address": absolute_siteurl(self.settings)}
        offline = self.render(DOWNLOAD_PAGE, "download", offline_copy=True, **common)
        data, files = make_zip(output, {DOWNLOAD_PAGE: offline.encode("utf-8")})
        target = output / ZIP_NAME
        target.parent.mkdir(parents=True, exist_ok=True)
        replace_file(target, data)  # a new inode: the previous output stays intact
        online = self.render(DOWNLOAD_PAGE, "download", offline_copy=False, zip_url=ZIP_NAME,
                             size=human_size(len(data)), files=files, **common)
        write_text(output, DOWNLOAD_PAGE, online)
