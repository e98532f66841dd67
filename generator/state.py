"""BuildState: the one typed place that holds a build's state, from settings to the Site."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .articles import ReadContext, read_article, read_page
from .diagnostics import ContentError, Diagnostic, Diagnostics
from .discovery import PAGES, ContentFiles, discover
from .frontmatter import split_front_matter
from .markup import make_markdown
from .model import Article, Page
from .parallel import map_chunks
from .registries import Registries, load_registries
from .settings import STATE_KEY, TimelineSettings
from .site import Site, assemble, check_unique_slugs
from .sources import display_path, read_source

Document = Article | Page


@dataclass
class BuildState:
    settings: TimelineSettings
    title: str
    root: Path  # the project: messages name files relative to it
    content: Path
    diagnostics: Diagnostics
    context: ReadContext
    files: ContentFiles
    documents: dict[str, Document | None] = field(default_factory=dict)
    site: Site | None = None
    cards: Any = None  # templating.Cards: timeline items rendered once per build

    @classmethod
    def start(cls, pelican_settings: Mapping[str, Any]) -> BuildState:
        """Validate settings, find the files and load both registries."""
        settings = TimelineSettings.from_pelican(pelican_settings)
        content = Path(pelican_settings["PATH"]).resolve()
        root = content.parent
        diagnostics = Diagnostics()
        files = discover(content, root, diagnostics)
        registries = load_registries(content, root, settings.max_registry_bytes, diagnostics)
        context = ReadContext(registries, settings.zone, make_markdown(), diagnostics)
        state = cls(settings, str(pelican_settings.get("SITENAME", "Timeline")), root, content,
                    diagnostics, context, files)
        state.read_all()
        return state

    def read(self, file: Path) -> Document | None:
        """Read one article or page (by its folder); problems are kept for `finish`."""
        path = display_path(file, self.root)
        if path in self.documents:
            return self.documents[path]
        document = self._read(file, path)
        self.documents[path] = document
        return document

    def _read(self, file: Path, path: str) -> Document | None:
        return read_document(file, path, self.root, self.content, self.settings, self.context)

    def read_all(self) -> None:
        """Read every file not read yet, on every core when there are many."""
        pending = [f for f in (*self.files.articles, *self.files.pages)
                   if display_path(f, self.root) not in self.documents]
        reader = ChunkReader(self.settings, self.context.registries, self.root, self.content)
        for path, document, problems in map_chunks(reader, pending):
            self.documents[path] = document
            self.diagnostics.extend(problems)

    def finish(self) -> Site:
        """Cross-file checks, then the Site; raises ContentError with every problem."""
        for file in (*self.files.articles, *self.files.pages):
            if display_path(file, self.root) not in self.documents:
                self.read(file)
        articles = [d for d in self.documents.values() if isinstance(d, Article)]
        pages = [d for d in self.documents.values() if isinstance(d, Page)]
        check_unique_slugs(articles, self.diagnostics)
        check_unique_slugs(pages, self.diagnostics)  # type: ignore[arg-type]
        if self.diagnostics:
            raise ContentError(self.diagnostics.items, self.settings.max_errors)
        self.site = assemble(self.title, self.settings.timezone, self.context.registries,
                             articles, pages)
        return self.site


def read_document(file: Path, path: str, root: Path, content: Path, settings: TimelineSettings,
                  context: ReadContext) -> Document | None:
    """One file → its record, or None after adding diagnostics to context.diagnostics."""
    source = read_source(file, root, settings.max_article_bytes, context.diagnostics,
                         inside=content)
    if source is None:
        return None
    split = split_front_matter(source, settings.max_front_matter_bytes, context.diagnostics)
    if split is None:
        return None
    if file.is_relative_to(content / PAGES):
        return read_page(path, split, context)
    return read_article(path, split, context)


@dataclass(frozen=True)
class ChunkReader:
    """Reads a chunk of files with a parser of its own: the unit of work of a worker process."""

    settings: TimelineSettings
    registries: Registries
    root: Path
    content: Path

    def __call__(self, files: Sequence[Path]) -> list[tuple[str, Document | None, list[Diagnostic]]]:
        diagnostics = Diagnostics()
        context = ReadContext(self.registries, self.settings.zone, make_markdown(), diagnostics)
        results: list[tuple[str, Document | None, list[Diagnostic]]] = []
        for file in files:
            before = len(diagnostics.items)
            path = display_path(file, self.root)
            document = read_document(file, path, self.root, self.content, self.settings, context)
            results.append((path, document, diagnostics.items[before:]))
        return results


def build_state(settings: Mapping[str, Any]) -> BuildState:
    state = settings[STATE_KEY]
    assert isinstance(state, BuildState), "the timeline plugin did not start this build"
    return state
