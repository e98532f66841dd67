"""BuildState: the one typed place that holds a build's state, from settings to the Site."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .articles import ReadContext, read_article, read_page
from .diagnostics import ContentError, Diagnostics
from .discovery import PAGES, ContentFiles, discover
from .frontmatter import split_front_matter
from .markup import make_markdown
from .model import Article, Page
from .registries import load_registries
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
        return cls(settings, str(pelican_settings.get("SITENAME", "Timeline")), root, content,
                   diagnostics, context, files)

    def read(self, file: Path) -> Document | None:
        """Read one article or page (by its folder); problems are kept for `finish`."""
        path = display_path(file, self.root)
        if path in self.documents:
            return self.documents[path]
        document = self._read(file, path)
        self.documents[path] = document
        return document

    def _read(self, file: Path, path: str) -> Document | None:
        source = read_source(file, self.root, self.settings.max_article_bytes, self.diagnostics,
                             inside=self.content)
        if source is None:
            return None
        split = split_front_matter(source, self.settings.max_front_matter_bytes, self.diagnostics)
        if split is None:
            return None
        if file.resolve().is_relative_to(self.content / PAGES):
            return read_page(path, split, self.context)
        return read_article(path, split, self.context)

    def read_all(self) -> None:
        for file in (*self.files.articles, *self.files.pages):
            self.read(file)

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


def build_state(settings: Mapping[str, Any]) -> BuildState:
    state = settings[STATE_KEY]
    assert isinstance(state, BuildState), "the timeline plugin did not start this build"
    return state
