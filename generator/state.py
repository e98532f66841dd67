"""BuildState: the one typed place that holds a build's state, from settings to the Site."""

from __future__ import annotations

import functools
import gc
import hashlib
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .articles import ReadContext, read_article, read_page
from .cache import ContentCache, dump_document, load_document
from .diagnostics import ContentError, Diagnostic, Diagnostics
from .discovery import PAGES, REGISTRIES, ContentFiles, discover, registry_folder
from .fingerprint import ValueHasher, code_version, text_digest, tree_digest
from .frontmatter import split_front_matter
from .markup import make_markdown
from .model import Article, Page
from .output import OutputTracker
from .parallel import Background, map_chunks
from .registries import Registries, load_registries
from .resident import MEMORY_KEY, CompiledTemplates, Fragments, Memory, memory_of
from .settings import STATE_KEY, TimelineSettings
from .site import Site, assemble, check_unique_slugs
from .sources import display_path, read_source

Document = Article | Page
# path, document, its cache line (None when it has problems: never cached), problems, and
# the digest of the bytes it was parsed from
ReadResult = tuple[str, Document | None, bytes | None, list[Diagnostic], str]
VOLATILE_SETTINGS = {STATE_KEY, MEMORY_KEY, "OUTPUT_PATH", "TIMELINE_OUTPUT_TARGET"}


@dataclass
class BuildState:
    settings: TimelineSettings
    title: str
    root: Path  # the project: messages name files relative to it
    content: Path
    diagnostics: Diagnostics
    context: ReadContext
    files: ContentFiles
    cache: ContentCache
    documents: dict[str, Document | None] = field(default_factory=dict)
    digests: dict[str, str] = field(default_factory=dict)  # path → sha256 of the file
    site: Site | None = None
    cards: Any = None  # cards.Cards: timeline items rendered once per build
    outputs: OutputTracker | None = None  # set when building (not for `check`)
    shell: str = ""  # fingerprint of everything every page shows (see finish)
    slug_digests: dict[str, str] = field(default_factory=dict)
    finalize_jobs: list[Callable[[], None]] = field(default_factory=list)  # when all is written
    background: list[Background[Any, Any]] = field(default_factory=list)  # tasks running beside
    memory: Memory | None = None  # kept by a long-lived process between builds
    fragments: Fragments = field(default_factory=Fragments)  # per-record pieces of data files
    templates: CompiledTemplates = field(default_factory=CompiledTemplates)  # Jinja's code

    def fragment(self, kind: str, item_id: str, article: str, make: Callable[[], Any],
                 *extra: str) -> Any:
        """A piece made from one record of `article` (a slug): made once per build (a slide
        serves every region around its place) and, by make serve, kept while the file is the
        same."""
        return self.fragments.get((kind, item_id, self.slug_digests.get(article, ""), *extra),
                                  make)

    def collected(self) -> tuple[Any, ...]:
        """What a worker process changed in this state, for the parent's `absorb`."""
        tracker = self.outputs
        assert tracker is not None
        kept = self.fragments.made if self.memory is not None else {}  # only serve keeps them
        return tracker.current, tracker.written, kept

    def absorb(self, results: Sequence[tuple[Any, ...]]) -> None:
        tracker = self.outputs
        assert tracker is not None
        for current, written, made in results:
            tracker.current.update(current)
            tracker.written.update(written)
            self.fragments.merge(made)

    def stop_background(self) -> None:
        """A failed build: stop every background task before its folder is removed."""
        for background in self.background:
            background.stop()
        self.background.clear()

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
        scope = text_digest(code_version(), repr(settings), _registry_digest(content))
        memory = memory_of(pelican_settings)
        folder = _cache_folder(settings, root, content)
        cache = (memory.content_cache(folder, scope) if memory is not None
                 else ContentCache(folder, scope))
        state = cls(settings, str(pelican_settings.get("SITENAME", "Timeline")), root, content,
                    diagnostics, context, files, cache, memory=memory)
        if memory is not None:
            state.fragments = memory.fragments
        state.read_all()
        return state

    def read_all(self) -> None:
        """Read every file not read yet: from the cache when its bytes are unchanged, else
        parsed, on every core when there are many."""
        pending: list[Path] = []
        looked_up = 0
        memory = self.memory
        for file in (*self.files.articles, *self.files.pages):
            path = display_path(file, self.root)
            if path in self.documents:
                continue
            looked_up += 1
            digest = self.digests[path] = (memory.file_digest(path, file) if memory
                                           else _file_digest(file))
            cached = self.cache.get(path, digest)
            if cached is None:
                pending.append(file)
            else:
                self.documents[path] = cached
                for line, col, message in cached.warnings:  # reported again, never lost
                    self.diagnostics.warn(path, line, col, message)
        reader = ChunkReader(self.settings, self.context.registries, self.root, self.content)
        for path, document, body, problems, digest in map_chunks(
                reader, pending, self.settings.workers, _sent_back):
            if document is None and body is not None:
                document = load_document(body)  # read by another process
                assert document is not None, f"{path}: a record did not survive its encoding"
            self.documents[path] = document
            self.digests[path] = digest or self.digests[path]  # saved since it was hashed?
            self.diagnostics.extend(problems)
            if body is not None and document is not None:
                self.cache.put(path, self.digests[path], body, document)
        if looked_up:  # save the pack now (each entry stands for a file's bytes, whatever the
            self.cache.save()  # build makes of them) and free its lines before pages need it
            self.cache.release()

    def finish(self) -> Site:
        """Cross-file checks, then the Site; raises ContentError with every problem."""
        articles = [d for d in self.documents.values() if isinstance(d, Article)]
        pages = [d for d in self.documents.values() if isinstance(d, Page)]
        check_unique_slugs(articles, self.diagnostics)
        check_unique_slugs(pages, self.diagnostics)  # type: ignore[arg-type]
        if self.diagnostics:
            raise ContentError(self.diagnostics.items, self.settings.max_errors,
                               self.diagnostics.warnings)
        self.site = assemble(self.title, self.settings.timezone, self.context.registries,
                             articles, pages)
        self.slug_digests = {a.slug: self.digests.get(a.path, "") for a in articles}
        # The model lives as long as the build and holds no cycles: the collector need not
        # scan its millions of objects again (a full collection cost ~0.1 s each at 5,000
        # articles, and building pages and indexes set off many).
        gc.freeze()
        return self.site

    def start_output(self, pelican_settings: Mapping[str, Any], staging: Path,
                     linked: dict[str, int], manifest: dict[str, str]) -> None:
        """Building (not checking): track output files and fingerprint what pages show."""
        self.outputs = OutputTracker(staging, linked=linked, previous=manifest)
        theme = Path(pelican_settings["THEME"])
        self.shell = text_digest(self.cache.scope, tree_digest(theme) if theme.is_dir() else "",
                                 repr(sorted((k, repr(v)) for k, v in pelican_settings.items()
                                             if k.isupper() and k not in VOLATILE_SETTINGS)))
        if self.memory is not None:
            self.templates = self.memory.compiled_templates(self.shell)

    def page_key(self, name: str, template: str, fingerprint: str | None) -> str | None:
        """The fingerprint of one output page, or None when it must always be rendered."""
        if self.outputs is None or self.site is None or fingerprint is None:
            return None
        return text_digest(self.shell, self.site_summary, name, template, fingerprint)

    @functools.cached_property
    def site_summary(self) -> str:
        """What base templates show of the whole site (totals, pages, newest day) and the
        span of days that every activity chart covers."""
        site = self.site
        assert site is not None
        return repr((len(site.events), len(site.quotes), len(site.articles),
                     [(p.slug, p.title) for p in site.pages],
                     (site.days[0].date, site.days[-1].date) if site.days else None))

    @functools.cached_property
    def _hasher(self) -> ValueHasher:
        return ValueHasher(self.slug_digests)

    def hasher(self) -> ValueHasher:
        """One per build: it remembers each record's token."""
        return self._hasher

def _file_digest(file: Path) -> str:
    try:
        return hashlib.sha256(file.read_bytes()).hexdigest()
    except OSError:
        return ""


def _registry_digest(content: Path) -> str:
    """The registries' files (and the names of those in their folders): an edit anywhere in
    them can change what every article refers to."""
    folders = (registry_folder(content / name.removesuffix(".yaml"), content.parent, None)
               for name in REGISTRIES)
    return text_digest(*(_file_digest(content / name) for name in REGISTRIES),
                       *(f"{file.name}:{_file_digest(file)}" for files in folders
                         for file in files))


def _cache_folder(settings: TimelineSettings, root: Path, content: Path) -> Path | None:
    """Per content folder, so two sites built on one machine never share entries."""
    folder = os.environ.get("TIMELINE_CACHE_DIR", settings.cache_dir)
    if not folder:
        return None
    name = hashlib.sha256(str(content).encode()).hexdigest()[:16]
    base = root / folder
    if base.is_symlink():  # e.g. committed in a pull request to redirect writes: no cache
        return None
    return (base / f"content-{name}").resolve()


def read_document(file: Path, path: str, root: Path, content: Path, settings: TimelineSettings,
                  context: ReadContext) -> tuple[Document | None, str]:
    """One file → (its record, or None after adding diagnostics to context.diagnostics; the
    digest of the bytes it was read from, which may be newer than those hashed before)."""
    source = read_source(file, root, settings.max_article_bytes, context.diagnostics,
                         inside=content)
    if source is None:
        return None, ""
    split = split_front_matter(source, settings.max_front_matter_bytes, context.diagnostics,
                               max_lines=settings.max_article_lines)
    if split is None:
        return None, source.digest
    if file.is_relative_to(content / PAGES):
        return read_page(path, split, context), source.digest
    return read_article(path, split, context), source.digest


@dataclass(frozen=True)
class ChunkReader:
    """Reads a chunk of files with a parser of its own: the unit of work of a worker process."""

    settings: TimelineSettings
    registries: Registries
    root: Path
    content: Path

    def __call__(self, files: Sequence[Path]) -> list[ReadResult]:
        diagnostics = Diagnostics()
        context = ReadContext(self.registries, self.settings.zone, make_markdown(), diagnostics)
        results: list[ReadResult] = []
        for file in files:
            before, warned = len(diagnostics.items), len(diagnostics.warnings)
            path = display_path(file, self.root)
            document, digest = read_document(file, path, self.root, self.content,
                                             self.settings, context)
            problems = diagnostics.items[before:] + diagnostics.warnings[warned:]
            failed = len(diagnostics.items) > before
            body = dump_document(document) if document is not None and not failed else None
            results.append((path, document, body, problems, digest))
        return results


def _sent_back(results: list[ReadResult]) -> list[ReadResult]:
    """What a worker sends back: each document's cache line, which the parent needs anyway
    and decodes as it decodes the cache's, not the document as well."""
    return [(path, None, body, problems, digest)
            for path, _, body, problems, digest in results]


def build_state(settings: Mapping[str, Any]) -> BuildState:
    state = settings[STATE_KEY]
    assert isinstance(state, BuildState), "the timeline plugin did not start this build"
    return state
