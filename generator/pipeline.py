"""Our Pelican generators. The first one turns what BuildState read into the Site model."""

from __future__ import annotations

from typing import Any

from pelican.generators import Generator

from .build.state import build_state
from .render.templating import SITE_KEY


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
    from .pages.articles import DocumentPagesGenerator
    from .pages.data import DataGenerator
    from .pages.days import DigestGenerator, HomeGenerator
    from .pages.feeds import FeedGenerator
    from .pages.offline import OfflineGenerator
    from .pages.regions import RegionTimelineGenerator
    from .pages.search import SearchGenerator
    from .pages.speakers import SpeakerGenerator

    return [SiteModelGenerator, DataGenerator, SearchGenerator, TasksGenerator,
            DocumentPagesGenerator, RegionTimelineGenerator, SpeakerGenerator, DigestGenerator,
            HomeGenerator, FeedGenerator, OfflineGenerator, PagesGenerator]
