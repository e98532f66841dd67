"""Which files of content/ are articles, pages and registry files; anything a contributor
might expect to be read but that would not be (wrong extension, wrong folder, a symlink), or
that cannot be checked out everywhere (a name Windows reserves, two names that differ only in
case), is reported."""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..diagnostics import Diagnostics
from .fields import is_reserved_name
from .files import display_path

ARTICLES = "articles"
PAGES = "pages"
REGISTRIES = ("regions.yaml", "speakers.yaml")  # each may also be a folder: regions/*.yaml
Report = Callable[[str, int, int, str], None]
NO_LINKS = "symbolic links are not allowed in content/: commit the file itself"


@dataclass
class ContentFiles:
    """Each as its path's text (a Path each cost ~0.03 s at 5,000 articles, in every build)."""

    articles: list[str] = field(default_factory=list)
    pages: list[str] = field(default_factory=list)


def discover(content: Path, root: Path, diagnostics: Diagnostics) -> ContentFiles:
    found = ContentFiles()
    if not content.is_dir():
        diagnostics.add(display_path(content, root), 1, 1, "content folder is missing")
        return found
    for entry in sorted(content.iterdir()):
        if not _utf8_name(entry, root, diagnostics):
            continue
        if entry.is_symlink():
            _refuse_link(entry, root, diagnostics)
        elif entry.is_file() and entry.suffix == ".md":
            diagnostics.add(
                display_path(entry, root),
                1,
                1,
                "articles go under content/articles/ and pages under content/pages/",
            )
    found.articles = _markdown_files(content / ARTICLES, root, diagnostics)
    found.pages = _markdown_files(content / PAGES, root, diagnostics)
    _report_case_twins([*found.articles, *found.pages], root, diagnostics.add)
    for entry in sorted(content.iterdir()):  # static files (images, CNAME...) are copied as
        if entry.name not in (ARTICLES, PAGES) and entry.is_dir() and not entry.is_symlink():
            _refuse_links_below(entry, root, diagnostics)  # they are: a link could reach out
    return found


def registry_folder(folder: Path, root: Path, diagnostics: Diagnostics | None) -> list[Path]:
    """The .yaml files of content/regions/ or content/speakers/, sorted by name. Anything else
    in it is reported to `diagnostics` (None: only list the files)."""
    report: Report = diagnostics.add if diagnostics is not None else _ignore
    shown = display_path(folder, root)
    if folder.is_symlink():  # refused by `discover`, never followed
        return []
    try:
        with os.scandir(folder) as listing:
            entries = sorted(listing, key=lambda entry: entry.name)
    except FileNotFoundError:
        return []
    except NotADirectoryError:
        report(shown, 1, 1, f"'{folder.name}' is not read: it should be a folder of .yaml files")
        return []
    except OSError as error:
        report(shown, 1, 1, f"cannot read this folder: {error.strerror}")
        return []
    files = []
    for entry in entries:
        path = Path(entry.path)
        if entry.name.startswith("."):
            continue
        if entry.is_symlink():
            report(display_path(path, root), 1, 1, NO_LINKS)
        elif entry.is_dir():
            report(
                display_path(path, root),
                1,
                1,
                f"folders inside {shown}/ are not read: move its files into {shown}/",
            )
        elif not entry.name.endswith(".yaml"):
            rename = ": rename it to end in .yaml" if entry.name.endswith(".yml") else ""
            report(
                display_path(path, root),
                1,
                1,
                f"'{entry.name}' is not read: {shown}/ holds .yaml files{rename}",
            )
        elif is_reserved_name(entry.name):
            report(display_path(path, root), 1, 1, _reserved(entry.name, folder=False))
        else:
            files.append(path)
    _report_case_twins(files, root, report)
    return files


def _ignore(path: str, line: int, col: int, message: str) -> None:
    """Listing registry files for the cache's scope: their problems are reported elsewhere."""


def _reserved(name: str, folder: bool) -> str:
    stem, dot, rest = name.partition(".")
    kind = "folder" if folder else "file"
    return (
        f"'{name}': '{stem}' is a device name that Windows reserves, so this {kind} cannot "
        f"be checked out there: rename it (e.g. '{stem}-1{dot}{rest}')"
    )


def _report_case_twins(files: Sequence[Path | str], root: Path, report: Report) -> None:
    """Paths that differ only in case or Unicode normalisation are one file on Windows and
    macOS: a checkout there keeps one of them."""
    seen: dict[str, Path | str] = {}
    for file in files:
        text = str(file)  # all under one root: the same prefix
        key = (
            text.lower()
            if text.isascii()
            else unicodedata.normalize("NFC", unicodedata.normalize("NFC", text).casefold())
        )
        other = seen.setdefault(key, file)
        if other != file:
            report(
                display_path(file, root),
                1,
                1,
                f"this path differs from "
                f"{display_path(other, root)} only in case or Unicode normalisation: "
                "Windows and macOS would see one file; rename one of them",
            )


def _markdown_files(folder: Path | str, root: Path, diagnostics: Diagnostics) -> list[str]:
    """Every .md file under `folder`, sorted by name at each level (os.scandir: whether an
    entry is a link or a folder comes with it, no stat per file)."""
    files: list[str] = []
    try:
        with os.scandir(folder) as listing:
            entries = sorted(listing, key=lambda entry: entry.name)
    except (FileNotFoundError, NotADirectoryError):
        return files
    except OSError as error:  # unreadable: say so, never skip it silently
        diagnostics.add(
            display_path(folder, root), 1, 1, f"cannot read this folder: {error.strerror}"
        )
        return files
    folders = []
    for entry in entries:
        if entry.name.startswith(".") or (
            not entry.name.isascii() and not _utf8_name(Path(entry.path), root, diagnostics)
        ):
            continue
        if entry.is_symlink():
            _refuse_link(Path(entry.path), root, diagnostics)
        elif is_reserved_name(entry.name):
            diagnostics.add(
                display_path(Path(entry.path), root),
                1,
                1,
                _reserved(entry.name, folder=entry.is_dir()),
            )
        elif entry.is_dir():
            folders.append(entry)
        elif entry.name.endswith(".md"):
            files.append(entry.path)
        else:
            diagnostics.add(
                display_path(Path(entry.path), root),
                1,
                1,
                f"'{entry.name}' is not read: articles and pages are Markdown files ending in .md",
            )
    for entry in folders:  # files of a folder before its subfolders, as os.walk gave them
        files.extend(_markdown_files(entry.path, root, diagnostics))
    return files


def _utf8_name(path: Path, root: Path, diagnostics: Diagnostics) -> bool:
    """False (and a problem) for a name that is not UTF-8: it could not be shown, cached or
    published as it is. The path is shown with the bytes escaped (\\xe9)."""
    try:
        path.name.encode("utf-8")
    except UnicodeEncodeError:
        shown = os.fsencode(display_path(path, root)).decode("utf-8", "backslashreplace")
        kind = "folder" if path.is_dir() and not path.is_symlink() else "file"
        diagnostics.add(shown, 1, 1, f"{kind} name is not UTF-8 — rename it")
        return False
    return True


def _refuse_links_below(folder: Path, root: Path, diagnostics: Diagnostics) -> None:
    """Every symbolic link under `folder` (not followed): Pelican copies STATIC_PATHS files
    following links, which would publish whatever a link points at."""
    for base, folders, files in os.walk(folder):
        for name in sorted([*folders, *files]):
            path = Path(base, name)
            if path.is_symlink():
                _refuse_link(path, root, diagnostics)


def _refuse_link(path: Path, root: Path, diagnostics: Diagnostics) -> None:
    diagnostics.add(display_path(path, root), 1, 1, NO_LINKS)
