"""Our Pelican generators. The first one turns what BuildState read into the Site model."""

from __future__ import annotations

from typing import Any

from pelican.generators import Generator

from .state import build_state
from .templating import SITE_KEY


class SiteModelGenerator(Generator):  # type: ignore[misc]
    """Checks every file BuildState read, then builds the Site."""

    def generate_context(self) -> None:
        site = build_state(self.settings).finish()
        self.context[SITE_KEY] = site


class TasksGenerator(Generator):  # type: ignore[misc]
    """After the generators of data files and the search index: starts their tasks now, in
    a process of their own, while the page generators go on."""

    def generate_output(self, writer: Any) -> None:
        start = getattr(writer, "start_tasks", None)
        if start is not None:
            start(build_state(self.settings).settings.workers)


class PagesGenerator(Generator):  # type: ignore[misc]
    """Last: renders every page the writer was asked for (Pelican's too), on every core."""

    def generate_output(self, writer: Any) -> None:
        render = getattr(writer, "render_deferred", None)
        if render is not None:
            render(build_state(self.settings).settings.workers)


def all_generators() -> list[type[Generator]]:
    """In order: the model first, then every page family, then data files."""
    from .digests import DigestGenerator, HomeGenerator
    from .documents import DocumentPagesGenerator
    from .exports import DataGenerator
    from .feeds import FeedGenerator
    from .offline import OfflineGenerator
    from .search import SearchGenerator
    from .speakers import SpeakerGenerator
    from .timelines import RegionTimelineGenerator

    return [SiteModelGenerator, DataGenerator, SearchGenerator, TasksGenerator,
            DocumentPagesGenerator, RegionTimelineGenerator, SpeakerGenerator, DigestGenerator,
            HomeGenerator, FeedGenerator, OfflineGenerator, PagesGenerator]
