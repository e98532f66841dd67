"""The stages `build()` runs, each handed what it needs: reading the content into the model,
the engine and its fingerprints, and Pelican's generators for one build."""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from pelican import Pelican
from pelican.generators import ArticlesGenerator, PagesGenerator, StaticGenerator

from ..build.cache import ContentCache, cache_folder
from ..build.compiled import CompiledTemplates
from ..build.engine import Engine
from ..build.faults import Notes
from ..build.fingerprint import code_version, text_digest, tree_digest
from ..build.output import Manifest, OutputTracker
from ..build.pieces import StoredPieces
from ..build.reading import Documents, read_documents
from ..build.resident import Fragments, Memory, StoredDigests, StoredStrings, file_digest
from ..build.staging import StagedOutput
from ..build.writer import PageWriter
from ..content.discovery import REGISTRIES, discover, registry_folder
from ..content.files import display_path
from ..content.history import read_history
from ..content.reader import FileReader, check_unique_slugs
from ..content.registries import load_registries
from ..diagnostics import ContentError, Diagnostic, Diagnostics, did_you_mean
from ..model.history import NONE
from ..model.records import Article, Page
from ..model.site import Site, assemble
from ..model.urls import DIGEST
from ..pages.base import site_summary
from ..plugin.objects import (
    RecordArticle,
    RecordArticlesGenerator,
    RecordPage,
    RecordPagesGenerator,
    content_objects,
    prepare,
    published,
)
from ..plugin.pages import PagesJob, TimelinePagesGenerator
from ..plugin.static import guard_theme_copies
from ..render.cards import Cards
from ..render.charts.maps import Land, background
from ..render.templating import install_template_helpers
from ..settings import SettingsError, TimelineSettings

CARDS_KEPT = 30_000  # brief cards a process keeps (render.cards.Cards): ~50 MB

VOLATILE_SETTINGS = {"OUTPUT_PATH"}  # where a build writes is not what it writes


@dataclass(frozen=True)
class BuildOptions:
    memory: Memory | None = None  # kept by a long-lived process (make serve) between builds


@dataclass(frozen=True)
class Project:
    """Where things are: messages name files relative to `root`, the content's parent."""

    content: Path
    output: Path
    theme: Path

    @property
    def root(self) -> Path:
        return self.content.parent

    @classmethod
    def of(cls, settings: Mapping[str, Any]) -> Project:
        return cls(
            Path(settings["PATH"]).resolve(),
            Path(settings["OUTPUT_PATH"]).resolve(),
            Path(settings["THEME"]),
        )


@dataclass(frozen=True)
class Model:
    """What reading gave: the Site, and the files' records and digests behind it."""

    site: Site
    documents: Documents
    article_digests: dict[str, str]  # slug → digest of its file
    cache_scope: str
    cache_root: Path | None
    cache_folder: Path | None  # the scope's folder (None: no cache), where pieces are kept
    warnings: tuple[Diagnostic, ...]  # printed by check and build; they fail nothing


def read_model(
    project: Project,
    settings: TimelineSettings,
    pelican_settings: Mapping[str, Any],
    memory: Memory | None,
    notes: Notes,
    cache_dir: Path | None,
) -> Model:
    """Every file read (cached when unchanged), checked across files, then the Site; raises
    ContentError with every problem. `cache_dir`: the content's cache folder (`cache_root`)."""
    diagnostics = Diagnostics()
    files = discover(project.content, project.root, diagnostics)
    registries = load_registries(
        project.content, project.root, settings.max_registry_bytes, diagnostics
    )
    cache = open_cache(project, settings, memory, notes, cache_dir)
    reader = FileReader(settings, registries, project.root, project.content)
    paths = [(display_path(file, project.root), file) for file in (*files.articles, *files.pages)]
    digests = memory or StoredDigests(cache.folder)  # unchanged files are not hashed again
    documents = read_documents(paths, cache, reader, settings.workers, digests)
    if isinstance(digests, StoredDigests) and cache.folder is not None:
        digests.save({path for path, _ in paths})
    diagnostics.extend(documents.problems)
    for record in documents.records.values():  # a cached file still warns
        if record is not None:
            for line, col, message in record.warnings:
                diagnostics.warn(record.path, line, col, message)
    articles: list[Article] = documents.of_kind(Article)
    pages: list[Page] = documents.of_kind(Page)
    check_unique_slugs(articles, diagnostics)
    check_unique_slugs(pages, diagnostics)
    if diagnostics:
        raise ContentError(diagnostics.items, settings.max_errors, diagnostics.warnings)
    archive_parts = dict(settings.archive_parts)
    for rid in archive_parts:
        if rid not in registries.regions:
            raise SettingsError(
                f"TIMELINE_ARCHIVE_PARTS names {rid!r}, which is not in regions.yaml"
                + did_you_mean(rid, registries.regions)
            )
        if archive_parts[rid] == DIGEST and registries.regions[rid].parent is not None:
            raise SettingsError(
                f"TIMELINE_ARCHIVE_PARTS[{rid!r}] is 'digest', which only a top-level region "
                "may be kept in (a digest holds the whole day): use 'day', 'ten-days' or 'month'"
            )
    site = assemble(
        str(pelican_settings.get("SITENAME", "Timeline")),
        settings.timezone,
        registries.regions,
        registries.speakers,
        articles,
        pages,
        archive_parts,
        settings.timezone_label,
        settings.speaker_archive_part,
    )
    gc.freeze()  # see _model_frozen
    return Model(
        site,
        documents,
        {a.slug: documents.digests.get(a.path, "") for a in articles},
        cache.scope,
        cache.root,
        cache.folder,
        tuple(sorted(set(diagnostics.warnings))),
    )


@contextmanager
def model_frozen() -> Iterator[None]:
    """The model lives as long as the build and holds no cycles: once it is built the
    collector need not scan its millions of objects again (a full collection cost ~0.1 s each
    at 5,000 articles); they are let go when the build ends."""
    try:
        yield
    finally:
        gc.unfreeze()


def cache_root(project: Project, settings: TimelineSettings, notes: Notes) -> Path | None:
    """The content's cache folder (TIMELINE_CACHE_DIR, or the setting), or None: no cache."""
    return cache_folder(
        project.root,
        os.environ.get("TIMELINE_CACHE_DIR", settings.cache_dir),
        project.content,
        notes,
    )


def open_cache(
    project: Project,
    settings: TimelineSettings,
    memory: Memory | None,
    notes: Notes,
    folder: Path | None,
) -> ContentCache:
    """The content cache in `folder` for this code, these settings and these registries."""
    scope = text_digest(code_version(), repr(settings), _registry_digest(project.content))
    return (
        memory.content_cache(folder, scope, notes)
        if memory is not None
        else ContentCache(folder, scope, notes)
    )


def _registry_digest(content: Path) -> str:
    """The registries' files (and those of their folders): an edit anywhere in them can
    change what every article refers to."""
    folders = (
        registry_folder(content / name.removesuffix(".yaml"), content.parent, None)
        for name in REGISTRIES
    )
    return text_digest(
        *(file_digest(content / name) for name in REGISTRIES),
        *(f"{file.name}:{file_digest(file)}" for files in folders for file in files),
    )


# -- pages, data, write -----------------------------------------------------------------------


def start_engine(
    model: Model,
    staged: StagedOutput,
    previous: Manifest,
    project: Project,
    pelican_settings: Mapping[str, Any],
    settings: TimelineSettings,
    options: BuildOptions,
) -> Engine:
    """The engine for this build, with last build's fingerprints when there are some."""
    tracker = OutputTracker(
        staged.path,
        linked=staged.linked,
        previous=previous.pages,
        previous_groups=previous.groups,
    )
    memory = options.memory
    fragments = (
        memory.fragments
        if memory
        else Fragments(stored=StoredPieces(model.cache_folder, set(model.article_digests.values())))
    )
    writer = PageWriter(str(staged.path), dict(pelican_settings, OUTPUT_PATH=str(staged.path)))
    engine = Engine(
        tracker,
        writer,
        shell_digest(model, project, pelican_settings),
        site_summary(model.site),
        model.article_digests,
        fragments,
        resident=memory is not None,
        workers=settings.workers,
        cache_folder=model.cache_folder,
    )
    site = model.site
    engine.hasher.prime([*site.events, *site.quotes, *site.articles])
    return engine


def shell_digest(model: Model, project: Project, pelican_settings: Mapping[str, Any]) -> str:
    """What every output depends on: code, settings, registries (the cache's scope), theme."""
    theme = tree_digest(project.theme) if project.theme.is_dir() else ""
    shown = sorted(
        (k, repr(v))
        for k, v in pelican_settings.items()
        if k.isupper() and k not in VOLATILE_SETTINGS
    )
    return text_digest(model.cache_scope, theme, repr(shown))


@contextmanager
def writing_into(pelican: Pelican, staging: Path) -> Iterator[None]:
    """Pelican and its plugins write into the staging folder for the length of the build."""
    saved = pelican.output_path, pelican.settings["OUTPUT_PATH"]
    pelican.output_path = pelican.settings["OUTPUT_PATH"] = str(staging)
    try:
        yield
    finally:
        pelican.output_path, pelican.settings["OUTPUT_PATH"] = saved


def pelican_generators(
    pelican: Pelican,
    model: Model,
    engine: Engine,
    templates: CompiledTemplates,
    land: Land,
    project: Project,
    settings: TimelineSettings,
) -> list[Any]:
    """Pelican's generators for this build, as Pelican makes them, with three changes: its
    articles and pages generators take our records (no file is read again) and ours writes
    our page families, just before the static files."""
    context = pelican.settings.copy()
    context.update(
        generated_content={},
        static_links=set(),
        static_content={},
        localsiteurl=pelican.settings["SITEURL"],
    )
    site, documents = model.site, model.documents
    articles = content_objects(
        documents.of_kind(Article),
        RecordArticle,
        project.root,
        project.content,
        pelican.settings,
        context,
    )
    pages = content_objects(
        documents.of_kind(Page),
        RecordPage,
        project.root,
        project.content,
        pelican.settings,
        context,
    )
    job = PagesJob(
        site,
        settings,
        engine,
        documents.digests,
        _in_site_order(published(articles), site.articles),
        _in_site_order(published(pages), site.pages),
        read_history(project.root, project.content) if settings.repo_url else NONE,
    )
    classes: list[type] = []
    for cls in pelican._get_generator_classes():
        if cls is ArticlesGenerator:
            cls = prepare(RecordArticlesGenerator, articles)
        elif cls is PagesGenerator:
            cls = prepare(RecordPagesGenerator, pages)
        elif cls is StaticGenerator:
            classes.append(TimelinePagesGenerator.for_build(job))
        classes.append(cls)
    cards = Cards(settings.zone, CARDS_KEPT)
    made = [
        cls(
            context=context,
            settings=pelican.settings,
            path=pelican.path,
            theme=pelican.theme,
            output_path=pelican.output_path,
        )
        for cls in classes
    ]
    for generator in made:
        if isinstance(generator, StaticGenerator):
            guard_theme_copies(generator, project.root)
        env = getattr(generator, "env", None)
        if env is not None:
            install_template_helpers(env, settings.zone, cards, land)
            # Every build makes new environments, so templates cannot change under one: Jinja
            # need not stat every template on every render (~150,000 stats at 5,000 articles).
            env.auto_reload = False
            env.bytecode_cache = templates  # compiled once per build, not once per generator
    return made


def kept_land(stored: StoredStrings) -> Land:
    """A map's land for its view (charts.maps.background: ~0.09 s in a process's first map,
    the world's outlines decoded) kept from one build to the next in `stored`."""
    return lambda view: stored.get(repr(view), partial(background, view))


def _in_site_order(objects: Iterator[Any], records: Any) -> list[Any]:
    by_slug = {o.record.slug: o for o in objects}
    return [by_slug[r.slug] for r in records]
