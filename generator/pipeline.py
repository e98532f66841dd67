"""The build, top to bottom: read → model → pages → data → write → finalize.

`build()` is the whole pipeline. `TimelinePelican` is Pelican with `build()` as its `run()`:
pelicanconf.py names it as PELICAN_CLASS, so the stock `pelican` command (with `-r`,
`--listen`, `-e`) and `python -m generator build` run the same code, and Pelican's signals
fire where Pelican fires them. Every stage is handed what it needs; nothing is kept in the
settings, and a new build (`pelican -r` runs one after each edit) starts from nothing but
what `BuildOptions.memory` deliberately keeps.
"""

from __future__ import annotations

import gc
import logging
import os
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pelican import Pelican, signals
from pelican.generators import ArticlesGenerator, PagesGenerator, StaticGenerator
from pelican.settings import read_settings

from .build.cache import ContentCache, cache_folder
from .build.engine import Engine
from .build.faults import Notes
from .build.fingerprint import code_version, text_digest, tree_digest
from .build.output import OutputTracker
from .build.reading import Documents, file_digest, read_documents
from .build.resident import CompiledTemplates, Fragments, Memory
from .build.staging import StagedOutput, manifest_file
from .build.writer import PageWriter
from .content.discovery import REGISTRIES, discover, registry_folder
from .content.files import display_path
from .content.reader import FileReader, check_unique_slugs
from .content.registries import load_registries
from .diagnostics import ContentError, Diagnostic, Diagnostics, limited_lines
from .model.records import Article, Page
from .model.site import Site, assemble
from .pages.base import site_summary
from .plugin.errors import report_plainly
from .plugin.objects import (
    RecordArticle,
    RecordArticlesGenerator,
    RecordPage,
    RecordPagesGenerator,
    content_objects,
    prepare,
    published,
)
from .plugin.pages import PagesJob, TimelinePagesGenerator
from .plugin.rewriters import rewriters_held_back
from .plugin.static import guard_theme_copies
from .render.cards import Cards
from .render.templating import install_template_helpers
from .settings import SettingsError, TimelineSettings

PLUGIN = "generator"
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
    warnings: tuple[Diagnostic, ...]  # printed by check and build; they fail nothing


def build(pelican: Pelican, options: BuildOptions) -> Model:
    """Build the site into a staged copy of the output that replaces it only when every
    stage succeeded; returns the model it was built from."""
    settings = TimelineSettings.from_pelican(pelican.settings)
    project = Project.of(pelican.settings)
    notes = Notes()  # what this build says once (a cache it cannot use...)
    with StagedOutput(project.output, project.content, notes) as staged, _model_frozen():
        model = read_model(project, settings, pelican.settings, options.memory, notes)
        manifest = manifest_file(model.cache_root, project.output) if model.cache_root else None
        previous = staged.previous(manifest)  # last build's files, when it vouches for them
        engine = start_engine(model, staged, previous, project, pelican.settings, settings, options)
        templates = (
            options.memory.compiled_templates(engine.shell)
            if options.memory
            else CompiledTemplates()
        )
        try:
            with writing_into(pelican, staged.path):
                generators = pelican_generators(
                    pelican, model, engine, templates, project, settings
                )
                for generator in generators:  # Pelican's objects; content_object_init...
                    generator.generate_context()
                signals.all_generators_finalized.send(generators)
                for generator in generators:  # pages and data declared; static files copied
                    generator.generate_output(engine.writer)
                pages = next(g for g in generators if isinstance(g, TimelinePagesGenerator))
                engine.render(pages.get_template, pages.context)  # write: on every core
                with rewriters_held_back(pelican, engine.tracker.fresh):
                    signals.finalized.send(pelican)  # plugins' whole-site work
                engine.finish()  # finalize: pages of deleted content out, the offline zip
        finally:
            engine.stop()  # after a failure: before the staging folder goes
        staged.commit(engine.tracker.manifest(), remove_old_now=options.memory is None)
        if options.memory is not None:  # the next build keeps the pieces of files still here
            options.memory.fragments.keep_only(set(model.article_digests.values()))
    return model


def load_settings(
    settings_file: Path,
    override: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """A Pelican settings file, read as Pelican reads it (defaults, paths made absolute)."""
    if not settings_file.is_file():
        raise SettingsError("settings file not found")
    return dict(read_settings(str(settings_file), override=dict(override or {})))


def check(settings_dict: Mapping[str, Any]) -> Site:
    """Read and model only: every problem of content/, nothing written."""
    return check_model(settings_dict).site


def check_model(settings_dict: Mapping[str, Any]) -> Model:
    """`check`, with the warnings and what the Site was made from."""
    settings = TimelineSettings.from_pelican(settings_dict)
    project = Project.of({**settings_dict, "OUTPUT_PATH": "."})
    return read_model(project, settings, settings_dict, None, Notes())


# -- read, model ------------------------------------------------------------------------------


def read_model(
    project: Project,
    settings: TimelineSettings,
    pelican_settings: Mapping[str, Any],
    memory: Memory | None,
    notes: Notes,
) -> Model:
    """Every file read (cached when unchanged), checked across files, then the Site; raises
    ContentError with every problem."""
    diagnostics = Diagnostics()
    files = discover(project.content, project.root, diagnostics)
    registries = load_registries(
        project.content, project.root, settings.max_registry_bytes, diagnostics
    )
    cache = open_cache(project, settings, memory, notes)
    reader = FileReader(settings, registries, project.root, project.content)
    paths = [(display_path(file, project.root), file) for file in (*files.articles, *files.pages)]
    documents = read_documents(paths, cache, reader, settings.workers, memory)
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
    site = assemble(
        str(pelican_settings.get("SITENAME", "Timeline")),
        settings.timezone,
        registries.regions,
        registries.speakers,
        articles,
        pages,
    )
    gc.freeze()  # see _model_frozen
    return Model(
        site,
        documents,
        {a.slug: documents.digests.get(a.path, "") for a in articles},
        cache.scope,
        cache.root,
        tuple(sorted(set(diagnostics.warnings))),
    )


@contextmanager
def _model_frozen() -> Iterator[None]:
    """The model lives as long as the build and holds no cycles: once it is built the
    collector need not scan its millions of objects again (a full collection cost ~0.1 s each
    at 5,000 articles); they are let go when the build ends."""
    try:
        yield
    finally:
        gc.unfreeze()


def open_cache(
    project: Project, settings: TimelineSettings, memory: Memory | None, notes: Notes
) -> ContentCache:
    """The content cache for this code, these settings and these registries."""
    scope = text_digest(code_version(), repr(settings), _registry_digest(project.content))
    folder = cache_folder(
        project.root,
        os.environ.get("TIMELINE_CACHE_DIR", settings.cache_dir),
        project.content,
        notes,
    )
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
    previous: dict[str, str],
    project: Project,
    pelican_settings: Mapping[str, Any],
    settings: TimelineSettings,
    options: BuildOptions,
) -> Engine:
    """The engine for this build, with last build's fingerprints when there are some."""
    tracker = OutputTracker(staged.path, linked=staged.linked, previous=previous)
    memory = options.memory
    writer = PageWriter(str(staged.path), dict(pelican_settings, OUTPUT_PATH=str(staged.path)))
    return Engine(
        tracker,
        writer,
        shell_digest(model, project, pelican_settings),
        site_summary(model.site),
        model.article_digests,
        memory.fragments if memory is not None else Fragments(),
        resident=memory is not None,
        workers=settings.workers,
    )


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
    cards = Cards(settings.zone)
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
            install_template_helpers(env, settings.zone, cards)
            # Every build makes new environments, so templates cannot change under one: Jinja
            # need not stat every template on every render (~150,000 stats at 5,000 articles).
            env.auto_reload = False
            env.bytecode_cache = templates  # compiled once per build, not once per generator
    return made


def _in_site_order(objects: Iterator[Any], records: Any) -> list[Any]:
    by_slug = {o.record.slug: o for o in objects}
    return [by_slug[r.slug] for r in records]


class TimelinePelican(Pelican):  # type: ignore[misc]
    """Pelican whose `run()` is `build()`. A plugin that fails to load fails the build."""

    def __init__(self, settings: dict[str, Any], options: BuildOptions | None = None) -> None:
        report_plainly(logging.getLogger("pelican"))
        self.options = options or BuildOptions()
        self.site: Site | None = None
        super().__init__(settings)

    def init_plugins(self) -> None:
        failures = _LoggedErrors()
        logging.getLogger().addHandler(failures)
        try:
            super().init_plugins()
        finally:
            logging.getLogger().removeHandler(failures)
        if failures.messages:
            raise SettingsError("a plugin did not load: " + "; ".join(failures.messages))
        if PLUGIN not in self.settings["PLUGINS"]:
            raise SettingsError(
                f"the '{PLUGIN}' plugin did not load: check PLUGINS and PLUGIN_PATHS"
            )

    def run(self) -> None:
        started = time.perf_counter()
        model = build(self, self.options)
        self.site = model.site
        limit = TimelineSettings.from_pelican(self.settings).max_errors
        noted = print_warnings(model.warnings, limit)
        print(
            f"built {Path(self.output_path).resolve()}: {totals(self.site)}{noted} in "
            f"{time.perf_counter() - started:.2f} s",
            flush=True,
        )


def print_warnings(warnings: tuple[Diagnostic, ...], limit: int) -> str:
    """Print the warnings (stderr); a note for the summary line, such as " (2 warnings)"."""
    if not warnings:
        return ""
    for line in limited_lines(warnings, limit, " warnings"):
        print(line, file=sys.stderr)
    return f" ({plural(len(warnings), 'warning')})"


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def totals(site: Site) -> str:
    return (
        f"{len(site.articles)} articles, {len(site.pages)} pages, {len(site.events)} "
        f"developments, {len(site.quotes)} quotes, {len(site.regions)} regions, "
        f"{len(site.speakers)} speakers"
    )


class _LoggedErrors(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


__all__ = ["BuildOptions", "TimelinePelican", "build", "check", "load_settings", "totals"]
