"""timeline digests: a Pelican plugin package for per-region timelines, speaker indexes and
daily digests. `register()` only wires signals; each job lives in its own module."""

from __future__ import annotations

from typing import Any

from pelican import signals

from .settings import STATE_KEY
from .state import BuildState, build_state
from .templating import install_template_helpers


def _start_build(pelican: Any) -> None:
    pelican.settings[STATE_KEY] = BuildState.start(pelican.settings)


def _pelican_reads_nothing(readers: Any) -> None:
    """BuildState reads every file (checked, cached) and DocumentPagesGenerator writes their
    pages: Pelican's readers would parse files twice and follow `{attach}` links anywhere."""
    readers.reader_classes = {}


def _our_generators(pelican: Any) -> list[type]:
    from .generators import all_generators

    return all_generators()


def _prepare_generator(generator: Any) -> None:
    install_template_helpers(generator)
    # Every build makes new environments, so templates cannot change under one: Jinja need not
    # stat every template file on every render (~150,000 stats at 5,000 articles).
    generator.env.auto_reload = False
    generator.env.bytecode_cache = build_state(generator.settings).templates  # compile once
    # Pelican also keeps its (uninstalled) Markdown reader as "disabled" for .md and warns on
    # every file; .md is ours.
    generator.readers.disabled_readers.pop("md", None)


def _finalized(pelican: Any) -> None:
    from .offline import run_finalize_jobs

    state = pelican.settings[STATE_KEY]
    if state.outputs is not None:  # pages of deleted content go before anything bundles them
        state.outputs.remove_stale()
    run_finalize_jobs(pelican)


def _guard_theme_copies(generator: Any) -> None:
    from .offline import guard_theme_copies

    guard_theme_copies(generator)


def _our_writer(pelican: Any) -> type:
    from .writer import IncrementalWriter

    return IncrementalWriter


def register() -> None:
    signals.get_writer.connect(_our_writer)
    signals.generator_init.connect(_prepare_generator)
    signals.initialized.connect(_start_build)
    signals.readers_init.connect(_pelican_reads_nothing)
    signals.get_generators.connect(_our_generators)
    signals.finalized.connect(_finalized)
    signals.static_generator_init.connect(_guard_theme_copies)
