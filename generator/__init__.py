"""timeline digests: a Pelican plugin package for per-region timelines, speaker indexes and
daily digests. `register()` only wires signals; each job lives in its own module."""

from __future__ import annotations

from typing import Any

from pelican import signals

from .reader import TimelineReader
from .settings import STATE_KEY
from .state import BuildState


def _start_build(pelican: Any) -> None:
    pelican.settings[STATE_KEY] = BuildState.start(pelican.settings)


def _use_our_reader(readers: Any) -> None:
    readers.reader_classes = {"md": TimelineReader}


def _our_generators(pelican: Any) -> list[type]:
    from .generators import all_generators

    return all_generators()


def register() -> None:
    signals.initialized.connect(_start_build)
    signals.readers_init.connect(_use_our_reader)
    signals.get_generators.connect(_our_generators)
