"""Which files of content/ are articles and pages; anything a contributor might expect to be
read but that would not be (wrong extension, wrong folder, a symlink) is reported."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from ..diagnostics import Diagnostics
from .files import display_path

ARTICLES = "articles"
PAGES = "pages"
REGISTRIES = ("regions.yaml", "speakers.yaml")


@dataclass
class ContentFiles:
    articles: list[Path] = field(default_factory=list)
    pages: list[Path] = field(default_factory=list)


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
            diagnostics.add(display_path(entry, root), 1, 1,
                            "articles go under content/articles/ and pages under content/pages/")
    found.articles = _markdown_files(content / ARTICLES, root, diagnostics)
    found.pages = _markdown_files(content / PAGES, root, diagnostics)
    return found


def _markdown_files(folder: Path, root: Path, diagnostics: Diagnostics) -> list[Path]:
    """Every .md file under `folder`, sorted by name at each level (os.scandir: whether an
    entry is a link or a folder comes with it, no stat per file)."""
    files: list[Path] = []
    try:
        with os.scandir(folder) as listing:
            entries = sorted(listing, key=lambda entry: entry.name)
    except (FileNotFoundError, NotADirectoryError):
        return files
    except OSError as error:  # unreadable: say so, never skip it silently
        diagnostics.add(display_path(folder, root), 1, 1,
                        f"cannot read this folder: {error.strerror}")
        return files
    folders = []
    for entry in entries:
        if entry.name.startswith(".") or not _utf8_name(Path(entry.path), root, diagnostics):
            continue
        if entry.is_symlink():
            _refuse_link(Path(entry.path), root, diagnostics)
        elif entry.is_dir():
            folders.append(entry)
        elif entry.name.endswith(".md"):
            files.append(Path(entry.path))
        else:
            diagnostics.add(display_path(Path(entry.path), root), 1, 1,
                            f"'{entry.name}' is not read: articles and pages are Markdown "
                            "files ending in .md")
    for entry in folders:  # files of a folder before its subfolders, as os.walk gave them
        files.extend(_markdown_files(Path(entry.path), root, diagnostics))
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


def _refuse_link(path: Path, root: Path, diagnostics: Diagnostics) -> None:
    diagnostics.add(display_path(path, root), 1, 1,
                    "symbolic links are not allowed in content/: commit the file itself")
