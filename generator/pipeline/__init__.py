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
import sys
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pelican import Pelican, signals
from pelican.settings import read_settings

from ..build.compiled import CompiledTemplates
from ..build.faults import Notes
from ..build.output import measure_tree
from ..build.resident import StoredStrings
from ..build.staging import StagedOutput, manifest_file, sweeping_parked
from ..diagnostics import Diagnostic, limited_lines
from ..model.site import Site
from ..pages.offline import human_size
from ..plugin.errors import logged_errors, report_plainly
from ..plugin.pages import TimelinePagesGenerator
from ..plugin.rewriters import rewriters_held_back
from ..settings import SettingsError, TimelineSettings
from .stages import (
    BuildOptions,
    Model,
    Project,
    cache_root,
    kept_land,
    model_frozen,
    pelican_generators,
    read_model,
    start_engine,
    writing_into,
)

PLUGIN = "generator"
LANDS = "map-land.json"  # the maps' land, by view (kept_land)
PAGES_LIMIT = 10**9  # bytes: GitHub Pages refuses a published site over 1 GB
PAGE_LIMIT = 10**6  # bytes: a page a phone takes seconds to show (a busy speaker's year)
# Where a page past PAGE_LIMIT comes from, and the setting that splits its family's parts.
SPLIT_BY = {
    "speakers/": "TIMELINE_SPEAKER_ARCHIVE_PART = 'month' keeps speakers' quotes by month",
    "regions/": "TIMELINE_ARCHIVE_PARTS keeps a region's developments in shorter parts",
}


def build(pelican: Pelican, options: BuildOptions) -> Model:
    """Build the site into a staged copy of the output that replaces it only when every
    stage succeeded; returns the model it was built from."""
    settings = TimelineSettings.from_pelican(pelican.settings)
    project = Project.of(pelican.settings)
    notes = Notes()  # what this build says once (a cache it cannot use...)
    cache = cache_root(project, settings, notes)
    with (
        StagedOutput(project.output, project.content, notes) as staged,
        model_frozen(),
        sweeping_parked(cache, settings.workers),  # the old trees earlier builds parked
    ):
        manifest = manifest_file(cache, project.output) if cache else None
        staged.start_previous(manifest, settings.workers)  # linked while the content is read
        model = read_model(project, settings, pelican.settings, options.memory, notes, cache)
        previous = staged.previous()  # last build's files, when its manifest vouches for them
        engine = start_engine(model, staged, previous, project, pelican.settings, settings, options)
        templates = (
            options.memory.compiled_templates(engine.shell)
            if options.memory
            else CompiledTemplates(beside=True)
        )
        lands = StoredStrings(model.cache_folder, LANDS)
        try:
            with writing_into(pelican, staged.path), logged_errors() as logged:
                generators = pelican_generators(
                    pelican, model, engine, templates, kept_land(lands), project, settings
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
        if logged:  # Pelican or a plugin said ERROR (a template, a static file...)
            details = "\n".join(f"error: {message}" for message in logged)
            raise SettingsError(f"the build reported errors; the previous site was kept\n{details}")
        # kept where it was read unless the cache went off meanwhile (said once: next build cold)
        kept_at = manifest if model.cache_root else None
        if kept_at is not None:
            lands.save()
        staged.commit(
            engine.tracker.manifest(),
            kept_at,
            remove_old_now=options.memory is None,
            park_in=cache if kept_at is not None and options.memory is None else None,
            rewritten=engine.tracker.rewritten(),
        )
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
    notes = Notes()
    return read_model(
        project, settings, settings_dict, None, notes, cache_root(project, settings, notes)
    )


class TimelinePelican(Pelican):  # type: ignore[misc]
    """Pelican whose `run()` is `build()`. A plugin that fails to load fails the build."""

    def __init__(self, settings: dict[str, Any], options: BuildOptions | None = None) -> None:
        report_plainly(logging.getLogger("pelican"))
        self.options = options or BuildOptions()
        self.site: Site | None = None
        super().__init__(settings)

    def init_plugins(self) -> None:
        with logged_errors() as failures:
            super().init_plugins()
        if failures:
            raise SettingsError("a plugin did not load: " + "; ".join(failures))
        if PLUGIN not in self.settings["PLUGINS"]:
            raise SettingsError(
                f"the '{PLUGIN}' plugin did not load: check PLUGINS and PLUGIN_PATHS"
            )

    def run(self) -> None:
        started = time.perf_counter()
        gc.set_threshold(100_000, 50, 100)  # a batch job making millions of objects: fewer passes
        model = build(self, self.options)
        self.site = model.site
        limit = TimelineSettings.from_pelican(self.settings).max_errors
        noted = print_warnings(model.warnings, limit)
        output = Path(self.output_path).resolve()
        measured = measure_tree(output, PAGE_LIMIT)
        size = measured.total
        print(
            f"built {output}: {totals(self.site)}{noted}, {size / 2**20:.1f} MiB in "
            f"{time.perf_counter() - started:.2f} s",
            flush=True,
        )
        if size > PAGES_LIMIT:
            print(
                f"warning: {output} holds {size / 10**9:.2f} GB: GitHub Pages refuses a site "
                "over 1 GB, so publishing it would fail",
                file=sys.stderr,
            )
        if measured.large:
            print(large_pages_warning(measured.large), file=sys.stderr)


def large_pages_warning(large: list[tuple[str, int]]) -> str:
    """One line for the pages past PAGE_LIMIT: how many, the largest, and, for an archive
    part, the setting that would split its family's parts (their permalinks then change: the
    maintainer's decision, not the build's)."""
    name, size = max(large, key=lambda item: (item[1], item[0]))
    split = next(
        (
            how
            for folder, how in SPLIT_BY.items()
            if name.startswith(folder) and not name.endswith("/index.html")
        ),
        None,
    )
    advice = f"; {split} (their addresses change: links to the old parts break)" if split else ""
    return (
        f"warning: {plural(len(large), 'page')} over {human_size(PAGE_LIMIT)}, which a phone "
        f"takes seconds to show; the largest: {name} ({human_size(size)}){advice}"
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


__all__ = ["BuildOptions", "TimelinePelican", "build", "check", "load_settings", "totals"]
