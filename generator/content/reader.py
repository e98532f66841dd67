"""Reading content/: one file → one record, and the checks across files.

`FileReader` is the unit of work that reading runs on every core: it carries everything a
forked process needs (settings, registries, folders) and makes its own Markdown parser.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..diagnostics import Diagnostic, Diagnostics
from ..model.records import Article, Page
from ..settings import TimelineSettings
from .articles import ReadContext, read_article, read_page
from .discovery import PAGES
from .files import display_path, read_source
from .frontmatter import split_front_matter
from .markup import make_markdown
from .registries import Registries

Document = Article | Page


@dataclass(frozen=True)
class FileRead:
    """What reading one file gave: its record (None when it has problems), its problems and
    the digest of the bytes it was parsed from (which may be newer than those hashed before)."""

    path: str
    document: Document | None
    problems: list[Diagnostic]  # errors and warnings
    digest: str

    @property
    def failed(self) -> bool:
        return any(not problem.warning for problem in self.problems)


def read_document(
    file: Path,
    path: str,
    root: Path,
    content: Path,
    settings: TimelineSettings,
    context: ReadContext,
) -> tuple[Document | None, str]:
    """One file → (its record, or None after adding diagnostics to context.diagnostics; the
    digest of the bytes it was read from)."""
    source = read_source(
        file, root, settings.max_article_bytes, context.diagnostics, inside=content
    )
    if source is None:
        return None, ""
    split = split_front_matter(
        source,
        settings.max_front_matter_bytes,
        context.diagnostics,
        max_lines=settings.max_article_lines,
    )
    if split is None:
        return None, source.digest
    if file.is_relative_to(content / PAGES):
        return read_page(path, split, context), source.digest
    return read_article(path, split, context), source.digest


@dataclass(frozen=True)
class FileReader:
    """Reads a chunk of files with a parser of its own."""

    settings: TimelineSettings
    registries: Registries
    root: Path  # the project: messages name files relative to it
    content: Path

    def __call__(self, files: Sequence[Path]) -> list[FileRead]:
        diagnostics = Diagnostics()
        context = ReadContext(self.registries, self.settings.zone, make_markdown(), diagnostics)
        results: list[FileRead] = []
        for file in files:
            before, warned = len(diagnostics.items), len(diagnostics.warnings)
            path = display_path(file, self.root)
            document, digest = read_document(
                file, path, self.root, self.content, self.settings, context
            )
            problems = diagnostics.items[before:] + diagnostics.warnings[warned:]
            results.append(FileRead(path, document, problems, digest))
        return results


def check_unique_slugs(documents: Sequence[Document], diagnostics: Diagnostics) -> None:
    """Two files whose records would be written to one page: both are named."""
    by_slug: dict[str, list[Document]] = defaultdict(list)
    for document in documents:
        by_slug[document.slug].append(document)
    for slug, same in by_slug.items():
        if len(same) > 1:
            paths = sorted(d.path for d in same)
            for path in paths:
                others = ", ".join(p for p in paths if p != path)
                diagnostics.add(
                    path,
                    1,
                    1,
                    f"duplicate slug '{slug}': also used by {others}; "
                    "set a different 'slug:' in one of them",
                )
